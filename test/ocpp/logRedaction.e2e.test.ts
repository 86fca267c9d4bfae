// A rotated charger password (ChangeConfiguration AuthorizationKey) is masked before the message log
// row is written: the SQLite file never holds it, and the log API still shows the call, masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { waitFor } from '../support/waitFor.js';
import { decodeLogPayload } from '../../src/domain/logPayloadCodec.js';

test('after an AuthorizationKey rotation no log row in the database file holds the new password', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1', 'old-password-1234');
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'old-password-1234' });
  cp.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
  const secret = 'Rotated-Secret-9f3e1c';
  const res = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: secret } });
  assert.equal(res.body.status, 'Accepted', JSON.stringify(res.body));
  assert.equal(cp.received.at(-1)!.payload.value, secret, 'the charger itself got the password');
  // The legacy route sends it too.
  const legacy = await site.api('/api/charge-points/CP-1/request', { body: { action: 'ChangeConfiguration', payload: { key: 'AuthorizationKey', value: secret + 'x' } } });
  assert.equal(legacy.status, 200, JSON.stringify(legacy.body));
  await site.domain.messageLog.flush(); // the frames kept in memory reach the file now, as at shutdown

  // A second connection to the SQLite file, as an operator with the sqlite3 shell would see it.
  const db = new Database(site.database.file, { readonly: true });
  try {
    const rows = db.prepare("SELECT payload FROM log_entry WHERE action = 'ChangeConfiguration' AND direction = 'OUT' AND message_type = 2").all() as Array<{ payload: string }>;
    assert.equal(rows.length, 2);
    for (const r of rows) assert.deepEqual(JSON.parse(decodeLogPayload(r.payload)), { key: 'AuthorizationKey', value: '********' });
    assert.equal((db.prepare('SELECT count(*) AS n FROM log_entry WHERE payload LIKE ?').get(`%${secret}%`) as { n: number }).n, 0);
  } finally { db.close(); }
  // Not in any page of the database or its WAL either.
  for (const f of fs.readdirSync(site.dir)) {
    const file = path.join(site.dir, f);
    if (fs.statSync(file).isFile()) assert.equal(fs.readFileSync(file).includes(secret), false, `${f} holds the password`);
  }

  const log = await site.api('/api/logs?action=ChangeConfiguration&direction=OUT');
  assert.equal(log.body.logs.length, 2);
  for (const row of log.body.logs) assert.deepEqual(row.payload, { key: 'AuthorizationKey', value: '********' });
});

test('other configuration changes are logged as sent', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-2');
  cp.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
  await site.api('/api/admin/chargers/CP-2/configuration', { method: 'PUT', body: { key: 'HeartbeatInterval', value: '120' } });
  const log = await waitFor('the ChangeConfiguration in the log', async () => {
    const r = await site.api('/api/logs?action=ChangeConfiguration&direction=OUT');
    return r.body.logs.length > 0 && r;
  });
  assert.deepEqual(log.body.logs[0].payload, { key: 'HeartbeatInterval', value: '120' });
});
