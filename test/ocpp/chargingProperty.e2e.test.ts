// Property-style: many random sessions over real WebSockets, with random tariffs (changed while sessions run),
// top-ups (some retried), retried and concurrent stops, and reboots. Afterwards, for every wallet the balance
// equals its ledger sum and the model's top-ups minus charges, every session costs what an independent
// computation from its start-time tariff says, and the CHARGE rows sum to minus the session costs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { addUser, walletState } from '../support/wallets.js';
import { sessionCost, type TariffSnapshot } from '../../src/domain/pricing.js';
import type { ChargePoint } from '../../src/sim/chargePoint.js';
import { ContractValidator, envelopeFor } from '../../src/sync/contract.js';
import type { OutboxRow } from '../../src/domain/outbox.js';
import { prng } from '../support/prng.js';

const SEED = 20240501;
const SESSIONS = 200;
const CHARGERS = 4;
const USERS = 8;


type TariffFields = Omit<TariffSnapshot, 'id' | 'name' | 'currency'>;

test(`${SESSIONS} random sessions: balance == sum(ledger) for every wallet, and charges == session costs`, async () => {
  await using site = await startTestSite();
  const rnd = prng(SEED);
  const randomTariff = (): TariffFields => ({
    pricePerKwh: rnd.int(0, 80), sessionFee: rnd.chance(0.5) ? rnd.int(0, 150) : 0, pricePerMinute: rnd.chance(0.5) ? rnd.int(0, 5) : 0,
    idleFeePerMinute: 0, taxPercent: [0, 7.7, 19, 20, 8.1][rnd.int(0, 4)]!,
  });
  // The model: what the test believes, kept apart from the code under test.
  const tariffs = new Map<number, TariffFields>();
  const newTariff = async (isDefault = false) => {
    const fields = randomTariff();
    const { body } = await site.api('/api/admin/tariffs', { body: { name: `T${tariffs.size}`, currency: 'EUR', ...fields, isDefault } });
    tariffs.set(body.tariff.id, fields);
    return body.tariff.id as number;
  };
  await newTariff(true);
  const users: Array<{ id: number; tag: string; hasWallet: boolean; toppedUp: number }> = [];
  for (let i = 0; i < USERS; i++) {
    const id = addUser(site, `Driver ${i}`);
    const tag = `TAG-${i}`;
    site.addIdTag(tag, { userId: id });
    users.push({ id, tag, hasWallet: i < USERS - 2, toppedUp: 0 }); // the last two pay elsewhere (no wallet)
  }
  const topUp = async (u: (typeof users)[number]) => {
    const body = { amount: rnd.int(100, 5000), idempotencyKey: `k-${u.id}-${rnd.next()}` };
    const path = `/api/admin/users/${u.id}/wallet/top-up`;
    const replies = rnd.chance(0.3) ? await Promise.all([site.api(path, { body }), site.api(path, { body })]) : [await site.api(path, { body })];
    assert.ok(replies.every((r) => r.status === 201));
    u.toppedUp += body.amount;
  };
  for (const u of users) if (u.hasWallet) await topUp(u);
  const cps: ChargePoint[] = [];
  for (let c = 0; c < CHARGERS; c++) cps.push(await site.connectCharger(`CP-${c}`));

  const expected = new Map<number, { cost: number; userId: number }>();
  const meters = new Array<number>(CHARGERS).fill(0);
  let clock = Date.parse('2024-05-01T00:00:00Z');
  for (let done = 0; done < SESSIONS;) {
    // Now and then: a new tariff on a charger, a changed default, a top-up.
    if (rnd.chance(0.2)) await site.api(`/api/admin/chargers/CP-${rnd.int(0, CHARGERS - 1)}/tariff`, { method: 'PUT', body: { tariffId: await newTariff() } });
    if (rnd.chance(0.2)) {
      const [id, fields] = [...tariffs.entries()][rnd.int(0, tariffs.size - 1)]!;
      const changed = randomTariff();
      await site.api(`/api/admin/tariffs/${id}`, { method: 'PATCH', body: changed });
      Object.assign(fields, changed);
    }
    for (const u of users.slice(0, USERS - 2)) if (rnd.chance(0.25)) await topUp(u);
    // A round: up to one session per charger, each by a different driver, started and stopped concurrently.
    const n = Math.min(rnd.int(1, CHARGERS), SESSIONS - done);
    const drivers = [...users].sort(() => rnd.next() - 0.5).slice(0, n);
    const sessions = await Promise.all(drivers.map(async (u, c) => {
      const startedAt = new Date(clock + rnd.int(0, 60_000)).toISOString();
      const stoppedAt = new Date(Date.parse(startedAt) + rnd.int(0, 3 * 3600) * 1000).toISOString();
      const tariffNow = (await site.api(`/api/admin/chargers/CP-${c}/tariff`)).body.effective.tariff.id as number;
      const snapshot = { ...tariffs.get(tariffNow)! };
      const meterStart = meters[c]!;
      const s = await cps[c]!.call('StartTransaction', { connectorId: 1, idTag: u.tag, meterStart, timestamp: startedAt });
      const accepted = s.idTagInfo.status === 'Accepted';
      // A refused driver is stopped at once by the charger; an accepted one draws random energy.
      const energyWh = accepted ? rnd.int(0, 30_000) : 0;
      meters[c] = meterStart + energyWh;
      const cost = !accepted ? 0 : sessionCost({ id: tariffNow, name: '', currency: 'EUR', ...snapshot },
        { energyWh, chargingSeconds: (Date.parse(stoppedAt) - Date.parse(startedAt)) / 1000, idleSeconds: 0 }).totalAmount;
      expected.set(s.transactionId, { cost, userId: u.id });
      return { c, s, stop: { transactionId: s.transactionId, meterStop: meters[c], timestamp: stoppedAt, reason: accepted ? 'Local' : 'DeAuthorized' } };
    }));
    if (rnd.chance(0.1)) await cps[sessions[0]!.c]!.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
    // Stops race each other; some are sent twice at once, some again later (lost replies).
    await Promise.all(sessions.flatMap(({ c, stop }) => (rnd.chance(0.3) ? [stop, stop] : [stop]).map((p) => cps[c]!.call('StopTransaction', p))));
    for (const { c, stop } of sessions) if (rnd.chance(0.2)) await cps[c]!.call('StopTransaction', stop);
    done += n;
    clock += 4 * 3600_000;
  }

  site.domain.uow.commit();
  const db = site.database.sqlite;
  const txs = db.prepare("SELECT id, user_id AS userId, cost_amount AS cost, status FROM \"transaction\" WHERE status != 'ORPHAN_STOP'").all() as Array<{ id: number; userId: number; cost: number; status: string }>;
  assert.equal(txs.length, SESSIONS);
  for (const tx of txs) {
    assert.equal(tx.status, 'COMPLETED');
    assert.equal(tx.cost, expected.get(tx.id)!.cost, `session ${tx.id} is priced from the tariff it started with`);
    const charges = db.prepare("SELECT amount FROM wallet_transaction WHERE type = 'CHARGE' AND charging_transaction_id = ?").all(tx.id) as Array<{ amount: number }>;
    const payer = users.find((u) => u.id === tx.userId)!;
    assert.deepEqual(charges.map((r) => r.amount), payer.hasWallet && tx.cost > 0 ? [-tx.cost] : [], `session ${tx.id} charged once`);
  }
  let chargedTotal = 0;
  for (const u of users.filter((x) => x.hasWallet)) {
    const state = walletState(site, u.id);
    const costs = txs.filter((t) => t.userId === u.id).reduce((sum, t) => sum + t.cost, 0);
    assert.equal(state.balance, state.ledgerSum, `wallet of user ${u.id}: balance == sum(ledger)`);
    assert.equal(state.balance, u.toppedUp - costs, `wallet of user ${u.id}: top-ups minus session costs`);
    const entries = db.prepare('SELECT amount, balance_after AS after FROM wallet_transaction WHERE wallet_id = (SELECT id FROM wallet WHERE user_id = ?) ORDER BY id').all(u.id) as Array<{ amount: number; after: number }>;
    let running = 0;
    for (const e of entries) { running += e.amount; assert.equal(e.after, running, 'balance_after is the running sum'); }
    chargedTotal += costs;
  }
  const chargeSum = (db.prepare("SELECT coalesce(sum(amount), 0) AS s FROM wallet_transaction WHERE type = 'CHARGE'").get() as { s: number }).s;
  assert.equal(chargeSum, -chargedTotal, 'sum(CHARGE) == -sum(costs of wallet-paid sessions)');
  assert.ok(chargedTotal > 0, 'the run actually charged something');
  const refused = db.prepare("SELECT count(*) AS n FROM \"transaction\" WHERE auth_status != 'Accepted'").get() as { n: number };
  assert.ok(refused.n > 0 && refused.n < SESSIONS / 2, `some starts were refused for money (${refused.n}), most were not`);
  assert.deepEqual(site.domain.wallets.mismatches(), []);
  // Every ledger row went to the outbox in the same transaction.
  assert.equal(site.count('outbox', "topic = 'wallet-charges'"), site.count('wallet_transaction'));
  // And each is a valid upstream message (schemas/mqtt).
  const contract = new ContractValidator();
  for (const row of site.domain.outbox.nextUnsent(0, 100_000) as OutboxRow[]) {
    assert.equal(contract.problems(envelopeFor(row, site.config.siteId)), null, `${row.topic} #${row.seq}`);
  }
});
