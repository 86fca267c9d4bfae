import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRONT_HEADERS, fromFront, rewriteHead } from './mtlsFront.js';

test('the front adds its headers after the request line and drops copies a client sent itself', () => {
  const head = 'GET /ocpp/CP-3 HTTP/1.1\r\nHost: pi\r\nX-Ocpp-Edge-Client-Cn: CP-9\r\nx-ocpp-edge-front: guessed\r\nUpgrade: websocket';
  const out = rewriteHead(head, { [FRONT_HEADERS.secret]: 's3cret', [FRONT_HEADERS.clientCn]: 'CP-3', [FRONT_HEADERS.clientIp]: '10.0.0.5' }).split('\r\n');
  assert.equal(out[0], 'GET /ocpp/CP-3 HTTP/1.1');
  assert.deepEqual(out.filter((l) => /^x-ocpp-edge-/i.test(l)), ['x-ocpp-edge-front: s3cret', 'x-ocpp-edge-client-cn: CP-3', 'x-ocpp-edge-client-ip: 10.0.0.5']);
  assert.ok(out.includes('Host: pi') && out.includes('Upgrade: websocket'));
});

test('only the exact secret marks a request as coming through the front', () => {
  assert.equal(fromFront('abc123', 'abc123'), true);
  assert.equal(fromFront('abc123', 'abc124'), false);
  assert.equal(fromFront('abc123', ''), false);
  assert.equal(fromFront(undefined, ''), false);
});
