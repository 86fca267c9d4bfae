// The frame log's background batches hold a CALL back until its answer is logged (messageLog.ts), so the two
// share one row even when a batch fills between them, as at thousands of messages a second; a CALL that gets
// no answer is written alone within a few seconds. Real write path, real database file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('a full batch holds back unanswered CALLs; their answers join them in one row; an unanswered one is written alone', async () => {
  await using site = await startTestSite();
  const log = site.domain.messageLog;
  const call = (i: number) => log.record({ chargePointId: 'CP-BUSY', direction: 'IN', messageType: 2, action: 'MeterValues', uniqueId: `m-${i}`, payload: { i } });
  const answer = (i: number) => log.record({ chargePointId: 'CP-BUSY', direction: 'OUT', messageType: 3, action: 'MeterValues', uniqueId: `m-${i}`, payload: {} });
  for (let i = 0; i < 500; i++) call(i); // a full batch (500 frames) of CALLs not answered yet
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(site.count('log'), 0, 'held back for their answers');
  for (let i = 0; i < 500; i++) answer(i); // the batch is full again: written, each CALL with its answer
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(site.count('log', "charge_point_id = 'CP-BUSY'"), 500);
  assert.equal(site.count('log', "charge_point_id = 'CP-BUSY' AND reply_type = 3"), 500);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-BUSY'"), 1000);
  assert.equal(log.backlog, 0);

  log.record({ chargePointId: 'CP-MUTE', direction: 'OUT', messageType: 2, action: 'Reset', uniqueId: 'r-1', payload: { type: 'Soft' } });
  await new Promise((r) => setTimeout(r, 2_500)); // no answer ever comes: the quiet timer writes it once a second old
  assert.equal(site.count('log', "charge_point_id = 'CP-MUTE' AND reply_type IS NULL"), 1);
  assert.equal(log.backlog, 0);
});
