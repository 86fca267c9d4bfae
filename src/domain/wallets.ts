// Wallets and their ledger. A wallet's balance is always the sum of its ledger rows: every change is one
// ledger row plus the same delta on the balance, written together (with the outbox row) inside the caller's
// unit of work. Manual entries are idempotent on a client key; a session is charged by at most one CHARGE row
// (unique partial index wallet_tx_one_charge). Only a session's own cost may take a balance below zero.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../db/index.js';
import { transactions, walletTransactions, wallets } from '../db/schema.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { EventBus, UnpaidReason } from './events.js';
import type { Outbox } from './outbox.js';
import { DomainError } from './errors.js';

export type Wallet = typeof wallets.$inferSelect;
export type WalletEntry = typeof walletTransactions.$inferSelect;
export type ManualEntryType = 'TOP_UP' | 'REFUND' | 'ADJUSTMENT';

export interface ManualEntry {
  type: ManualEntryType;
  /** Minor units. TOP_UP and REFUND: > 0 (credited). ADJUSTMENT: signed, not 0. */
  amount: number;
  description?: string | null;
  /** The client's key; a repeat with the same key and the same entry returns the first result. */
  idempotencyKey: string;
  /** REFUND only: the session whose charge is (partly) given back. */
  chargingTransactionId?: number | null;
  createdBy?: string | null;
  /** When given, the wallet must be in this currency. */
  currency?: string;
}

export class WalletError extends DomainError {}

/** Idempotency keys are unique over the whole ledger; scoping them per user lets two clients pick the same key. */
const storedKey = (userId: number, key: string) => `user:${userId}:${key}`;

export class Wallets {
  private readonly addToBalance;

  constructor(
    private readonly db: Db, sqlite: Sqlite, private readonly uow: UnitOfWork,
    private readonly events: EventBus, private readonly outbox: Outbox,
  ) {
    this.addToBalance = sqlite.prepare('UPDATE wallet SET balance = balance + ? WHERE id = ? RETURNING balance');
  }

  forUser(userId: number): Wallet | undefined {
    return this.db.select().from(wallets).where(eq(wallets.userId, userId)).get();
  }

  /** Creates the wallet once; calling again returns the existing one (created: false). */
  open(userId: number, currency: string): { wallet: Wallet; created: boolean } {
    const existing = this.forUser(userId);
    if (existing) return { wallet: existing, created: false };
    return { wallet: this.db.insert(wallets).values({ userId, currency, balance: 0 }).returning().get(), created: true };
  }

  /** Newest first; pass the last id seen as beforeId for the next page. */
  ledger(walletId: number, opts: { limit?: number; beforeId?: number } = {}): WalletEntry[] {
    const where = opts.beforeId === undefined ? eq(walletTransactions.walletId, walletId)
      : and(eq(walletTransactions.walletId, walletId), lt(walletTransactions.id, opts.beforeId));
    return this.db.select().from(walletTransactions).where(where).orderBy(desc(walletTransactions.id)).limit(opts.limit ?? 50).all();
  }

  chargeOf(chargingTransactionId: number): WalletEntry | undefined {
    return this.db.select().from(walletTransactions)
      .where(and(eq(walletTransactions.chargingTransactionId, chargingTransactionId), eq(walletTransactions.type, 'CHARGE'))).get();
  }

