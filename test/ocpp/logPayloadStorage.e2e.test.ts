// The frame log stores payloads with OCPP's repeated keys and values as one-character codes
// (src/domain/logPayloadCodec.ts): the log API shows every frame exactly as it came, broken frames too, and a
// MeterValues row takes about a third of the disk it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startTestSite } from '../support/testSite.js';

test('MeterValues, a broken frame with control characters and old plain rows come back exact from /api/logs; the stored MeterValues is a third of its size', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-LOG');
  const cp = await site.connectCharger('CP-LOG');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-LOG', meterStart: 0, timestamp: new Date().toISOString() });
  const meter = { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
    { value: '1200', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
    { value: '7400', context: 'Sample.Periodic', measurand: 'Power.Active.Import', location: 'Outlet', unit: 'W' },
    { value: '16', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
  ] }] };
  await cp.call('MeterValues', meter);
  // Firmware that puts a raw control character in a frame (not valid JSON): logged as the text it was.
  const broken = '[2,"bad-1","MeterValues",{"connectorId":1,"x":"\u0003\u0001"}';
  await assert.rejects(cp.sendRaw(broken, 'bad-1'));
  await cp.sendRaw('[2,"hb-1","Heartbeat", { } ]', 'hb-1'); // stored as sent, not as we would write it
  await site.domain.messageLog.flush();
  // A row written before the codec (plain JSON text) still reads back.
  site.database.sqlite.prepare(`INSERT INTO log (charge_point_id, direction, message_type, action, unique_id, payload, created_at)
    VALUES ('CP-LOG', 'IN', 2, 'Heartbeat', 'old-1', ?, ?)`).run(JSON.stringify({ old: '"value":"' }), new Date().toISOString());

  const { body } = await site.api('/api/logs?chargePointId=CP-LOG&limit=20');
  const rows = body.logs as Array<{ action: string | null; messageType: number; uniqueId: string; payload: unknown }>;
  assert.deepEqual(rows.find((r) => r.action === 'MeterValues' && r.messageType === 2)!.payload, meter);
  assert.equal(rows.find((r) => r.uniqueId === 'bad-1' && r.messageType === 0)!.payload, broken);
  assert.deepEqual(rows.find((r) => r.uniqueId === 'old-1')!.payload, { old: '"value":"' });

  const db = new Database(site.database.file, { readonly: true });
  try {
    const stored = (db.prepare("SELECT payload FROM log_entry WHERE action = 'MeterValues' AND message_type = 2").get() as { payload: string }).payload;
    assert.equal((db.prepare("SELECT payload FROM log_entry WHERE unique_id = 'hb-1' AND direction = 'IN'").get() as { payload: string }).payload, '{ }');
    const plain = JSON.stringify(meter).length;
    assert.ok(stored.length < plain * 0.4, `stored ${stored.length} characters for ${plain}`);
  } finally { db.close(); }
});
