// The commit window (storage.commitWindowMs, db/unitOfWork.ts) with real chargers: routine reports from
// several chargers share one commit and are answered once it is durable; a StartTransaction does not wait
// for the window; a charger draining readings it kept while offline (each sent right after the previous
// answer) is not slowed to one message per window; a charger's wait is bounded by its own pace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

const WINDOW_MS = 1000;
const reading = (transactionId: number, wh: number) => ({
  connectorId: 1, transactionId,
  meterValue: [{ timestamp: new Date(Date.now() + wh).toISOString(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('routine reports share one commit within the window; a start is answered at once; a backlog drains fast', async () => {
  await using site = await startTestSite({ 'storage.commitWindowMs': WINDOW_MS });
  site.addIdTag('TAG-WINDOW');
  const chargers = await Promise.all(['CP-W1', 'CP-W2', 'CP-W3'].map((id) => site.connectCharger(id)));
  const sessions: number[] = [];
  for (const cp of chargers) {
    const startedAt = Date.now();
    const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-WINDOW', meterStart: 0, timestamp: isoNow() });
    assert.ok(Date.now() - startedAt < WINDOW_MS / 2, 'a start does not wait for the window');
    sessions.push(transactionId);
  }
  // A message may wait a quarter of the time since its charger's last answer (routineActions.ts): these
  // chargers last heard from us long enough ago for the whole window.
  await sleep(4 * WINDOW_MS + 100);
  const commitsBefore = site.domain.uow.commits;
  const sentAt = Date.now();
  await Promise.all(chargers.map((cp, i) => cp.call('MeterValues', reading(sessions[i]!, 100))));
  const waited = Date.now() - sentAt;
  assert.ok(waited >= WINDOW_MS - 100, `answered when the window ended (${waited} ms), not one commit each`);
  assert.equal(site.domain.uow.commits - commitsBefore, 1, 'three chargers\' readings in one commit');
  for (const tx of sessions) assert.equal(site.count('meter_value', `transaction_id = ${tx}`), 1, 'stored before the answer');

  // Twenty readings kept while offline, each sent as soon as the previous one is answered.
  await sleep(100);
  const drainStarted = Date.now();
  for (let i = 1; i <= 20; i++) await chargers[0]!.call('MeterValues', reading(sessions[0]!, 100 + i * 10));
  const drained = Date.now() - drainStarted;
  assert.ok(drained < 3 * WINDOW_MS, `a backlog of 20 drained in ${drained} ms, not 20 windows`);
  assert.equal(site.count('meter_value', `transaction_id = ${sessions[0]}`), 21);

  // A charger reporting every 400 ms waits up to 100 ms for company, not the whole window: its pace holds.
  const paced: number[] = [];
  for (let i = 1; i <= 4; i++) {
    await sleep(400);
    const t = Date.now();
    await chargers[2]!.call('MeterValues', reading(sessions[2]!, 1000 + i * 10));
    paced.push(Date.now() - t);
  }
  assert.ok(Math.max(...paced) < WINDOW_MS / 2, `answered within ${paced.join(', ')} ms, not after the ${WINDOW_MS} ms window`);
  assert.ok(Math.min(...paced) >= 60, `each waited for company (${paced.join(', ')} ms): a quarter of the 400 ms gap`);

  // A Heartbeat waits for the window too, but the clock it gives is the time it is sent: chargers set theirs from it.
  await sleep(300);
  const heartbeat = await chargers[1]!.call('Heartbeat', {});
  const answeredAt = Date.now();
  assert.ok(Math.abs(Date.parse(heartbeat.currentTime as string) - answeredAt) < 500, `currentTime ${heartbeat.currentTime} at ${new Date(answeredAt).toISOString()}`);
});
