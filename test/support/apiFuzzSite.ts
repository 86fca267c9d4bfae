// The site the API fuzz test attacks: one of everything (a booted charger that answers every command, a
// running session, a user with a wallet and an idTag, a tariff, a station, a firmware file, a reservation,
// a staff account, a spare token), a valid value for every route parameter, and a valid body per route,
// so hostile variants reach the code behind the 404s and the schema checks.
import { isoNow, type TestSite } from './testSite.js';
import { addTariff, addUser, topUp } from './wallets.js';
import type { RawClient, RawReply } from './apiFuzz.js';

export const CP = 'CP-FUZZ';
export const TAG = 'FUZZTAG';

/** A valid answer to every CSMS->charger action, so commands get past the charger too. */
const CHARGER_REPLIES: Record<string, object> = {
  RemoteStartTransaction: { status: 'Accepted' }, RemoteStopTransaction: { status: 'Accepted' }, ChangeAvailability: { status: 'Accepted' },
  Reset: { status: 'Accepted' }, UnlockConnector: { status: 'Unlocked' }, ChangeConfiguration: { status: 'Accepted' }, ClearCache: { status: 'Accepted' },
  TriggerMessage: { status: 'Accepted' }, DataTransfer: { status: 'Accepted', data: 'ok' }, SendLocalList: { status: 'Accepted' },
  GetLocalListVersion: { listVersion: 1 }, ReserveNow: { status: 'Accepted' }, CancelReservation: { status: 'Accepted' },
  UpdateFirmware: {}, GetDiagnostics: { fileName: 'diag.log' }, SetChargingProfile: { status: 'Accepted' }, ClearChargingProfile: { status: 'Accepted' },
  GetCompositeSchedule: { status: 'Accepted', connectorId: 0, scheduleStart: '2030-01-01T00:00:00Z', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } },
  GetConfiguration: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }], unknownKey: [] },
  InstallCertificate: { status: 'Accepted' }, DeleteCertificate: { status: 'Accepted' }, ExtendedTriggerMessage: { status: 'Accepted' },
  GetInstalledCertificateIds: { status: 'NotFound' }, GetLog: { status: 'Accepted', filename: 'security.log' }, SignedUpdateFirmware: { status: 'Accepted' },
};
// The API checks only that a certificate looks like PEM; the charger is the one that parses it.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfuzz\n-----END CERTIFICATE-----\n';

export interface FuzzFixture {
  params(method: string, path: string, name: string): string;
  /** A valid request for the route: body (JSON unless raw) and any query it needs. */
  sample(method: string, path: string): { body?: Record<string, unknown> | string; query?: string };
}

function must(reply: RawReply, what: string): any {
  if (reply.status < 200 || reply.status >= 300) throw new Error(`fixture ${what}: ${reply.status} ${reply.text}`);
  return reply.json;
}

