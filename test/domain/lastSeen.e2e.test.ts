// Heartbeat and last-seen times live in memory and reach the charger row in a background commit (no page
// written per Heartbeat), yet the API shows them at once and they survive a graceful stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

const rowTimes = (site: Awaited<ReturnType<typeof startTestSite>>, id: string) => {
  site.domain.uow.commit();
  return site.database.sqlite.prepare('SELECT last_seen_at AS seen, last_heartbeat_at AS heartbeat FROM charger WHERE charge_point_id = ?').get(id) as
    { seen: string | null; heartbeat: string | null };
};

test('a Heartbeat is shown by the API at once, written to the row by the flush, and kept over a restart', async () => {
  const site = await startTestSite();
  const cp = await site.connectCharger('CP-HB');
  const { currentTime } = await cp.call('Heartbeat', {});
  assert.equal(rowTimes(site, 'CP-HB').heartbeat, null, 'no row write on the Heartbeat itself');
  const shown = (await site.api('/api/admin/chargers/CP-HB')).body.charger;
  assert.ok(shown.lastHeartbeatAt && Math.abs(Date.parse(shown.lastHeartbeatAt) - Date.parse(currentTime)) < 2000, JSON.stringify(shown));

  await site.domain.chargers.lastSeen.flush();
  assert.equal(rowTimes(site, 'CP-HB').heartbeat, shown.lastHeartbeatAt);

  await cp.call('Heartbeat', {});
  const second = (await site.api('/api/admin/chargers/CP-HB')).body.charger.lastHeartbeatAt;
  assert.ok(second >= shown.lastHeartbeatAt);
  const dir = site.dir;
  await cp.close();
  await site.stop(); // flushes what is still in memory into the last commit
  await using again = await startTestSite({}, dir);
  const after = rowTimes(again, 'CP-HB');
  assert.equal(after.heartbeat, second);
  assert.ok(after.seen && after.seen >= second);
});

test('an older time never overwrites a newer one on the row', async () => {
  await using site = await startTestSite();
  const id = await site.addCharger('CP-ORDER');
  site.domain.chargers.heartbeat(id, new Date('2026-01-01T10:00:00.000Z'));
  await site.domain.chargers.lastSeen.flush();
  site.domain.chargers.touch(id, new Date('2026-01-01T09:00:00.000Z'));
  await site.domain.chargers.lastSeen.flush();
  assert.deepEqual(rowTimes(site, 'CP-ORDER'), { seen: '2026-01-01T10:00:00.000Z', heartbeat: '2026-01-01T10:00:00.000Z' });
  assert.equal(site.domain.chargers.byId(id)!.lastSeenAt, '2026-01-01T10:00:00.000Z');
});
