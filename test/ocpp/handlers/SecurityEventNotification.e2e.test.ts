import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../support/testSite.js';

test('SecurityEventNotification is stored and listed', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  const reply = await cp.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-01-01T10:00:00Z', techInfo: 'lid open' });
  assert.deepEqual(reply, {});
  const { body } = await site.api('/api/admin/security-events?chargePointId=CP-1');
  assert.equal(body.events.length, 1);
  assert.equal(body.events[0].type, 'TamperDetectionActivated');
  assert.equal(body.events[0].techInfo, 'lid open');
  assert.equal(body.events[0].chargePointId, 'CP-1');
});