export async function buildFixture(site: TestSite, client: RawClient): Promise<FuzzFixture> {
  const token = site.createToken('admin');
  const cp = await site.connectCharger(CP);
  for (const [action, reply] of Object.entries(CHARGER_REPLIES)) cp.on(action, () => reply);
  await cp.call('BootNotification', { chargePointVendor: 'Fuzz', chargePointModel: 'F1', firmwareVersion: '1.0' });
  for (const connectorId of [1, 2]) await cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Available' });
  const tariffId = await addTariff(site);
  const station = await site.domain.uow.run(() => site.domain.stations.create({ name: 'Fuzz station' }));
  const userId = addUser(site, 'Fuzz Driver');
  await topUp(site, userId, 100_000);
  site.addIdTag(TAG, { userId });
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: TAG, meterStart: 0, timestamp: isoNow() });
  const uploaded = must(await client.request({
    method: 'POST', path: '/api/admin/files/firmware?name=fuzz.bin', body: 'FIRMWARE',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
  }), 'firmware upload') as { file: { id: number }; url: string };
  const [fwToken, fwName] = new URL(uploaded.url).pathname.split('/').slice(3);
  const { reservation } = must(await client.json('POST', `/api/admin/chargers/${CP}/reservations`, token, { connectorId: 2, idTag: TAG, expiresInMinutes: 60 }), 'reservation');
  const staff = await site.domain.adminUsers.create({ username: 'fuzz-staff', password: 'correct horse battery', role: 'viewer' });
  site.createToken('viewer');
  const tokenId = (site.database.sqlite.prepare('SELECT max(id) AS id FROM api_token').get() as { id: number }).id;
  const diagToken = site.domain.files.token(`diagnostics:${CP}`);
  // What a DELETE may really remove: the fixture's own are in use (409) and stay for the other routes.
  const spare = {
    tariffs: await addTariff(site, { name: 'Spare' }), users: addUser(site, 'Spare Driver'),
    stations: (await site.domain.uow.run(() => site.domain.stations.create({ name: 'Spare station' }))).id,
  };

  const ids: Array<[RegExp, string | number]> = [
    [/^\/api\/admin\/(chargers|charge-points)|^\/api\/charge-points/, CP], [/reservations/, reservation.id], [/files/, uploaded.file.id],
    [/tariffs/, tariffId], [/admin-users/, staff.id], [/tokens/, tokenId], [/users/, userId], [/stations/, station.id],
    [/transactions/, transactionId], [/id-tags/, TAG],
  ];
  const params = (method: string, path: string, name: string): string => {
    const kind = /^\/api\/admin\/(tariffs|users|stations)\/:id$/.exec(path)?.[1] as keyof typeof spare | undefined;
    if (method === 'DELETE' && kind) return String(spare[kind]);
    if (name === 'chargePointId') return CP;
    if (name === 'token') return path.startsWith('/files/firmware') ? fwToken! : diagToken;
    if (name === 'name') return path.startsWith('/files/firmware') ? fwName! : 'diag.log';
    const id = ids.find(([re]) => re.test(path));
    if (!id) throw new Error(`no fixture value for :${name} in ${path}`);
    return String(id[1]);
  };

  const profile = {
    chargingProfileId: 7, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
  };
  const samples: Record<string, { body?: Record<string, unknown> | string; query?: string }> = {
    'POST /api/auth/login': { body: { username: 'fuzz-staff', password: 'not the password' } },
    'PUT /api/auth/password': { body: { currentPassword: 'a', newPassword: 'b' } },
    'POST /api/admin/chargers/:chargePointId/local-list': { body: { updateType: 'Full' } },
    'POST /api/admin/chargers/:chargePointId/reservations': { body: { connectorId: 2, idTag: TAG, expiresInMinutes: 30, parentIdTag: TAG } },
    'POST /api/admin/files/firmware': { body: 'FIRMWARE', query: 'name=fuzz-2.bin' },
    'POST /api/admin/chargers/:chargePointId/firmware': { body: { fileId: uploaded.file.id, retrieveDate: '2030-01-01T00:00:00Z', retries: 1, retryInterval: 5 } },
    'POST /api/admin/chargers/:chargePointId/diagnostics': { body: { startTime: '2024-01-01T00:00:00Z', stopTime: '2030-01-01T00:00:00Z', retries: 1 } },
    'POST /api/admin/chargers/:chargePointId/certificates/install': { body: { certificateType: 'ManufacturerRootCertificate', certificate: PEM } },
    'POST /api/admin/chargers/:chargePointId/certificates/installed': { body: { certificateType: 'CentralSystemRootCertificate' } },
    'POST /api/admin/chargers/:chargePointId/certificates/delete': { body: { certificateHashData: { hashAlgorithm: 'SHA256', issuerNameHash: 'a', issuerKeyHash: 'b', serialNumber: '1' } } },
    'POST /api/admin/chargers/:chargePointId/extended-trigger': { body: { requestedMessage: 'StatusNotification', connectorId: 1 } },
    'POST /api/admin/chargers/:chargePointId/logs': { body: { logType: 'SecurityLog', oldestTimestamp: '2024-01-01T00:00:00Z', retries: 1 } },
    'POST /api/admin/chargers/:chargePointId/signed-firmware': { body: { fileId: uploaded.file.id, signingCertificate: PEM, signature: 'c2ln' } },
    'POST /api/admin/chargers/:chargePointId/charging-profiles': { body: { connectorId: 0, csChargingProfiles: profile } },
    'POST /api/admin/chargers/:chargePointId/charging-profiles/clear': { body: { id: 7, connectorId: 0, chargingProfilePurpose: 'ChargePointMaxProfile', stackLevel: 0 } },
    'POST /api/admin/tariffs': { body: { name: 'T', currency: 'EUR', pricePerKwh: 10, sessionFee: 1, taxPercent: 20, isDefault: false } },
    'PUT /api/admin/tariffs/:id': { body: { name: 'T2', pricePerMinute: 1 } },
    'PATCH /api/admin/tariffs/:id': { body: { idleFeePerMinute: 2 } },
    'PUT /api/admin/chargers/:chargePointId/tariff': { body: { tariffId } },
    'POST /api/admin/users/:id/wallet': { body: { currency: 'EUR' } },
    'POST /api/admin/users/:id/wallet/top-up': { body: { amount: 100, currency: 'EUR', description: 'fuzz', idempotencyKey: 'k-top-up' } },
    'POST /api/admin/users/:id/wallet/refund': { body: { amount: 1, chargingTransactionId: transactionId, idempotencyKey: 'k-refund' } },
    'POST /api/admin/users/:id/wallet/adjustment': { body: { amount: -1, description: 'fix', idempotencyKey: 'k-adjust' } },
    'POST /api/admin/admin-users': { body: { username: 'fuzz-2', password: 'correct horse battery', role: 'viewer' } },
    'PUT /api/admin/admin-users/:id': { body: { role: 'viewer', disabled: false } },
    'POST /api/admin/tokens': { body: { name: 'fuzz', role: 'viewer' } },
    'POST /api/admin/stations': { body: { name: 'S', address: 'A', latitude: 1, longitude: 2, tariffId } },
    'PUT /api/admin/stations/:id': { body: { name: 'S2', tariffId: null } },
    'POST /api/admin/chargers': { body: { chargePointId: 'CP-NEW', name: 'n', stationId: station.id, tariffId, maxCurrentA: 16, registrationStatus: 'Accepted', password: 'long-enough-1' } },
    'PUT /api/admin/chargers/:id': { body: { name: 'n2', maxCurrentA: 32, stationId: station.id } },
    'PUT /api/admin/chargers/:id/password': { body: { password: 'long-enough-2' } },
    'POST /api/admin/chargers/:id/remote-start': { body: { idTag: TAG, connectorId: 2, chargingProfile: { ...profile, chargingProfilePurpose: 'TxProfile' }, force: false } },
    'POST /api/admin/chargers/:id/remote-stop': { body: { transactionId } },
    'POST /api/admin/chargers/:id/change-availability': { body: { connectorId: 1, type: 'Operative' } },
    'POST /api/admin/chargers/:id/reset': { body: { type: 'Soft' } },
    'POST /api/admin/chargers/:id/unlock': { body: { connectorId: 1 } },
    'PUT /api/admin/chargers/:id/configuration': { body: { key: 'HeartbeatInterval', value: '60' } },
    'POST /api/admin/chargers/:id/trigger': { body: { requestedMessage: 'StatusNotification', connectorId: 1 } },
    'POST /api/admin/chargers/:id/data-transfer': { body: { vendorId: 'v', messageId: 'm', data: 'd' } },
    'POST /api/admin/transactions/:id/close': { body: { meterStop: 5 } },
    'POST /api/admin/users': { body: { fullName: 'U', phoneNumber: '+1 555 0100', email: 'a@b.c', status: 'Active' } },
    'PUT /api/admin/users/:id': { body: { fullName: 'U2', status: 'Active', email: null } },
    'POST /api/admin/id-tags': { body: { idTag: 'NEWTAG', userId, parentIdTag: TAG, status: 'Accepted', expiryDate: '2030-01-01T00:00:00Z', kind: 'RFID', description: 'd' } },
    'PUT /api/admin/id-tags/:id': { body: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00Z', description: 'x', parentIdTag: null } },
    'POST /api/charge-points/:id/request': { body: { action: 'ChangeAvailability', payload: { connectorId: 0, type: 'Operative' } } },
    'POST /api/setup': { body: { token: 'not-the-token', username: 'a', password: 'correct horse battery', currency: 'EUR', tariff: { pricePerKwh: 1 } } },
    'PUT /api/admin/site': { body: { siteName: 'Fuzz site' } },
    'GET /api/admin/users': { query: 'sort=-balance' },
    'GET /api/admin/id-tags': { query: 'sort=user' },
    'GET /api/admin/transactions': { query: 'sort=-energy' },
    'GET /api/admin/statistics': { query: 'period=week&groupBy=driver&from=2024-01-01&to=2030-01-01' },
  };
  return {
    params,
    sample: (method, path) => samples[`${method} ${path}`] ?? (path.startsWith('/files/diagnostics') ? { body: 'diagnostics log' } : {}),
  };
}
