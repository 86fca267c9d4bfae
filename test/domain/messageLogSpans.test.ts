// A charger's frames are found through log_charger_span (logSpans.ts: which 65,536-id buckets of the log
// hold them) instead of an index on log (charge_point_id, id). Every answer is checked against the same
// filter as one plain SQL scan of the log, on a real database file, across bucket boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import type { LogQuery } from '../../src/domain/messageLog.js';

const BUCKET = 65_536;

/** Frames through the real write path (record + background batch), `at` setting their time. */
async function frames(site: TestSite, chargePointId: string, n: number, at?: string) {
  for (let i = 0; i < n; i++) {
    site.domain.messageLog.record({
      chargePointId, direction: i % 2 ? 'OUT' : 'IN', messageType: i % 2 ? 3 : 2,
      action: i % 3 === 0 ? 'Heartbeat' : 'StatusNotification', uniqueId: `${chargePointId}-${i}`, payload: { i },
      at: at ? new Date(at) : undefined,
    });
  }
  await site.domain.messageLog.flush();
}

/** A row of another charger with an explicit id: the next frames are written after it (ids are max + 1). */
function jumpTo(site: TestSite, id: number) {
  site.domain.uow.commit();
  site.database.sqlite.prepare("INSERT INTO log (id, charge_point_id, direction, message_type, payload, created_at) VALUES (?, 'CP-FILL', 'IN', 2, '{}', ?)")
    .run(id, new Date().toISOString());
}

/** The same query as one scan of the whole log: what the answer must be. */
function reference(site: TestSite, q: LogQuery): number[] {
  const where = ['charge_point_id = ?'];
  const args: unknown[] = [q.chargePointId];
  if (q.action) { where.push('action = ?'); args.push(q.action); }
  if (q.direction) { where.push('direction = ?'); args.push(q.direction.toUpperCase()); }
  if (q.from) { where.push('created_at >= ?'); args.push(q.from); }
  if (q.to) { where.push('created_at <= ?'); args.push(q.to); }
  if (q.beforeId) { where.push('id < ?'); args.push(q.beforeId); }
  return site.database.sqlite.prepare(`SELECT id FROM log NOT INDEXED WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
    .pluck().all(...args, q.limit ?? 100) as number[];
}

const ids = (site: TestSite, q: LogQuery) => site.domain.messageLog.query(q).map((r) => r.id);
const spans = (site: TestSite) => site.database.sqlite.prepare('SELECT charge_point_id AS cp, bucket FROM log_charger_span ORDER BY bucket, cp').all();

test('a charger\'s frames are found across buckets, newest first, with every filter and the cursor', async () => {
  await using site = await startTestSite();
  await frames(site, 'CP-A', 7);
  await frames(site, 'CP-B', 5);
  jumpTo(site, 2 * BUCKET - 1); // the next frames are in bucket 2: bucket 1 holds no frame of CP-A
  await frames(site, 'CP-A', 4);
  await frames(site, 'CP-B', 1);
  jumpTo(site, 5 * BUCKET - 3); // the next frames straddle buckets 4 and 5
  await frames(site, 'CP-A', 6);
  assert.deepEqual(spans(site).filter((s) => (s as { cp: string }).cp === 'CP-A').map((s) => (s as { bucket: number }).bucket), [0, 2, 4, 5]);

  const all = ids(site, { chargePointId: 'CP-A' });
  assert.equal(all.length, 17);
  assert.deepEqual(all, reference(site, { chargePointId: 'CP-A' }));
  assert.ok(all.some((id) => id < BUCKET) && all.some((id) => id >= 5 * BUCKET), 'rows from the oldest and the newest bucket');

  // Paging by 3 with the cursor crosses every boundary (5 → 4 → 2 → 0) and ends with the same rows.
  const paged: number[] = [];
  for (let before: number | undefined; ;) {
    const page = ids(site, { chargePointId: 'CP-A', limit: 3, beforeId: before });
    assert.deepEqual(page, reference(site, { chargePointId: 'CP-A', limit: 3, beforeId: before }), `page before ${before}`);
    if (page.length === 0) break;
    paged.push(...page);
    before = page.at(-1);
  }
  assert.deepEqual(paged, all);

  const mid = site.database.sqlite.prepare("SELECT created_at FROM log WHERE charge_point_id = 'CP-A' ORDER BY id LIMIT 1 OFFSET 8").pluck().get() as string;
  const queries: LogQuery[] = [
    { chargePointId: 'CP-A', action: 'Heartbeat' },
    { chargePointId: 'CP-A', direction: 'out', limit: 4 },
    { chargePointId: 'CP-A', direction: 'IN', action: 'StatusNotification', beforeId: 2 * BUCKET + 2 },
    { chargePointId: 'CP-A', from: mid },
    { chargePointId: 'CP-A', to: mid, limit: 2 },
    { chargePointId: 'CP-A', beforeId: 5 * BUCKET, limit: 2 }, // the cursor on a boundary
    { chargePointId: 'CP-B' },
    { chargePointId: 'CP-B', beforeId: BUCKET },
    { chargePointId: 'CP-FILL' }, // rows written outside the frame log have no spans: not found (nothing writes them)
  ];
  for (const q of queries) assert.deepEqual(ids(site, q), q.chargePointId === 'CP-FILL' ? [] : reference(site, q), JSON.stringify(q));
  assert.equal(site.domain.messageLog.query({ chargePointId: 'CP-A', limit: 1 })[0]?.uniqueId, 'CP-A-5', 'the whole row, newest first');

  // The same through the server, as the admin page asks.
  const res = await site.api(`/api/logs?chargePointId=CP-A&limit=5&before=${5 * BUCKET + 1}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.logs.map((r: { id: number }) => r.id), reference(site, { chargePointId: 'CP-A', limit: 5, beforeId: 5 * BUCKET + 1 }));
});

