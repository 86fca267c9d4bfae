// Local lists against a simulated charger that enforces the limits it reports: SendLocalListMaxLength
// splits a list into parts, LocalAuthListMaxLength keeps a list it cannot hold from being sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { SimulatedCharger, type SimOptions } from '../../src/sim/simulatedCharger.js';

async function simulator(site: TestSite, opts: Partial<SimOptions>): Promise<SimulatedCharger & AsyncDisposable> {
  await site.addCharger('CP-1');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-1', meterIntervalSec: 3600, ...opts });
  await sim.start();
  return Object.assign(sim, { [Symbol.asyncDispose]: () => sim.stop() });
}
const sentLists = (sim: SimulatedCharger) => sim.cp.received.filter((c) => c.action === 'SendLocalList').map((c) => c.payload);
const shape = (lists: any[]) => lists.map((l) => `${l.updateType}(${l.localAuthorizationList.length})@${l.listVersion}`);
const addTags = (site: TestSite, ...tags: string[]) => { for (const t of tags) site.addIdTag(t); };

// A conformant charger refuses a Differential whose version is not higher than its own (OCPP 1.6 §5.15), and the
// simulator does: parts of one split list carry increasing versions.
test('SendLocalListMaxLength 2: five tags go as Full(2)@1 + Differential(2)@2 + Differential(1)@3; changes are split too', async () => {
  await using site = await startTestSite();
  addTags(site, 'TAG-1', 'TAG-2', 'TAG-3', 'TAG-4', 'TAG-5');
  await using sim = await simulator(site, { sendLocalListMaxLength: 2 });

  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.deepEqual(res.body, { status: 'Accepted', listVersion: 3, updateType: 'Full', entries: 5, messages: 3 });
  assert.deepEqual(shape(sentLists(sim)), ['Full(2)@1', 'Differential(2)@2', 'Differential(1)@3']);
  assert.deepEqual([...sim.localList.entries.keys()].sort(), ['TAG-1', 'TAG-2', 'TAG-3', 'TAG-4', 'TAG-5']);
  assert.equal(sim.localList.version, 3);
  const state = await site.api('/api/admin/chargers/CP-1/local-list');
  assert.deepEqual([state.body.list.version, state.body.list.status, state.body.list.inSync], [3, 'Accepted', true]);
  // The limit was learned from the charger and stored with its other configuration keys.
  const stored = site.database.sqlite.prepare("SELECT value FROM charger_configuration WHERE key = 'SendLocalListMaxLength'").get() as { value: string };
  assert.equal(stored.value, '2');

  // Three new tags: the automatic Differential is split the same way, and the stored limit needs no new question.
  addTags(site, 'TAG-6', 'TAG-7', 'TAG-8');
  site.domain.events.emit('idTags.changed', {});
  await waitFor('the split differential', () => site.domain.localLists.state(1)?.version === 5);
  assert.deepEqual(shape(sentLists(sim)).slice(3), ['Differential(2)@4', 'Differential(1)@5']);
  assert.equal(sim.localList.entries.size, 8);
  assert.equal(sim.cp.received.filter((c) => c.action === 'GetConfiguration').length, 1);
});

test('a part refused half-way: the rest is not sent, the status is Failed and the version stays', async () => {
  await using site = await startTestSite();
  addTags(site, 'TAG-1', 'TAG-2');
  // Holds 3 tags but does not say so: only the second part of a 5-tag list overflows it.
  await using sim = await simulator(site, { sendLocalListMaxLength: 2, localAuthListMaxLength: 3, unreportedKeys: ['LocalAuthListMaxLength'] });
  assert.equal((await site.api('/api/admin/chargers/CP-1/local-list', { body: {} })).body.status, 'Accepted');

  addTags(site, 'TAG-3', 'TAG-4', 'TAG-5');
  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.deepEqual(res.body, { status: 'Failed', listVersion: 3, updateType: 'Full', entries: 5, messages: 2 });
  assert.deepEqual(shape(sentLists(sim)), ['Full(2)@1', 'Full(2)@2', 'Differential(2)@3'], 'nothing after the refused part');
  const state = await site.api('/api/admin/chargers/CP-1/local-list');
  assert.deepEqual([state.body.list.version, state.body.list.status, state.body.list.inSync], [1, 'Failed', false]);
  // The charger holds only the first part, so the next automatic sync starts again from a Full list.
  assert.equal(site.domain.localLists.plan(1, 'auto')!.updateType, 'Full');
});

test('a list longer than LocalAuthListMaxLength is not sent; the API says why; a smaller list goes out again', async () => {
  await using site = await startTestSite();
  addTags(site, 'TAG-1', 'TAG-2', 'TAG-3', 'TAG-4', 'TAG-5');
  await using sim = await simulator(site, { localAuthListMaxLength: 3 });

  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  const why = 'TooLarge (5 tags; LocalAuthListMaxLength is 3)';
  assert.deepEqual(res.body, { status: why, listVersion: 0, entries: 5 });
  assert.equal(sentLists(sim).length, 0, 'the charger never got a list it cannot hold');
  assert.equal((await site.api('/api/admin/chargers/CP-1/local-list')).body.list.status, why);
  const all = await site.api('/api/admin/local-lists', { token: site.createToken('viewer') });
  assert.equal(all.body.chargers[0].list.status, why);

  site.database.sqlite.prepare("DELETE FROM id_tag WHERE id_tag IN ('TAG-4', 'TAG-5')").run();
  const retry = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'auto' } });
  assert.equal(retry.body.status, 'Accepted');
  assert.deepEqual([...sim.localList.entries.keys()].sort(), ['TAG-1', 'TAG-2', 'TAG-3']);
});

test('a charger that does not report the limits gets the list in one message, asked once per connection', async () => {
  await using site = await startTestSite();
  addTags(site, 'TAG-1', 'TAG-2', 'TAG-3');
  await using sim = await simulator(site, { sendLocalListMaxLength: 10, unreportedKeys: ['SendLocalListMaxLength', 'LocalAuthListMaxLength'] });
  await site.api('/api/admin/chargers/CP-1/local-list', { body: {} });
  addTags(site, 'TAG-4');
  await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'auto' } });
  assert.deepEqual(shape(sentLists(sim)), ['Full(3)@1', 'Differential(1)@2']);
  const asked = sim.cp.received.filter((c) => c.action === 'GetConfiguration');
  assert.deepEqual(asked.map((c) => c.payload), [{ key: ['SendLocalListMaxLength', 'LocalAuthListMaxLength'] }]);
});

test('a part answered with an error after earlier parts were applied leaves the list Incomplete (next sync is Full)', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('GetConfiguration', () => ({ configurationKey: [{ key: 'SendLocalListMaxLength', readonly: true, value: '1' }] }));
  let parts = 0;
  cp.on('SendLocalList', () => {
    if (++parts === 3) throw new Error('list storage failed');
    return { status: 'Accepted' };
  });
  assert.equal((await site.api('/api/admin/chargers/CP-1/local-list', { body: {} })).body.status, 'Accepted');
  site.addIdTag('TAG-2');
  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.equal(res.status, 502);
  const state = site.domain.localLists.state(1)!;
  assert.deepEqual([state.version, state.status], [1, 'Incomplete']);
  assert.equal(site.domain.localLists.plan(1, 'auto')!.updateType, 'Full');
});
