// Every remote command over the REST API against a real charger client: the charger's answer, and each
// way it can fail (offline 409, no answer 504, CALLERROR 502 with the code). Plus what the site keeps
// from the answers: availability, reported configuration, a rotated AuthorizationKey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { waitFor } from '../support/waitFor.js';

interface Case { name: string; path: string; method?: string; body?: unknown; action: string; answer: object; sent?: object }

const CASES: Case[] = [
  { name: 'remote start', path: 'remote-start', body: { idTag: 'TAG-2', connectorId: 2 }, action: 'RemoteStartTransaction', answer: { status: 'Accepted' }, sent: { idTag: 'TAG-2', connectorId: 2 } },
  { name: 'change availability', path: 'change-availability', body: { connectorId: 1, type: 'Inoperative' }, action: 'ChangeAvailability', answer: { status: 'Accepted' }, sent: { connectorId: 1, type: 'Inoperative' } },
  { name: 'reset', path: 'reset', body: { type: 'Soft' }, action: 'Reset', answer: { status: 'Accepted' }, sent: { type: 'Soft' } },
  { name: 'unlock', path: 'unlock', body: { connectorId: 2 }, action: 'UnlockConnector', answer: { status: 'Unlocked' }, sent: { connectorId: 2 } },
  { name: 'get configuration', path: 'configuration?key=HeartbeatInterval', method: 'GET', action: 'GetConfiguration',
    answer: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] }, sent: { key: ['HeartbeatInterval'] } },
  { name: 'change configuration', path: 'configuration', method: 'PUT', body: { key: 'MeterValueSampleInterval', value: '30' }, action: 'ChangeConfiguration', answer: { status: 'Accepted' }, sent: { key: 'MeterValueSampleInterval', value: '30' } },
  { name: 'clear cache', path: 'clear-cache', body: {}, action: 'ClearCache', answer: { status: 'Accepted' }, sent: {} },
  { name: 'trigger', path: 'trigger', body: { requestedMessage: 'StatusNotification', connectorId: 1 }, action: 'TriggerMessage', answer: { status: 'Accepted' }, sent: { requestedMessage: 'StatusNotification', connectorId: 1 } },
  { name: 'data transfer', path: 'data-transfer', body: { vendorId: 'com.acme', messageId: 'ping', data: 'x' }, action: 'DataTransfer', answer: { status: 'Accepted', data: 'pong' }, sent: { vendorId: 'com.acme', messageId: 'ping', data: 'x' } },
  { name: 'remote stop', path: 'remote-stop', body: { transactionId: -1 /* set below */ }, action: 'RemoteStopTransaction', answer: { status: 'Accepted' } },
];

test('each remote command: answer, CALLERROR -> 502, no answer -> 504, offline -> 409', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 0.5 });
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-1');
  await site.addCharger('CP-OFF');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const offlineTx = site.domain.transactions.start(site.domain.chargers.byChargePointId('CP-OFF')!,
    { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() }, { idTagInfo: { status: 'Accepted' }, userId: null }, new Date());
  site.domain.uow.commit();

  for (const c of CASES) {
    const body = (cpId: string) => (c.action === 'RemoteStopTransaction' ? { transactionId: cpId === 'CP-1' ? start.transactionId : offlineTx.id } : c.body);
    const request = (cpId: string) => site.api(`/api/admin/chargers/${cpId}/${c.path}`, { method: c.method ?? 'POST', body: c.method === 'GET' ? undefined : body(cpId) });

    cp.on(c.action, () => c.answer);
    const ok = await request('CP-1');
    assert.equal(ok.status, 200, `${c.name}: ${JSON.stringify(ok.body)}`);
    assert.deepEqual(ok.body, c.answer, `${c.name}: the charger's answer is the reply`);
    const sent = cp.received.at(-1)!;
    assert.equal(sent.action, c.action);
    assert.deepEqual(sent.payload, c.sent ?? body('CP-1'), `${c.name}: what the charger got`);

    cp.handlers.delete(c.action); // the client answers NotImplemented
    const rejected = await request('CP-1');
    assert.equal(rejected.status, 502, c.name);
    assert.equal(rejected.body.error.code, 'charger_error');
    assert.equal(rejected.body.error.details.code, 'NotImplemented', `${c.name}: the OCPP code is in details`);

    cp.on(c.action, () => new Promise(() => {})); // never answers
    const timedOut = await request('CP-1');
    assert.equal(timedOut.status, 504, c.name);
    assert.equal(timedOut.body.error.code, 'charger_timeout');

    const offline = await request('CP-OFF');
    assert.equal(offline.status, 409, c.name);
    assert.equal(offline.body.error.code, 'charger_offline');
  }
  // Every command went through the message log, out and back (written in the background: wait for it).
  await waitFor('the CALLERROR answer in the log', () => site.count('log_entry', "charge_point_id = 'CP-1' AND direction = 'IN' AND message_type = 4 AND action = 'Reset'") > 0);
  const outCalls = site.count('log_entry', "charge_point_id = 'CP-1' AND direction = 'OUT' AND message_type = 2 AND action = 'Reset'");
  assert.equal(outCalls, 3);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-1' AND direction = 'IN' AND message_type = 4 AND action = 'Reset'"), 1);
});

