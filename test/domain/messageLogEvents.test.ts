// The message log is written in background batches (frames are diagnostics, not what a charger was told):
// the 'log' event means "this frame is stored" and carries the stored row with its id; a batch the disk
// refuses is kept for the next try, within a bound, and what falls off the bound is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { MessageLog } from '../../src/domain/messageLog.js';

const entry = (id: string) => ({ chargePointId: 'CP-LOG', direction: 'IN' as const, messageType: 2, action: 'Heartbeat', uniqueId: id, payload: { n: id } });

test('queued frames are written in one commit, and each is announced after it with its stored id', async () => {
  await using site = await startTestSite();
  const { domain } = site;
  const seen: Array<{ id: number; uniqueId: string | null; inTransaction: boolean }> = [];
  domain.events.on('log', (e) => seen.push({ id: e.id, uniqueId: e.uniqueId, inTransaction: site.database.sqlite.inTransaction }));
  const commits = domain.uow.commits;
  for (const id of ['a', 'b', 'c']) domain.messageLog.record(entry(id));
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-LOG'"), 0, 'written before the batch');
  assert.equal(domain.messageLog.backlog, 3);
  await domain.messageLog.flush();
  assert.equal(domain.uow.commits - commits, 1, 'one commit for the batch');
  assert.deepEqual(seen.map((s) => s.uniqueId), ['a', 'b', 'c']);
  assert.ok(seen.every((s) => !s.inTransaction), 'announced inside the write transaction');
  const stored = site.database.sqlite.prepare("SELECT id, unique_id AS uniqueId FROM log WHERE charge_point_id = 'CP-LOG' ORDER BY id").all();
  assert.deepEqual(stored, seen.map(({ id, uniqueId }) => ({ id, uniqueId })), 'the announced ids are the stored rows');
  assert.equal(domain.messageLog.backlog, 0);
});

test('the timer writes a batch without being asked', async () => {
  await using site = await startTestSite();
  const log = new MessageLog(site.database.sqlite, site.domain.uow, site.domain.events, { flushEveryMs: 20 });
  const announced = new Promise((resolve) => site.domain.events.on('log', resolve));
  log.record(entry('timed'));
  await announced;
  assert.equal(site.count('log_entry', "unique_id = 'timed'"), 1);
});

test('a batch the disk refuses is kept for the next try; beyond the bound the oldest frames are dropped and counted', async () => {
  await using site = await startTestSite();
  const { sqlite } = site.database;
  const log = new MessageLog(sqlite, site.domain.uow, site.domain.events, { flushEveryMs: 60_000, maxPending: 3 });
  // A real SQLite refusal of the insert (as a full or failing disk would be), on this connection only.
  sqlite.exec("CREATE TEMP TRIGGER refuse_log BEFORE INSERT ON main.log BEGIN SELECT RAISE(ABORT, 'disk refused'); END");
  log.record(entry('1'));
  log.record(entry('2'));
  await log.flush();
  assert.equal(log.backlog, 2, 'the refused frames were lost');
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-LOG'"), 0, 'a refused batch was half-written');
  log.record(entry('3'));
  log.record(entry('4'));
  assert.equal(log.backlog, 3);
  assert.equal(log.dropped, 1);
  sqlite.exec('DROP TRIGGER refuse_log');
  await log.flush();
  const kept = sqlite.prepare("SELECT unique_id AS u FROM log WHERE charge_point_id = 'CP-LOG' ORDER BY id").all().map((r) => (r as { u: string }).u);
  assert.deepEqual(kept, ['2', '3', '4'], 'the oldest frame is the one dropped, the rest in order');
});

test('frames due by the time a call comes in ride in that call\'s commit instead of one of their own', async () => {
  await using site = await startTestSite();
  const { uow } = site.domain;
  const log = new MessageLog(site.database.sqlite, uow, site.domain.events, { flushEveryMs: 50, quietFlushMs: 60_000 });
  log.record({ ...entry('old'), direction: 'OUT' });
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(log.backlog, 1, 'written before a call came in');
  const commits = uow.commits;
  // As the session does: the call's IN frame, then its handler's unit of work in the same turn.
  log.record(entry('call'));
  await uow.run(() => site.database.sqlite.prepare("INSERT INTO setting (key, value) VALUES ('handler.write', '1')").run());
  assert.equal(uow.commits - commits, 1, 'one commit for the frames and the handler');
  assert.equal(site.count('log_entry', "unique_id = 'old'"), 1);
  // The call itself waits for its answer, to share its row (messageLog.ts).
  assert.equal(log.backlog, 1);
  log.record({ ...entry('call'), direction: 'OUT', messageType: 3, payload: {} });
  await log.flush();
  assert.equal(site.count('log', "unique_id = 'call' AND reply_type = 3"), 1);
  assert.equal(log.backlog, 0);
});
