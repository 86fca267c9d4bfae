// Commands to one charger go one at a time. The deadline is the API caller's: a command queued
// behind others fails when its own time is up (and is then never sent), not after theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('queued commands time out on their own deadline and expired ones are never sent', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 1 });
  const cp = await site.connectCharger('CP-1');
  cp.on('Reset', () => new Promise(() => {})); // a charger that has stopped answering
  const started = Date.now();
  const replies = await Promise.all([1, 2, 3].map(() => site.api('/api/admin/chargers/CP-1/reset', { method: 'POST', body: { type: 'Soft' } })));
  const waited = Date.now() - started;
  assert.deepEqual(replies.map((r) => r.status), [504, 504, 504]);
  assert.ok(waited < 2500, `all three answered after about one deadline, not three (${waited} ms)`);
  assert.equal(cp.received.filter((c) => c.action === 'Reset').length, 1, 'the two that expired in the queue were never sent');

  cp.on('Reset', () => ({ status: 'Accepted' }));
  const after = await site.api('/api/admin/chargers/CP-1/reset', { method: 'POST', body: { type: 'Soft' } });
  assert.equal(after.status, 200, 'the queue is free again');
  assert.equal(site.hub.get('CP-1')!.queuedCalls, 0);
});

test('a command queued behind a slow answer is still sent while it has time left', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 2 });
  const cp = await site.connectCharger('CP-1');
  cp.on('Reset', () => new Promise((resolve) => setTimeout(() => resolve({ status: 'Accepted' }), 300)));
  const replies = await Promise.all([1, 2].map(() => site.api('/api/admin/chargers/CP-1/reset', { method: 'POST', body: { type: 'Soft' } })));
  assert.deepEqual(replies.map((r) => r.status), [200, 200]);
  assert.equal(cp.received.filter((c) => c.action === 'Reset').length, 2);
});