test('a body the charger could not accept is a 400 before anything is sent', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  const bad: Array<[string, unknown]> = [
    ['remote-start', { connectorId: 1 }],
    ['remote-start', { idTag: 'X'.repeat(21) }],
    ['remote-start', { idTag: 'T', chargingProfile: { chargingProfileId: 1 } }], // caught by the OCPP schema
    ['change-availability', { connectorId: 1, type: 'Sleepy' }],
    ['reset', { type: 'Medium' }],
    ['unlock', {}],
    ['trigger', { requestedMessage: 'StartTransaction' }],
    ['data-transfer', { messageId: 'x' }],
    ['clear-cache', { please: true }],
  ];
  for (const [path, body] of bad) {
    const r = await site.api(`/api/admin/chargers/CP-1/${path}`, { body });
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.equal(typeof r.body.error.code, 'string');
    assert.equal(typeof r.body.error.message, 'string');
  }
  assert.equal(cp.received.length, 0, 'nothing reached the charger');
  const notJson = await fetch(`${site.baseUrl}/api/admin/chargers/CP-1/reset`, {
    method: 'POST', headers: { authorization: `Bearer ${site.createToken()}`, 'content-type': 'application/json' }, body: '{"type":',
  });
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error.code, 'invalid_json');
  const unknown = await site.api('/api/admin/chargers/CP-NOPE/reset', { body: { type: 'Soft' } });
  assert.equal(unknown.status, 404);
});

test('availability is remembered with the Scheduled flag; whole-charger changes reach every connector', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  for (const connectorId of [0, 1, 2]) await cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Available' });
  cp.on('ChangeAvailability', (p) => ({ status: p.connectorId === 2 ? 'Scheduled' : 'Accepted' }));
  const conn = (id: number) => site.domain.chargers.connectorsOf(site.domain.chargers.byChargePointId('CP-1')!.id).find((c) => c.connectorId === id)!;

  assert.equal((await site.api('/api/admin/chargers/CP-1/change-availability', { body: { connectorId: 2, type: 'Inoperative' } })).body.status, 'Scheduled');
  assert.equal(conn(2).availability, 'Inoperative');
  assert.equal(conn(2).availabilityScheduled, true);
  assert.equal(conn(1).availability, 'Operative');

  await site.api('/api/admin/chargers/CP-1/change-availability', { body: { connectorId: 0, type: 'Inoperative' } });
  for (const id of [0, 1, 2]) {
    assert.equal(conn(id).availability, 'Inoperative', `connector ${id}`);
    assert.equal(conn(id).availabilityScheduled, false, `connector ${id}`);
  }
  cp.on('ChangeAvailability', () => ({ status: 'Rejected' }));
  await site.api('/api/admin/chargers/CP-1/change-availability', { body: { connectorId: 1, type: 'Operative' } });
  assert.equal(conn(1).availability, 'Inoperative', 'a Rejected change is not recorded');
  const view = await site.api('/api/admin/chargers/CP-1');
  assert.equal(view.body.charger.connectors.find((c: any) => c.connectorId === 1).availability, 'Inoperative');
});

