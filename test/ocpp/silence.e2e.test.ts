// OCPP-J chargers need not send Heartbeat (WebSocket pings keep the link): a charger that answers
// the server's pings stays online without sending a frame; a dead link is closed by the ping timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('a charger that only answers WebSocket pings counts as heard from', async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 10, 'ocpp.pingIntervalSec': 4 });
  await site.addCharger('CP-QUIET');
  const quiet = await site.connectCharger('CP-QUIET'); // the ws client answers pings with pongs by itself
  const session = site.hub.get('CP-QUIET')!;
  session.lastSeenAt = Date.now() - 21_000; // as if its last frame was 21 s ago
  assert.equal(site.hub.isOnline('CP-QUIET'), false);
  const deadline = Date.now() + 15_000;
  while (!site.hub.isOnline('CP-QUIET')) {
    assert.ok(Date.now() < deadline, 'no ping was answered within 15 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(quiet.isOpen, true);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-QUIET'"), 0, 'online again without any OCPP frame');
});
