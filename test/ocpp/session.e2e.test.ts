import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';

test('a full charging session is answered and stored', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 22', firmwareVersion: '1.2.3' });
  assert.equal(boot.status, 'Accepted');
  assert.equal(boot.interval, site.config.ocpp.heartbeatIntervalSec);
  await cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
  const auth = await cp.call('Authorize', { idTag: 'TAG-1' });
  assert.equal(auth.idTagInfo.status, 'Accepted');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: isoNow() });
  assert.equal(start.idTagInfo.status, 'Accepted');
  assert.ok(Number.isInteger(start.transactionId));
  await cp.call('MeterValues', {
    connectorId: 1, transactionId: start.transactionId,
    meterValue: [{ timestamp: isoNow(), sampledValue: [
      { value: '2.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
      { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
      { value: '32', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
      { value: '230', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
      { value: '55', measurand: 'SoC', unit: 'Percent' },
      { value: '30', measurand: 'Temperature', unit: 'Celsius' },
    ] }],
  });
  const running = site.domain.transactions.byId(start.transactionId)!;
  assert.equal(running.lastMeterWh, 2500, 'kWh register is stored as Wh');
  assert.equal(running.lastPowerW, 7400);
  const stop = await cp.call('StopTransaction', {
    transactionId: start.transactionId, meterStop: 12000, timestamp: isoNow(), idTag: 'TAG-1', reason: 'EVDisconnected',
    transactionData: [{ timestamp: isoNow(), sampledValue: [{ value: '12000' }] }],
  });
  assert.equal(stop.idTagInfo.status, 'Accepted');
  const done = site.domain.transactions.byId(start.transactionId)!;
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.energyWh, 11000);
  assert.equal(done.stopReason, 'EVDisconnected');
  assert.equal(site.count('meter_value', `transaction_id = ${start.transactionId}`), 7);
  const charger = site.domain.chargers.byChargePointId('CP-1')!;
  assert.equal(charger.vendor, 'Acme');
  assert.equal(charger.firmwareVersion, '1.2.3');
  assert.equal(charger.latestStatus, 'Available');
  assert.equal(site.count('status_history'), 2);
  // Every frame in and out is in the message log (written in the background): 7 calls and 7 results.
  await waitFor('14 frames in the log', () => site.count('log_entry', "charge_point_id = 'CP-1'") >= 14);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-1'"), 14);
  assert.equal(site.count('outbox', "topic = 'transactions'"), 2);
});

test('a repeated StartTransaction returns the same transaction id', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const req = { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() };
  const first = await cp.call('StartTransaction', req);
  const again = await cp.call('StartTransaction', req);
  assert.equal(again.transactionId, first.transactionId);
  assert.equal(site.count('transaction'), 1);
});

test('a StopTransaction for an unknown transaction is answered and kept for review', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  const reply = await cp.call('StopTransaction', { transactionId: 4242, meterStop: 500, timestamp: isoNow() });
  assert.deepEqual(reply, {});
  assert.equal(site.count('transaction', "status = 'ORPHAN_STOP' AND reported_transaction_id = 4242"), 1);
});

// Many chargers send BootNotification on every reconnect (https://github.com/evcc-io/evcc/pull/25069).
test('a reboot does not end a running transaction; its later stop completes it', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: isoNow() });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  assert.equal(site.domain.transactions.byId(start.transactionId)!.status, 'RUNNING');
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 600, timestamp: isoNow(), reason: 'PowerLoss' });
  const tx = site.domain.transactions.byId(start.transactionId)!;
  assert.equal(tx.status, 'COMPLETED');
  assert.equal(tx.energyWh, 500);
});

test('a repeated StopTransaction changes nothing', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const stop = { transactionId: start.transactionId, meterStop: 1000, timestamp: isoNow() };
  await cp.call('StopTransaction', stop);
  await cp.call('StopTransaction', { ...stop, meterStop: 5000 });
  const tx = site.domain.transactions.byId(start.transactionId)!;
  assert.equal(tx.energyWh, 1000);
  assert.equal(site.count('outbox', "topic = 'transactions'"), 2);
});

test('a DataTransfer from the charger is stored for review and answered UnknownVendorId', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-DT');
  const reply = await cp.call('DataTransfer', { vendorId: 'com.acme', messageId: 'hello', data: '{"x":1}' });
  assert.deepEqual(reply, { status: 'UnknownVendorId' });
  assert.equal(site.count('data_transfer', "vendor_id = 'com.acme' AND message_id = 'hello' AND data = '{\"x\":1}'"), 1);
});

test('Diagnostics- and FirmwareStatusNotification are tracked on the charger', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-FW');
  await cp.call('FirmwareStatusNotification', { status: 'Downloading' });
  await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
  const charger = site.domain.chargers.byChargePointId('CP-FW')!;
  assert.deepEqual([charger.firmwareStatus, charger.diagnosticsStatus], ['Downloading', 'Uploaded']);
});
