import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargePointIdFromPath, pickSubprotocol } from './handshake.js';

test('the charge point id is the last path segment; what surrounds it is reported', () => {
  assert.deepEqual(chargePointIdFromPath('CP1'), { id: 'CP1', tolerated: [] });
  assert.deepEqual(chargePointIdFromPath('CP%201'), { id: 'CP 1', tolerated: [] });
  assert.deepEqual(chargePointIdFromPath('CP1/')?.tolerated.map((t) => t.kind), ['trailing_slash']);
  assert.deepEqual(chargePointIdFromPath('CP1/CP1'), { id: 'CP1', tolerated: [{ kind: 'repeated_id', raw: 'CP1/CP1' }] });
  assert.deepEqual(chargePointIdFromPath('4/CBI-1625302527208'), { id: 'CBI-1625302527208', tolerated: [{ kind: 'extra_path_segment', raw: '4/CBI-1625302527208' }] });
  assert.deepEqual(chargePointIdFromPath('x/CP1/')?.tolerated.map((t) => t.kind), ['trailing_slash', 'extra_path_segment']);
  for (const none of ['', '/', 'a//b', 'x'.repeat(49)]) assert.equal(chargePointIdFromPath(none), undefined, none);
  assert.throws(() => chargePointIdFromPath('%E0%A4%A'));
});

test('the subprotocol is found in the list however it is written, and answered as the charger spelled it', () => {
  assert.deepEqual(pickSubprotocol('ocpp1.6'), { protocol: 'ocpp1.6', tolerated: [] });
  assert.deepEqual(pickSubprotocol('ocpp2.0.1, ocpp1.6'), { protocol: 'ocpp1.6', tolerated: [] });
  assert.deepEqual(pickSubprotocol(''), { protocol: '', tolerated: [{ kind: 'no_subprotocol', raw: '' }] });
  assert.deepEqual(pickSubprotocol(' , '), { protocol: '', tolerated: [{ kind: 'no_subprotocol', raw: ' , ' }] });
  assert.deepEqual(pickSubprotocol(',ocpp1.6'), { protocol: 'ocpp1.6', tolerated: [{ kind: 'subprotocol_list_malformed', raw: ',ocpp1.6' }] });
  assert.deepEqual(pickSubprotocol('OCPP1.6 ,ocpp1.5'), { protocol: 'OCPP1.6', tolerated: [{ kind: 'subprotocol_list_malformed', raw: 'OCPP1.6 ,ocpp1.5' }] });
  assert.equal(pickSubprotocol('ocpp2.0.1'), undefined);
  assert.equal(pickSubprotocol('ocpp1.6j'), undefined);
});
