import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHttpError, HttpError } from './errors.js';
import { DomainError } from '../domain/errors.js';
import { WalletError } from '../domain/wallets.js';
import { AdminUserError } from '../domain/adminUsers.js';
import { CallRejectedError, CallTimeoutError, ChargerOfflineError } from '../ocpp/errors.js';
import { OcppError } from '../ocpp/rpc.js';

const answer = (err: unknown) => { const h = toHttpError(err); return h && [h.status, h.code]; };

test('each domain error kind has its status, and the code and details pass through', () => {
  assert.deepEqual(answer(new DomainError('not_found', 'x_not_found', 'no x')), [404, 'x_not_found']);
  assert.deepEqual(answer(new WalletError('conflict', 'insufficient_balance', 'too little')), [409, 'insufficient_balance']);
  assert.deepEqual(answer(new AdminUserError('weak_password', 'short')), [422, 'weak_password']);
  assert.deepEqual(answer(new DomainError('forbidden', 'not_yours', 'no')), [403, 'not_yours']);
  assert.deepEqual(toHttpError(new DomainError('conflict', 'c', 'm', { n: 1 }))?.details, { n: 1 });
});

test('a failed call to a charger, a transport error and an unforeseen error', () => {
  assert.deepEqual(answer(new ChargerOfflineError('CP-1')), [409, 'charger_offline']);
  assert.deepEqual(answer(new CallTimeoutError('CP-1', 'Reset', 30_000)), [504, 'charger_timeout']);
  assert.deepEqual(answer(new CallRejectedError('CP-1', 'Reset', 'NotSupported', '')), [502, 'charger_error']);
  const bad = toHttpError(new OcppError('PropertyConstraintViolation', 'Reset request /type must be …', { path: '/type' }));
  assert.deepEqual([bad?.status, bad?.code, bad?.details], [400, 'invalid_ocpp_payload', { code: 'PropertyConstraintViolation', path: '/type' }]);
  const own = new HttpError(413, 'body_too_large', 'big');
  assert.equal(toHttpError(own), own);
  assert.equal(toHttpError(new Error('bug')), undefined);
});
