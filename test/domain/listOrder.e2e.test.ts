// The sessions list's default order (newest first) stays a walk down the rowid: an ORDER BY that starts
// with an expression would make SQLite sort every session on each page load (the Pi's table grows for years).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('sessions newest first read the rowid backwards, with no sort of the whole table; other orders still sort', async () => {
  await using site = await startTestSite();
  const plans: string[] = [];
  const sqlite = site.database.sqlite;
  const prepare = sqlite.prepare.bind(sqlite);
  // Every statement the list runs, explained as SQLite would run it.
  sqlite.prepare = ((source: string) => {
    if (/^select/i.test(source) && /order by/i.test(source)) {
      plans.push((prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array.from({ length: (source.match(/\?/g) ?? []).length }, () => 1)) as Array<{ detail: string }>).map((r) => r.detail).join(' | '));
    }
    return prepare(source);
  }) as typeof sqlite.prepare;
  try {
    site.domain.transactionQueries.list({}, { limit: 200, offset: 0 });
    assert.equal(plans.length, 1, plans.join('\n'));
    assert.doesNotMatch(plans[0]!, /TEMP B-TREE FOR ORDER BY/, plans[0]);
    site.domain.transactionQueries.list({}, { limit: 200, offset: 0 }, { key: 'energy', desc: true });
    assert.match(plans[1]!, /TEMP B-TREE FOR ORDER BY/, 'the check itself can tell a sort from a walk');
  } finally {
    sqlite.prepare = prepare;
  }
});
