// Test helpers for money: users, tariffs and wallets, written the way the API would (through the domain).
import type { TestSite } from './testSite.js';
import type { TariffInput } from '../../src/domain/tariffs.js';

export function addUser(site: TestSite, fullName = 'Driver'): number {
  site.domain.uow.commit();
  const row = site.database.sqlite.prepare('INSERT INTO "user" (full_name, created_at) VALUES (?, ?) RETURNING id')
    .get(fullName, new Date().toISOString()) as { id: number };
  return row.id;
}

export async function addTariff(site: TestSite, input: Partial<TariffInput> = {}): Promise<number> {
  const t = await site.domain.uow.run(() => site.domain.tariffs.create({ name: 'Standard', currency: 'EUR', pricePerKwh: 30, ...input }));
  return t.id;
}

export async function topUp(site: TestSite, userId: number, amount: number, key = `k-${Math.random()}`, currency = 'EUR'): Promise<number> {
  const r = await site.domain.uow.run(() => site.domain.wallets.apply(userId, { type: 'TOP_UP', amount, idempotencyKey: key }, currency));
  return r.entry.balanceAfter;
}

/** The wallet's stored balance and its ledger sum, read straight from SQLite. */
export function walletState(site: TestSite, userId: number): { balance: number; ledgerSum: number; charges: number } {
  site.domain.uow.commit();
  return site.database.sqlite.prepare(`SELECT w.balance AS balance,
      (SELECT coalesce(sum(amount), 0) FROM wallet_transaction WHERE wallet_id = w.id) AS ledgerSum,
      (SELECT count(*) FROM wallet_transaction WHERE wallet_id = w.id AND type = 'CHARGE') AS charges
    FROM wallet w WHERE w.user_id = ?`).get(userId) as { balance: number; ledgerSum: number; charges: number };
}
