// A charger whose socket stays open but that sends nothing for two heartbeat intervals is closed,
// so the page and the central office learn it is offline and the charger reconnects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../testing/testSite.js';

test('a silent charger is disconnected after two heartbeat intervals; one that talks stays', async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 10 });
  await site.addCharger('CP-QUIET');
  await site.addCharger('CP-CHATTY');
  const quiet = await site.connectCharger('CP-QUIET');
  const chatty = await site.connectCharger('CP-CHATTY');
  await chatty.call('Heartbeat', {});
  const disconnected: string[] = [];
  site.domain.events.on('charger.disconnected', (e) => disconnected.push(e.chargePointId));

  // As if CP-QUIET had sent its last frame 21 s ago (its socket still answers pings).
  site.hub.get('CP-QUIET')!.lastSeenAt = Date.now() - 21_000;
  assert.equal(site.hub.isOnline('CP-QUIET'), false);
  const code = await quiet.waitClosed(); // the background check runs every 5 s with a 10 s heartbeat
  assert.equal(code, 1000);
  assert.deepEqual(disconnected, ['CP-QUIET']);
  assert.equal(site.hub.get('CP-QUIET'), undefined);
  const list = await site.api('/api/admin/chargers/CP-QUIET');
  assert.equal(list.body.charger?.connected ?? list.body.connected, false);

  assert.ok(site.hub.get('CP-CHATTY'), 'the charger that talks stays connected');
  assert.equal((await chatty.call('Heartbeat', {})).currentTime !== undefined, true);
  const back = await site.connectCharger('CP-QUIET');
  assert.equal((await back.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' })).status, 'Accepted', 'it may reconnect');
});