  /**
   * A top-up, refund or adjustment by an operator. A top-up opens the wallet if the user has none
   * (in openCurrency). Returns the entry and whether it is a replay of an earlier request with the same key.
   */
  apply(userId: number, entry: ManualEntry, openCurrency: string): { entry: WalletEntry; wallet: Wallet; replayed: boolean } {
    const key = storedKey(userId, entry.idempotencyKey);
    const earlier = this.db.select().from(walletTransactions).where(eq(walletTransactions.idempotencyKey, key)).get();
    if (earlier) {
      const same = earlier.type === entry.type && earlier.amount === entry.amount
        && (earlier.description ?? null) === (entry.description ?? null)
        && (earlier.chargingTransactionId ?? null) === (entry.chargingTransactionId ?? null);
      if (!same) {
        throw new WalletError('conflict', 'idempotency_key_reused', `idempotency key "${entry.idempotencyKey}" was already used for a different request`,
          { original: { type: earlier.type, amount: earlier.amount, description: earlier.description, chargingTransactionId: earlier.chargingTransactionId } });
      }
      return { entry: earlier, wallet: this.byId(earlier.walletId)!, replayed: true };
    }
    const wallet = entry.type === 'TOP_UP' ? this.open(userId, openCurrency).wallet : this.forUser(userId);
    if (!wallet) throw new WalletError('not_found', 'wallet_not_found', `user ${userId} has no wallet; top it up or create it first`);
    if (entry.currency && entry.currency !== wallet.currency) {
      throw new WalletError('conflict', 'currency_mismatch', `the wallet of user ${userId} is in ${wallet.currency}, not ${entry.currency}`);
    }
    this.check(wallet, entry);
    const row = this.post(wallet, {
      type: entry.type, amount: entry.amount, description: entry.description ?? null, idempotencyKey: key,
      chargingTransactionId: entry.chargingTransactionId ?? null, createdBy: entry.createdBy ?? null,
    });
    return { entry: row, wallet: this.byId(wallet.id)!, replayed: false };
  }

  private check(wallet: Wallet, entry: ManualEntry): void {
    if (entry.type !== 'ADJUSTMENT' && entry.amount <= 0) throw new WalletError('invalid', 'amount_not_positive', `a ${entry.type} amount must be > 0`);
    if (entry.type === 'ADJUSTMENT' && entry.amount < 0 && wallet.balance + entry.amount < 0) {
      throw new WalletError('conflict', 'insufficient_balance',
        `the adjustment would take the balance from ${wallet.balance} to ${wallet.balance + entry.amount}; only a session's own cost may make it negative`,
        { balance: wallet.balance });
    }
    if (entry.type === 'REFUND' && entry.chargingTransactionId != null) this.checkRefundOfSession(wallet, entry.chargingTransactionId, entry.amount);
  }

  /** A refund tied to a session gives back at most what that session was charged, in total. */
  private checkRefundOfSession(wallet: Wallet, txId: number, amount: number): void {
    const charge = this.chargeOf(txId);
    if (!charge || charge.walletId !== wallet.id) {
      throw new WalletError('invalid', 'session_not_charged', `session ${txId} was not charged to this wallet`);
    }
    const refunded = this.db.select({ sum: sql<number>`coalesce(sum(${walletTransactions.amount}), 0)` }).from(walletTransactions)
      .where(and(eq(walletTransactions.chargingTransactionId, txId), eq(walletTransactions.type, 'REFUND'))).get()!.sum;
    const refundable = -charge.amount - refunded;
    if (amount > refundable) {
      throw new WalletError('conflict', 'refund_exceeds_charge', `session ${txId} was charged ${-charge.amount}, ${refunded} already refunded: at most ${refundable} left`,
        { charged: -charge.amount, refunded, refundable });
    }
  }

  /**
   * Debits a completed session's cost, at most once: an existing CHARGE for it is returned as is.
   * Returns undefined when there is nothing to charge: no cost, no user, no wallet, or another currency;
   * a cost left unpaid is announced (transaction.unpaid) so it is logged, and the session lists it as unpaid.
   */
  chargeSession(tx: { id: number; userId: number | null; energyWh: number | null }, cost: { totalAmount: number; currency: string }): WalletEntry | undefined {
    if (cost.totalAmount === 0) return undefined;
    const unpaid = (reason: UnpaidReason, walletCurrency?: string) => {
      const event = { transactionId: tx.id, userId: tx.userId, amount: cost.totalAmount, currency: cost.currency, reason, ...(walletCurrency ? { walletCurrency } : {}) };
      this.uow.onCommit(() => this.events.emit('transaction.unpaid', event));
      return undefined;
    };
    if (tx.userId === null) return unpaid('no_user');
    const wallet = this.forUser(tx.userId);
    if (!wallet) return unpaid('no_wallet');
    if (wallet.currency !== cost.currency) return unpaid('currency_mismatch', wallet.currency);
    const existing = this.chargeOf(tx.id);
    if (existing) return existing;
    const kWh = ((tx.energyWh ?? 0) / 1000).toFixed(3);
    return this.post(wallet, {
      type: 'CHARGE', amount: -cost.totalAmount, chargingTransactionId: tx.id, idempotencyKey: null,
      description: `session #${tx.id}: ${kWh} kWh`, createdBy: 'system',
    });
  }

