import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OcppValidator } from '../validate.js';
import { CompatibilityLayer } from './index.js';

const validator = new OcppValidator();
const layer = new CompatibilityLayer(validator);
const at = new Date('2026-05-01T12:00:00.000Z');
const admit = (action: string, payload: Record<string, unknown>, mode: 'tolerant' | 'strict' = 'tolerant') => layer.admit(action, payload, mode, at);

test('a conforming payload is passed through untouched, not copied', () => {
  const payload = { connectorId: 1, errorCode: 'NoError', status: 'Available' };
  const out = admit('StatusNotification', payload);
  assert.ok(out.ok && out.payload === payload && out.repairs.length === 0);
});

test('strict mode refuses what tolerant mode repairs, with the schema code', () => {
  const out = admit('StatusNotification', { connectorId: 1, errorCode: 'Error', status: 'Faulted' }, 'strict');
  assert.ok(!out.ok && out.error.code === 'PropertyConstraintViolation' && out.answer === undefined);
});

test('repairs are made on a copy, recorded with the field path, and the result conforms', () => {
  const sent = { connectorId: '1', transactionId: 7.6, extra: true, meterValue: { sampledValue: [
    { value: 12.5, unit: 'KWH', context: 'sample.clock' }, { value: '1', measurand: 'Bogus' }, { value: '2', unit: 'furlongs' }, { value: '3', phase: 'l2', location: null },
  ] } };
  const frozen = structuredClone(sent);
  const out = admit('MeterValues', sent);
  assert.ok(out.ok);
  assert.deepEqual(sent, frozen, 'the input is never changed');
  assert.deepEqual(out.payload, { connectorId: 1, transactionId: 8, meterValue: [{ timestamp: at.toISOString(), sampledValue: [
    { value: '12.5', unit: 'kWh', context: 'Sample.Clock' }, { value: '3', phase: 'L2' },
  ] }] });
  assert.doesNotThrow(() => validator.check('MeterValues', 'request', out.payload));
  assert.deepEqual(out.repairs.map((r) => `${r.kind} ${r.path}`).sort(), [
    'decimal_to_integer transactionId', 'enum_mapped meterValue[].sampledValue[].context', 'enum_mapped meterValue[].sampledValue[].phase',
    'enum_mapped meterValue[].sampledValue[].unit', 'extra_field (payload)', 'null_optional meterValue[].sampledValue[].location',
    'number_to_string meterValue[].sampledValue[].value', 'object_to_array meterValue', 'sample_dropped meterValue[].sampledValue[].measurand',
    'sample_dropped meterValue[].sampledValue[].unit', 'string_to_number connectorId', 'timestamp_missing meterValue[].timestamp',
  ]);
});

test('errorCode outside the list becomes OtherError, the raw text kept in vendorErrorCode unless the charger set one', () => {
  const a = admit('StatusNotification', { connectorId: 1, errorCode: 'Error', status: 'faulted' });
  assert.ok(a.ok);
  assert.deepEqual(a.payload, { connectorId: 1, errorCode: 'OtherError', vendorErrorCode: 'Error', status: 'Faulted' });
  const b = admit('StatusNotification', { connectorId: 1, errorCode: 'E42', vendorErrorCode: '0x2A', status: 'Faulted' });
  assert.ok(b.ok && b.payload.vendorErrorCode === '0x2A');
});

test('times: no offset is UTC, an hours-only offset is completed, an impossible one is the receive time', () => {
  const times = ['2023-10-19T15:28:07', '2023-10-19 15:28', '2024-04-26T14:35:02+02', '2024-02-30T10:00:00', 'yesterday'];
  const got = times.map((timestamp) => {
    const out = admit('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp });
    assert.ok(out.ok, timestamp);
    return [out.payload.timestamp, out.repairs[0]?.kind];
  });
  assert.deepEqual(got, [
    ['2023-10-19T15:28:07Z', 'timestamp_no_offset'], ['2023-10-19T15:28:00Z', 'timestamp_no_offset'], ['2024-04-26T14:35:02+02:00', 'timestamp_no_offset'],
    [at.toISOString(), 'timestamp_invalid'], [at.toISOString(), 'timestamp_invalid'],
  ]);
});

test('what cannot be repaired is refused for most actions and answered for transaction messages', () => {
  const stop = admit('StopTransaction', { transactionId: null, meterStop: 1, timestamp: at.toISOString() });
  assert.ok(!stop.ok && stop.answer && Object.keys(stop.answer).length === 0);
  const start = admit('StartTransaction', { connectorId: 1, meterStart: 0, timestamp: at.toISOString() });
  assert.ok(!start.ok);
  assert.deepEqual(start.answer, { transactionId: 0, idTagInfo: { status: 'Invalid' } });
  const boot = admit('BootNotification', { chargePointVendor: 'Acme' });
  assert.ok(!boot.ok && boot.answer === undefined && boot.error.code === 'OccurenceConstraintViolation');
});

test('an empty string or null in an optional non-text field is absent; in a required one it is not invented', () => {
  const out = admit('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: at.toISOString(), reservationId: '' });
  assert.ok(out.ok);
  assert.equal('reservationId' in out.payload, false);
  assert.deepEqual(out.repairs.map((r) => r.kind), ['null_optional']);
  const required = admit('StartTransaction', { connectorId: null, idTag: 'T', meterStart: 0, timestamp: at.toISOString() });
  assert.ok(!required.ok && required.answer !== undefined, 'kept for review, answered');
});
