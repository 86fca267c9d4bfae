import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startTestSite } from '../support/testSite.js';
import { addTariff, addUser, walletState } from '../support/wallets.js';

test('the first top-up opens the wallet; a retried top-up with the same key is applied once', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  const empty = await site.api(`/api/admin/users/${userId}/wallet`);
  assert.deepEqual(empty.body, { wallet: null, ledger: [], limit: 50, nextBefore: null });
  const body = { amount: 2000, description: 'cash at desk', idempotencyKey: 'topup-1' };
  const first = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body });
  assert.equal(first.status, 201);
  assert.equal(first.headers.get('idempotent-replayed'), 'false');
  assert.equal(first.body.wallet.balance, 2000);
  assert.equal(first.body.wallet.currency, 'EUR');
  assert.equal(first.body.entry.type, 'TOP_UP');
  assert.equal(first.body.entry.idempotencyKey, 'topup-1');
  // The client never saw the answer and sends it again, twice at once, and once more later.
  const again = await Promise.all([
    site.api(`/api/admin/users/${userId}/wallet/top-up`, { body }), site.api(`/api/admin/users/${userId}/wallet/top-up`, { body }),
  ]);
  const later = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body });
  for (const r of [...again, later]) {
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, first.body, 'the original result');
    assert.equal(r.headers.get('idempotent-replayed'), 'true');
  }
  assert.deepEqual(walletState(site, userId), { balance: 2000, ledgerSum: 2000, charges: 0 });
  assert.equal(site.count('outbox', "topic = 'wallet-charges'"), 1);
});

test('the same key with a different request is a 409; the key may come in the Idempotency-Key header', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 500 }, headers: { 'idempotency-key': 'h-1' } });
  const replay = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 500, idempotencyKey: 'h-1' } });
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  const changed = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 501 }, headers: { 'idempotency-key': 'h-1' } });
  assert.equal(changed.status, 409);
  assert.equal(changed.body.error.code, 'idempotency_key_reused');
  const otherAction = await site.api(`/api/admin/users/${userId}/wallet/refund`, { body: { amount: 500, idempotencyKey: 'h-1' } });
  assert.equal(otherAction.status, 409);
  const missing = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 500 } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'idempotency_key_required');
  // Keys are per user: another user may use the same one.
  const other = addUser(site, 'Other');
  assert.equal((await site.api(`/api/admin/users/${other}/wallet/top-up`, { body: { amount: 7, idempotencyKey: 'h-1' } })).status, 201);
  assert.equal(walletState(site, userId).balance, 500);
  assert.equal(walletState(site, other).balance, 7);
});

test('refunds and adjustments: positive refunds, bounded by the session charge; adjustments need a reason and keep the balance >= 0', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 100 });
  const userId = addUser(site);
  site.addIdTag('TAG-1', { userId });
  await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 1000, idempotencyKey: 't' } });
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: new Date().toISOString() });
  await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 3000, timestamp: new Date().toISOString() });
  assert.equal(walletState(site, userId).balance, 700);
  const refund = (amount: number, key: string) => site.api(`/api/admin/users/${userId}/wallet/refund`, { body: { amount, chargingTransactionId: s.transactionId, description: 'faulty cable', idempotencyKey: key } });
  assert.equal((await refund(200, 'r1')).status, 201);
  const tooMuch = await refund(101, 'r2');
  assert.equal(tooMuch.status, 409);
  assert.equal(tooMuch.body.error.code, 'refund_exceeds_charge');
  assert.deepEqual(tooMuch.body.error.details, { charged: 300, refunded: 200, refundable: 100 });
  assert.equal((await refund(100, 'r3')).status, 201);
  assert.equal((await site.api(`/api/admin/users/${userId}/wallet/refund`, { body: { amount: 0, idempotencyKey: 'r4' } })).status, 400);
  const adjust = (body: object) => site.api(`/api/admin/users/${userId}/wallet/adjustment`, { body });
  assert.equal((await adjust({ amount: -50, idempotencyKey: 'a0' })).status, 400, 'description is required');
  assert.equal((await adjust({ amount: 0, description: 'x', idempotencyKey: 'a1' })).status, 400);
  assert.equal((await adjust({ amount: -1001, description: 'too much', idempotencyKey: 'a2' })).status, 409);
  const ok = await adjust({ amount: -1000, description: 'payout', idempotencyKey: 'a3' });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.wallet.balance, 0);
  assert.deepEqual(walletState(site, userId), { balance: 0, ledgerSum: 0, charges: 1 });
});

test('the ledger is paged newest first; unknown users and bad bodies are 4xx with an error object', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  for (let i = 1; i <= 5; i++) await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: i, idempotencyKey: `k${i}` } });
  const page1 = await site.api(`/api/admin/users/${userId}/wallet?limit=2`, { token: site.createToken('viewer') });
  assert.equal(page1.status, 200);
  assert.equal(page1.body.wallet.balance, 15);
  assert.deepEqual(page1.body.ledger.map((e: any) => e.amount), [5, 4]);
  const page2 = await site.api(`/api/admin/users/${userId}/wallet?limit=2&before=${page1.body.nextBefore}`);
  assert.deepEqual(page2.body.ledger.map((e: any) => e.amount), [3, 2]);
  const page3 = await site.api(`/api/admin/users/${userId}/wallet?limit=2&before=${page2.body.nextBefore}`);
  assert.deepEqual(page3.body.ledger.map((e: any) => e.amount), [1]);
  assert.equal(page3.body.nextBefore, null);
  assert.equal((await site.api('/api/admin/users/999/wallet')).body.error.code, 'user_not_found');
  const bad = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 1.5, idempotencyKey: 'x' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_body');
  assert.equal((await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: -5, idempotencyKey: 'y' } })).status, 400);
});