test('reported configuration keys are stored and served from the store with ?cached=true', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('GetConfiguration', () => ({
    configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }, { key: 'NumberOfConnectors', readonly: true, value: '2' }],
    unknownKey: [],
  }));
  cp.on('ChangeConfiguration', () => ({ status: 'RebootRequired' }));
  const got = await site.api('/api/admin/chargers/CP-1/configuration');
  assert.equal(got.status, 200);
  assert.deepEqual(cp.received.at(-1)!.payload, {}, 'no key list: all keys');
  assert.equal((await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'HeartbeatInterval', value: '120' } })).body.status, 'RebootRequired');
  await cp.close();
  const cached = await site.api('/api/admin/chargers/CP-1/configuration?cached=true');
  assert.equal(cached.status, 200);
  assert.deepEqual(cached.body.configurationKey.map((k: any) => [k.key, k.value, k.readonly]), [['HeartbeatInterval', '120', false], ['NumberOfConnectors', '2', true]]);
  const viewer = site.createToken('viewer');
  assert.equal((await site.api('/api/admin/chargers/CP-1/configuration?cached=true', { token: viewer })).status, 200, 'viewers may read it');
});

test('AuthorizationKey rotation: once the charger accepts, only the new password connects', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1', 'old-password-1234');
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'old-password-1234' });
  cp.on('ChangeConfiguration', () => ({ status: 'Rejected' }));
  const refused = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: 'new-password-5678' } });
  assert.equal(refused.body.status, 'Rejected', JSON.stringify(refused.body));
  const stillOld = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'old-password-1234' });
  await stillOld.close();

  const reconnected = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'old-password-1234' });
  reconnected.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
  const accepted = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: 'new-password-5678' } });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.status, 'Accepted');
  await reconnected.close();

  await assert.rejects(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'old-password-1234' }), (err: any) => err.status === 401);
  const fresh = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'new-password-5678' });
  await fresh.close();
  // The key is a secret: not in the configuration table, masked in the log API.
  assert.equal(site.count('charger_configuration', "key = 'AuthorizationKey'"), 0);
  const log = await waitFor('both ChangeConfiguration calls in the log', async () => {
    const r = await site.api('/api/logs?action=ChangeConfiguration&direction=OUT');
    return r.body.logs.length >= 2 && r;
  });
  for (const row of log.body.logs) assert.equal(row.payload.value, '********');
  const short = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: 'short' } });
  assert.equal(short.status, 400, 'a too-short password is refused before it is sent');
});

test('an answer that breaks the OCPP schema is a 502 naming the violation', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('Reset', () => ({ status: 'Maybe' }));
  const r = await site.api('/api/admin/chargers/CP-1/reset', { body: { type: 'Hard' } });
  assert.equal(r.status, 502);
  assert.equal(r.body.error.details.code, 'PropertyConstraintViolation');
  assert.match(r.body.error.message, /invalid response/);
});

test('remote start is authorized like the charger would: a refused idTag is 409 and nothing is sent, unless forced', async () => {
  await using site = await startTestSite();
  site.addIdTag('BLOCKED-1', { status: 'Blocked' });
  const cp = await site.connectCharger('CP-RS');
  cp.on('RemoteStartTransaction', () => ({ status: 'Accepted' }));
  const unknown = await site.api('/api/admin/chargers/CP-RS/remote-start', { body: { idTag: 'NOBODY', connectorId: 1 } });
  assert.equal(unknown.status, 409);
  assert.equal(unknown.body.error.details.status, 'Invalid');
  const blocked = await site.api('/api/admin/chargers/CP-RS/remote-start', { body: { idTag: 'BLOCKED-1', connectorId: 1 } });
  assert.equal(blocked.body.error.details.status, 'Blocked');
  assert.equal(cp.received.length, 0, 'nothing was sent to the charger');
  const forced = await site.api('/api/admin/chargers/CP-RS/remote-start', { body: { idTag: 'BLOCKED-1', connectorId: 1, force: true } });
  assert.equal(forced.status, 200);
  assert.deepEqual(cp.received.map((r) => [r.action, r.payload.idTag]), [['RemoteStartTransaction', 'BLOCKED-1']]);
});