test('a charger with no frames is answered from the span table alone', async () => {
  await using site = await startTestSite();
  await frames(site, 'CP-A', 3);
  // Rows of CP-GHOST that no span names: the answer is [] because the log itself is not scanned for it.
  jumpTo(site, 10);
  site.database.sqlite.prepare("UPDATE log SET charge_point_id = 'CP-GHOST' WHERE id = 10").run();
  assert.deepEqual(ids(site, { chargePointId: 'CP-GHOST' }), []);
  assert.deepEqual(ids(site, { chargePointId: 'CP-NONE', action: 'Heartbeat' }), []);
  assert.equal((await site.api('/api/logs?chargePointId=CP-NONE')).body.logs.length, 0);
});

test('the log has no index but its rowid, and the spans of one batch cost one row per new charger and bucket', async () => {
  await using site = await startTestSite();
  const sqlite = site.database.sqlite;
  assert.deepEqual(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log'").pluck().all(), []);
  assert.match(sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'log_charger_span'").pluck().get() as string, /WITHOUT ROWID/i);
  await frames(site, 'CP-A', 3);
  await frames(site, 'CP-B', 3);
  await frames(site, 'CP-A', 3);
  assert.deepEqual(spans(site), [{ cp: 'CP-A', bucket: 0 }, { cp: 'CP-B', bucket: 0 }]);
});

test('retention deletes the spans below the oldest row left', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 10 });
  const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
  await frames(site, 'CP-OLD', 4, old);
  jumpTo(site, 3 * BUCKET);
  await frames(site, 'CP-NEW', 12);
  assert.deepEqual(spans(site), [{ cp: 'CP-OLD', bucket: 0 }, { cp: 'CP-NEW', bucket: 3 }]);
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.log, 7, '4 too old, then 3 over the cap (the filler row among them)');
  assert.deepEqual(spans(site), [{ cp: 'CP-NEW', bucket: 3 }], 'bucket 0 holds no row any more');
  assert.deepEqual(ids(site, { chargePointId: 'CP-OLD' }), []);
  assert.equal(ids(site, { chargePointId: 'CP-NEW' }).length, 10);

});

test('a log emptied by age hands out ids from 1 again, and their spans are written again', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7 });
  const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
  await frames(site, 'CP-X', 3, old);
  assert.equal((await site.domain.retention.pruneOnce(site.config)).log, 3);
  assert.equal(site.count('log'), 0);
  assert.deepEqual(spans(site), [], 'no row left, no span');
  await frames(site, 'CP-X', 2); // ids 1 and 2 again, in bucket 0, whose span was just deleted
  assert.deepEqual(ids(site, { chargePointId: 'CP-X' }), [2, 1]);
  assert.deepEqual(spans(site), [{ cp: 'CP-X', bucket: 0 }]);
});
