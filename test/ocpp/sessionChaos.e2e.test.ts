// Randomized (seeded): many sessions over real WebSockets with what chargers really do: reconnects, a
// BootNotification on reconnect (https://github.com/evcc-io/evcc/pull/25069), retried StartTransaction,
// MeterValues and StopTransaction, batches out of order, readings without transactionId, meters that restart
// from zero on reboot. Afterwards: no session lost, every session billed its true energy, and the wallet ledger
// holds exactly the priced energy, once. Set CHAOS_SEED to replay a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { addTariff, addUser, topUp, walletState } from '../support/wallets.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { sessionCost } from '../../src/domain/pricing.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const SESSIONS = 40;
const CHARGERS = 3;
const PRICE_PER_KWH = 37;


test(`${SESSIONS} sessions under reconnects, boots, retries, reordering and meter resets: the ledger equals the priced energy`, async (t) => {
  t.diagnostic(`seed ${SEED} (CHAOS_SEED=${SEED} replays it)`);
  const rnd = prng(SEED);
  await using site = await startTestSite();
  const tariffId = await addTariff(site, { isDefault: true, pricePerKwh: PRICE_PER_KWH });
  const tariff = { id: tariffId, name: 'Standard', currency: 'EUR', pricePerKwh: PRICE_PER_KWH, sessionFee: 0, pricePerMinute: 0, idleFeePerMinute: 0, taxPercent: 0 };
  const userId = addUser(site, 'Chaos');
  site.addIdTag('CHAOS', { userId });
  for (let c = 0; c < CHARGERS; c++) site.addIdTag(`CHAOS-${c}`, { userId });
  await topUp(site, userId, 10_000_000);
  const cps: ChargePoint[] = [];
  for (let c = 0; c < CHARGERS; c++) cps.push(await site.connectCharger(`CP-CHAOS-${c}`));
  const meters = new Array<number>(CHARGERS).fill(100_000);
  const expected = new Map<number, number>(); // transactionId -> true energy (Wh)
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(ms).toISOString();
  const twice = async <T>(send: () => Promise<T>): Promise<T> => {
    if (!rnd.chance(0.3)) return send();
    const [a] = await Promise.all([send(), send()]); // a retry racing the first copy
    return a;
  };

  try {
    for (let n = 0; n < SESSIONS; n++) {
      const c = n % CHARGERS;
      const reconnect = async () => {
        await cps[c]!.close();
        cps[c] = await ChargePoint.connect({ baseUrl: site.wsUrl, id: `CP-CHAOS-${c}` });
        if (rnd.chance(0.7)) await cps[c]!.call('BootNotification', { chargePointVendor: 'Chaos', chargePointModel: 'X' });
      };
      const startAt = clock;
      const startReq = { connectorId: 1, idTag: `CHAOS-${c}`, meterStart: meters[c]!, timestamp: at(startAt) };
      const { transactionId } = await twice(() => cps[c]!.call('StartTransaction', startReq));
      let energy = 0;
      const batches: Array<{ connectorId: number; transactionId?: number; meterValue: Array<{ timestamp: string; sampledValue: Array<{ value: string }> }> }> = [];
      const steps = rnd.int(1, 6);
      for (let s = 1; s <= steps; s++) {
        if (rnd.chance(0.15) && meters[c]! > 60_000) {
          // The meter restarts from zero (a reboot): the readings before it were sent, counting goes on from 0.
          for (const b of batches.splice(0)) await cps[c]!.call('MeterValues', b);
          await reconnect();
          meters[c] = 0;
        }
        const delta = rnd.int(0, 4000);
        meters[c]! += delta;
        energy += delta;
        const withId = rnd.chance(0.8);
        batches.push({ connectorId: 1, ...(withId ? { transactionId } : rnd.chance(0.5) ? { transactionId: 0 } : {}),
          meterValue: [{ timestamp: at(startAt + s * 600_000), sampledValue: [{ value: String(meters[c]) }] }] });
      }
      if (rnd.chance(0.3)) batches.reverse(); // queued batches delivered out of order
      for (const b of batches) await twice(() => cps[c]!.call('MeterValues', b));
      if (rnd.chance(0.2)) await reconnect();
      const stopReq = { transactionId, meterStop: meters[c]!, timestamp: at(startAt + (steps + 1) * 600_000), reason: 'Local' };
      await twice(() => cps[c]!.call('StopTransaction', stopReq));
      if (rnd.chance(0.2)) await cps[c]!.call('StopTransaction', stopReq); // a late retry
      // Meters below the reset threshold restart high again, so the next reset is told from a real drop.
      if (meters[c]! < 60_000) meters[c]! += 100_000;
      expected.set(transactionId, energy);
      clock += 3 * 3600_000;
    }
  } finally {
    for (const cp of cps) await cp.close().catch(() => {});
  }

  site.domain.uow.commit();
  const db = site.database.sqlite;
  const rows = db.prepare(`SELECT id, status, energy_wh AS energyWh, cost_amount AS cost FROM "transaction" WHERE status != 'ORPHAN_STOP'`)
    .all() as Array<{ id: number; status: string; energyWh: number; cost: number }>;
  assert.equal(rows.length, SESSIONS, `seed ${SEED}: one row per session, none lost, none duplicated`);
  assert.equal(site.count('transaction', "status = 'ORPHAN_STOP'"), 0, `seed ${SEED}: no stop went astray`);
  let priced = 0;
  for (const r of rows) {
    assert.equal(r.status, 'COMPLETED', `seed ${SEED}: session ${r.id}`);
    assert.equal(r.energyWh, expected.get(r.id), `seed ${SEED}: session ${r.id} billed its true energy`);
    const cost = sessionCost(tariff, { energyWh: expected.get(r.id)!, chargingSeconds: 0, idleSeconds: 0 }).totalAmount;
    assert.equal(r.cost, cost, `seed ${SEED}: session ${r.id} priced`);
    const ledger = (db.prepare('SELECT coalesce(sum(amount), 0) AS s FROM wallet_transaction WHERE charging_transaction_id = ?').get(r.id) as { s: number }).s;
    assert.equal(ledger, cost === 0 ? 0 : -cost, `seed ${SEED}: session ${r.id} in the ledger exactly once`);
    priced += cost;
  }
  const state = walletState(site, userId);
  assert.equal(state.balance, state.ledgerSum);
  assert.equal(state.balance, 10_000_000 - priced, `seed ${SEED}: the wallet paid exactly the priced energy`);
  assert.ok(priced > 0);
});