  /**
   * A charged session whose figures changed (the charger's StopTransaction after an operator's close): the
   * difference to what was charged is one ADJUSTMENT row, keyed to the session so it is posted once.
   * Nothing charged yet (no cost then): charged now, as any completed session.
   */
  correctSessionCharge(tx: { id: number; userId: number | null; energyWh: number | null }, cost: { totalAmount: number; currency: string }): WalletEntry | undefined {
    const charge = this.chargeOf(tx.id);
    if (!charge) return this.chargeSession(tx, cost);
    const key = `session:${tx.id}:charger-stop`;
    const earlier = this.db.select().from(walletTransactions).where(eq(walletTransactions.idempotencyKey, key)).get();
    if (earlier) return earlier;
    const delta = cost.totalAmount - -charge.amount;
    if (delta === 0) return undefined;
    const kWh = ((tx.energyWh ?? 0) / 1000).toFixed(3);
    return this.post(this.byId(charge.walletId)!, {
      type: 'ADJUSTMENT', amount: -delta, chargingTransactionId: tx.id, idempotencyKey: key,
      description: `session #${tx.id}: corrected to the charger's StopTransaction, ${kWh} kWh`, createdBy: 'system',
    });
  }

  /** The one place a balance changes: ledger row, balance, outbox row, and the event after commit. */
  private post(wallet: Wallet, fields: Pick<WalletEntry, 'type' | 'amount' | 'description' | 'idempotencyKey' | 'chargingTransactionId' | 'createdBy'>): WalletEntry {
    const { balance } = this.addToBalance.get(fields.amount, wallet.id) as { balance: number };
    const row = this.db.insert(walletTransactions).values({ ...fields, walletId: wallet.id, balanceAfter: balance }).returning().get();
    this.outbox.add('wallet-charges', {
      walletTransactionId: row.id, walletId: wallet.id, userId: wallet.userId, type: row.type, amount: row.amount,
      balanceAfter: row.balanceAfter, currency: wallet.currency, chargingTransactionId: row.chargingTransactionId,
      description: row.description, createdAt: row.createdAt,
    }, new Date(row.createdAt));
    this.uow.onCommit(() => this.events.emit('wallet.changed', { walletId: wallet.id, userId: wallet.userId, balance }));
    return row;
  }

  byId(id: number): Wallet | undefined {
    return this.db.select().from(wallets).where(eq(wallets.id, id)).get();
  }

  /** Wallets whose balance differs from their ledger sum: always empty unless someone edited the database. */
  mismatches(): Array<{ walletId: number; balance: number; ledgerSum: number }> {
    return this.db.select({ walletId: wallets.id, balance: wallets.balance, ledgerSum: sql<number>`coalesce(sum(${walletTransactions.amount}), 0)` })
      .from(wallets).leftJoin(walletTransactions, eq(walletTransactions.walletId, wallets.id))
      .groupBy(wallets.id).having(sql`${wallets.balance} != coalesce(sum(${walletTransactions.amount}), 0)`).all();
  }

  /**
   * Sessions of a user not yet paid for, for the start check: RUNNING, and INTERRUPTED ones (a charger
   * reboot) whose StopTransaction will still charge them (or an operator closes them).
   */
  openSessions(userId: number) {
    return this.db.select().from(transactions)
      .where(and(eq(transactions.userId, userId), inArray(transactions.status, ['RUNNING', 'INTERRUPTED']))).all();
  }
}
