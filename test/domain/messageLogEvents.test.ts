// The 'log' event means "this frame is stored": it follows the COMMIT, and a rolled-back write announces nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('a message log row is announced after its commit, and not at all when its write is rolled back', async () => {
  await using site = await startTestSite();
  const { domain } = site;
  // At the moment of the event no write transaction is open: the row is committed.
  const seen: Array<{ chargePointId: string; inTransaction: boolean }> = [];
  domain.events.on('log', (e) => seen.push({ chargePointId: e.chargePointId, inTransaction: site.database.sqlite.inTransaction }));
  const entry = (id: string) => ({ chargePointId: 'CP-LOG', direction: 'IN' as const, messageType: 2, action: 'Heartbeat', uniqueId: id, payload: {} });

  let seenInside = -1;
  await domain.uow.run(() => { domain.messageLog.record(entry('a')); seenInside = seen.length; });
  assert.equal(seenInside, 0, 'announced before the commit');
  assert.deepEqual(seen, [{ chargePointId: 'CP-LOG', inTransaction: false }]);
  assert.equal(site.count('log', "unique_id = 'a'"), 1);

  await assert.rejects(domain.uow.run(() => { domain.messageLog.record(entry('b')); throw new Error('the handler failed'); }));
  await domain.uow.run(() => {}); // the batch the failed write was in has committed
  assert.equal(seen.length, 1, 'a rolled-back row was announced');
  assert.equal(site.count('log', "unique_id = 'b'"), 0);
});