test('a wallet can be opened explicitly in a currency; a top-up in another currency is refused', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, currency: 'CHF' });
  const userId = addUser(site);
  const opened = await site.api(`/api/admin/users/${userId}/wallet`, { method: 'POST', body: {} });
  assert.equal(opened.status, 201);
  assert.equal(opened.body.wallet.currency, 'CHF', 'the default tariff\'s currency');
  assert.equal((await site.api(`/api/admin/users/${userId}/wallet`, { method: 'POST', body: {} })).status, 200, 'opening again returns it');
  assert.equal((await site.api(`/api/admin/users/${userId}/wallet`, { method: 'POST', body: { currency: 'EUR' } })).status, 409);
  const wrong = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 5, currency: 'EUR', idempotencyKey: 'c' } });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body.error.code, 'currency_mismatch');
  assert.equal(walletState(site, userId).ledgerSum, 0);
});

test('wallet.changed is emitted only after the change is committed (another connection already sees it)', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 10 });
  const userId = addUser(site);
  site.addIdTag('TAG-1', { userId });
  const reader = new Database(site.database.file, { readonly: true });
  const seen: Array<{ event: number; committed: number }> = [];
  site.domain.events.on('wallet.changed', (e) => {
    const row = reader.prepare('SELECT balance FROM wallet WHERE id = ?').get(e.walletId) as { balance: number };
    seen.push({ event: e.balance, committed: row.balance });
  });
  try {
    await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 1000, idempotencyKey: 'k' } });
    const cp = await site.connectCharger('CP-1');
    const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: new Date().toISOString() });
    await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 2000, timestamp: new Date().toISOString() });
    assert.deepEqual(seen, [{ event: 1000, committed: 1000 }, { event: 980, committed: 980 }]);
  } finally {
    reader.close();
  }
});

test('a viewer token cannot move money: top-up, refund, adjustment and opening a wallet are 403 and write nothing', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 1000, idempotencyKey: 'seed' } });
  const viewer = site.createToken('viewer');
  const stranger = addUser(site, 'No wallet yet');
  const attempts: Array<[string, object]> = [
    [`/api/admin/users/${userId}/wallet/top-up`, { amount: 500, idempotencyKey: 'v1' }],
    [`/api/admin/users/${userId}/wallet/refund`, { amount: 500, idempotencyKey: 'v2' }],
    [`/api/admin/users/${userId}/wallet/adjustment`, { amount: -500, description: 'payout', idempotencyKey: 'v3' }],
    [`/api/admin/users/${stranger}/wallet`, {}],
  ];
  for (const [path, body] of attempts) {
    const res = await site.api(path, { body, token: viewer });
    assert.equal(res.status, 403, `POST ${path}`);
    assert.equal(typeof res.body.error.code, 'string');
  }
  assert.deepEqual(walletState(site, userId), { balance: 1000, ledgerSum: 1000, charges: 0 });
  assert.equal(site.count('wallet_transaction'), 1, 'only the admin\'s top-up');
  assert.equal(site.count('wallet', `user_id = ${stranger}`), 0);
  assert.equal((await site.api(`/api/admin/users/${userId}/wallet`, { token: viewer })).status, 200, 'a viewer still reads it');
});

test('a retried refund or adjustment with the same key is applied once and answers the original result', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 1000, idempotencyKey: 'seed' } });
  const cases: Array<[string, object, number]> = [
    ['refund', { amount: 150, description: 'goodwill', idempotencyKey: 'refund-1' }, 1150],
    ['adjustment', { amount: -400, description: 'cash payout', idempotencyKey: 'adjust-1' }, 750],
  ];
  for (const [kind, body, balance] of cases) {
    const path = `/api/admin/users/${userId}/wallet/${kind}`;
    const first = await site.api(path, { body });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.headers.get('idempotent-replayed'), 'false');
    assert.equal(first.body.wallet.balance, balance);
    // The answer was lost: the client retries, twice at once and once more later (the key in the header this time).
    const { idempotencyKey, ...rest } = body as { idempotencyKey: string };
    const retries = [
      ...await Promise.all([site.api(path, { body }), site.api(path, { body })]),
      await site.api(path, { body: rest, headers: { 'idempotency-key': idempotencyKey } }),
    ];
    for (const r of retries) {
      assert.equal(r.status, 201, kind);
      assert.deepEqual(r.body, first.body, `${kind}: the original result`);
      assert.equal(r.headers.get('idempotent-replayed'), 'true');
    }
    assert.equal(walletState(site, userId).balance, balance, `${kind} applied once`);
  }
  assert.deepEqual(walletState(site, userId), { balance: 750, ledgerSum: 750, charges: 0 });
  assert.equal(site.count('wallet_transaction', "type IN ('REFUND', 'ADJUSTMENT')"), 2);
  assert.equal(site.count('outbox', "topic = 'wallet-charges'"), 3, 'one upstream event per applied move');
});
