// The frame log keeps a CALL and its answer in one row when they are written in the same batch (migration
// 0013, src/domain/messageLog.ts): /api/logs and the view log_entry still give every frame as an entry of its
// own, in order, with the right direction, type, time and payload; a page never ends between the two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

interface Entry { id: number; direction: string; messageType: number; action: string | null; uniqueId: string | null; payload: unknown; createdAt: string }

test('a CALL and its answer share a row; the log API and log_entry give both frames, pages keep pairs whole', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-PAIR');
  await cp.call('BootNotification', { chargePointVendor: 'Pair', chargePointModel: 'P1' });
  await cp.call('Heartbeat', {});
  cp.on('GetLocalListVersion', () => ({ listVersion: 7 }));
  const asked = await site.api('/api/charge-points/CP-PAIR/request', { body: { action: 'GetLocalListVersion', payload: {} } });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));
  await site.domain.messageLog.flush();

  // Three exchanges, three rows: a charger's CALL with our answer, ours with the charger's.
  assert.equal(site.count('log', "charge_point_id = 'CP-PAIR'"), 3);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-PAIR'"), 6);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-PAIR' AND direction = 'IN' AND message_type = 3 AND action = 'GetLocalListVersion'"), 1);

  const all = (await site.api('/api/logs?chargePointId=CP-PAIR')).body.logs as Entry[];
  assert.deepEqual(all.map((e) => `${e.direction} ${e.messageType} ${e.action}`), [
    'IN 3 GetLocalListVersion', 'OUT 2 GetLocalListVersion', 'OUT 3 Heartbeat', 'IN 2 Heartbeat', 'OUT 3 BootNotification', 'IN 2 BootNotification',
  ], 'newest first, each answer before the frame it answers');
  const [answer, call] = [all[2]!, all[3]!];
  assert.equal(answer.id, call.id);
  assert.equal(answer.uniqueId, call.uniqueId);
  assert.ok(answer.createdAt >= call.createdAt, 'the answer keeps its own time');
  // Stored as ms after the call's; the view gives the same time as the API, to the millisecond.
  const viewTimes = site.database.sqlite.prepare("SELECT created_at FROM log_entry WHERE charge_point_id = 'CP-PAIR' ORDER BY id DESC, part DESC").pluck().all();
  assert.deepEqual(viewTimes, all.map((e) => e.createdAt));
  assert.deepEqual(all[0]!.payload, { listVersion: 7 });
  assert.equal(typeof (all[2]!.payload as { currentTime: string }).currentTime, 'string');

  // Filters look at each frame: direction, time.
  const out = (await site.api('/api/logs?chargePointId=CP-PAIR&direction=OUT')).body.logs as Entry[];
  assert.deepEqual(out.map((e) => `${e.messageType} ${e.action}`), ['2 GetLocalListVersion', '3 Heartbeat', '3 BootNotification']);
  const since = (await site.api(`/api/logs?chargePointId=CP-PAIR&from=${encodeURIComponent(answer.createdAt)}&direction=OUT&action=Heartbeat`)).body.logs as Entry[];
  assert.deepEqual(since.map((e) => e.messageType), [3]);
  const across = (await site.api('/api/logs?direction=IN&action=Heartbeat')).body.logs as Entry[];
  assert.deepEqual(across.map((e) => `${e.direction} ${e.messageType}`), ['IN 2'], 'the same without a charger');

  // Pages of 3 entries: the second row's pair is not cut in two; every frame comes exactly once.
  const seen: Entry[] = [];
  let before = '';
  for (let pages = 0; pages < 5; pages++) {
    const page = (await site.api(`/api/logs?chargePointId=CP-PAIR&limit=3${before}`)).body as { logs: Entry[]; nextBefore: number | null };
    seen.push(...page.logs);
    if (page.nextBefore === null) break;
    before = `&before=${page.nextBefore}`;
  }
  assert.deepEqual(seen, all);
});

test('an answer whose CALL was written in an earlier batch keeps a row of its own', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-SLOW');
  let answer: (v: object) => void = () => {};
  cp.on('GetLocalListVersion', () => new Promise<object>((r) => { answer = r; }));
  const asked = site.api('/api/charge-points/CP-SLOW/request', { body: { action: 'GetLocalListVersion', payload: {} } });
  await new Promise((r) => setTimeout(r, 100));
  await site.domain.messageLog.flush(); // our CALL is written before the charger answers
  answer({ listVersion: 3 });
  assert.equal((await asked).status, 200);
  await site.domain.messageLog.flush();
  assert.equal(site.count('log', "charge_point_id = 'CP-SLOW'"), 2, 'two rows: the call, then its answer');
  const all = (await site.api('/api/logs?chargePointId=CP-SLOW')).body.logs as Entry[];
  assert.deepEqual(all.map((e) => `${e.direction} ${e.messageType}`), ['IN 3', 'OUT 2']);
  assert.ok(all[0]!.id > all[1]!.id);
});
