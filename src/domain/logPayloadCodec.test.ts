import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLogPayload, decodeLogPayload } from './logPayloadCodec.js';

const METER_VALUES = JSON.stringify({ connectorId: 1, transactionId: 17, meterValue: [{ timestamp: '2026-12-03T17:35:30.190Z', sampledValue: [
  { value: '1234', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
  { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
  { value: '32.1', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
  { value: '230.4', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
] }] });

test('a MeterValues payload is stored in about a third of its size and read back exactly', () => {
  const stored = encodeLogPayload(METER_VALUES);
  assert.ok(stored.length < METER_VALUES.length * 0.4, `${METER_VALUES.length} -> ${stored.length}`);
  assert.equal(decodeLogPayload(stored), METER_VALUES);
  const status = JSON.stringify({ connectorId: 2, errorCode: 'NoError', status: 'Charging', timestamp: '2026-12-03T17:35:30Z', vendorErrorCode: '' });
  assert.equal(decodeLogPayload(encodeLogPayload(status)), status);
});

test('raw text with control characters of its own, or starting with a marker, comes back unchanged; old rows pass through', () => {
  for (const text of ['', '{}', 'not json \x03 "value":"', '\x01"value":"', '\x02x', '\x00', 'tab\tnew\nline\r "unit":"', '[2,"1","Heartbeat",{}]']) {
    assert.equal(decodeLogPayload(encodeLogPayload(text)), text, JSON.stringify(text));
  }
  assert.equal(decodeLogPayload(METER_VALUES), METER_VALUES, 'a row stored before the codec');
});

test('any text round-trips (random strings of tokens, markers, control characters and text)', () => {
  const parts = ['"value":"', '"measurand":"', 'Energy.Active.Import.Register', 'Energy.Active', '"},{', '\x01', '\x02', '\x03', '\x1f', '\t', 'é', '😀', 'a', '"', '\\u0003', ':'];
  let seed = 42;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed; };
  for (let n = 0; n < 2000; n++) {
    const text = Array.from({ length: next() % 12 }, () => parts[next() % parts.length]).join('');
    assert.equal(decodeLogPayload(encodeLogPayload(text)), text, JSON.stringify(text));
  }
});
