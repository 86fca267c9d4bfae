// Read-only views of charging sessions, for the admin API (list, totals, one session, the CSV export)
// and the load balancer (what is running where). Writes stay in transactions.ts.
import { and, count, desc, eq, gte, inArray, lt, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { chargers, transactions, users, walletTransactions } from '../db/schema.js';
import { idTagIs } from './idTagCase.js';
import { parseFlags, type SessionFlag } from './sessionFlags.js';
import { orderBy, type ListOrder } from './listOrder.js';

export const TRANSACTION_STATUSES = ['RUNNING', 'COMPLETED', 'INTERRUPTED', 'REJECTED', 'ORPHAN_STOP'] as const;

export const TRANSACTION_SORTS = ['id', 'started', 'charger', 'driver', 'status', 'energy', 'cost'] as const;
export type TransactionSort = ListOrder<(typeof TRANSACTION_SORTS)[number]>;

/** Energy so far: final when stopped, else the last reading (as the list shows it). */
const energySql = sql`coalesce(${transactions.energyWh}, max(coalesce(${transactions.lastMeterWh}, ${transactions.meterStart}) - ${transactions.meterStart}, 0))`;
const txColumns: Record<TransactionSort['key'], SQLWrapper> = {
  id: transactions.id, started: transactions.startedAt, charger: chargers.chargePointId, driver: sql`${users.fullName} collate nocase`,
  status: transactions.status, energy: energySql, cost: transactions.costAmount,
};

export interface TransactionFilter {
  chargePointId?: string;
  chargerId?: number;
  /** Any case, as chargers may send it. */
  idTag?: string;
  userId?: number;
  statuses?: string[];
  /** true: completed with a cost no wallet was debited for (no user, no wallet, other currency); false: the rest. */
  unpaid?: boolean;
  /** On the start time, ISO UTC. */
  from?: string;
  to?: string;
}

export type TransactionRow = typeof transactions.$inferSelect;
/** A session with its charger's id and whether its cost was debited (null: nothing to pay, or not yet). */
export type TransactionView = Omit<TransactionRow, 'flags'> & { flags: SessionFlag[]; chargePointId: string; paid: boolean | null; userName: string | null };

/** A completed session with a cost that has a CHARGE row; null when there is nothing to pay (yet). */
const paidSql = sql<number | null>`CASE WHEN ${transactions.status} = 'COMPLETED' AND coalesce(${transactions.costAmount}, 0) > 0
  THEN EXISTS (SELECT 1 FROM ${walletTransactions} WHERE ${walletTransactions.chargingTransactionId} = ${transactions.id}
    AND ${walletTransactions.type} = 'CHARGE') END`;

// The driver's name comes along so pages name people, not "user 5".
const viewColumns = { tx: transactions, chargePointId: chargers.chargePointId, paid: paidSql, userName: users.fullName };
const flat = (r: { tx: TransactionRow; chargePointId: string; paid: number | null; userName: string | null }): TransactionView =>
  ({ ...r.tx, flags: parseFlags(r.tx.flags), chargePointId: r.chargePointId, paid: r.paid === null ? null : r.paid === 1, userName: r.userName });

// The CLI export's columns plus what the wallet was debited.
const csvColumns = {
  id: transactions.id, chargePointId: chargers.chargePointId, connectorId: transactions.connectorId, idTag: transactions.idTag,
  status: transactions.status, startedAt: transactions.startedAt, stoppedAt: transactions.stoppedAt, energyWh: transactions.energyWh,
  costAmount: transactions.costAmount, currency: transactions.currency, stopReason: transactions.stopReason, userId: transactions.userId,
  userName: users.fullName, meterStart: transactions.meterStart, meterStop: transactions.meterStop, tariffId: transactions.tariffId,
  walletDebit: walletTransactions.amount,
};
export const CSV_COLUMNS = Object.keys(csvColumns) as Array<keyof typeof csvColumns>;

function where(f: TransactionFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.chargePointId) conds.push(eq(chargers.chargePointId, f.chargePointId));
  if (f.chargerId !== undefined) conds.push(eq(transactions.chargerId, f.chargerId));
  if (f.idTag) conds.push(idTagIs(transactions.idTag, f.idTag));
  if (f.userId !== undefined) conds.push(eq(transactions.userId, f.userId));
  if (f.statuses?.length) conds.push(inArray(transactions.status, f.statuses));
  if (f.unpaid !== undefined) conds.push(f.unpaid ? sql`${paidSql} = 0` : sql`coalesce(${paidSql}, 1) = 1`);
  if (f.from) conds.push(gte(transactions.startedAt, f.from));
  if (f.to) conds.push(lte(transactions.startedAt, f.to));
  return conds.length ? and(...conds) : undefined;
}

export class TransactionQueries {
  /** An open session's live figures not yet written (liveMeters.ts), laid over its row; set by the domain. */
  withLive: <T extends TransactionRow | TransactionView>(tx: T) => T = (tx) => tx;
  /**
   * Writes those figures now, before SQLite sums or sorts by them: the write runs at once inside the open
   * unit of work, which this connection's reads already see. Set by the domain.
   */
  writeLive: () => void = () => {};

  constructor(private readonly db: Db) {}

  /** Newest first (by id: a charger's clock may be wrong) unless told otherwise. */
  list(filter: TransactionFilter, page: { limit: number; offset: number }, sort: TransactionSort = { key: 'id', desc: true }): { items: TransactionView[]; total: number } {
    const w = where(filter);
    if (sort.key === 'energy') this.writeLive();
    const items = this.db.select(viewColumns).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .leftJoin(users, eq(users.id, transactions.userId)).where(w)
      .orderBy(...orderBy(txColumns[sort.key], transactions.id, sort.desc)).limit(page.limit).offset(page.offset).all().map((r) => this.withLive(flat(r)));
    const total = this.db.select({ n: count() }).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId)).where(w).get()!.n;
    return { items, total };
  }

  /** Totals computed in SQLite, so a busy day is never cut off by a page size. A running session counts its energy so far. */
  summary(filter: TransactionFilter): { sessions: number; energyWh: number; costAmount: number } {
    this.writeLive();
    return this.db.select({
      sessions: count(),
      energyWh: sql<number>`coalesce(sum(${energySql}), 0)`,
      costAmount: sql<number>`coalesce(sum(${transactions.costAmount}), 0)`,
    }).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId)).where(where(filter)).get()!;
  }

  byId(id: number): TransactionView | undefined {
    const found = this.db.select(viewColumns).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .leftJoin(users, eq(users.id, transactions.userId)).where(eq(transactions.id, id)).get();
    return found && this.withLive(flat(found));
  }

  /** One page of the CSV export, newest first, ids below beforeId (page on with the last row's id). */
  csvPage(filter: TransactionFilter, beforeId: number, limit: number) {
    return this.db.select(csvColumns).from(transactions)
      .innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .leftJoin(users, eq(users.id, transactions.userId))
      .leftJoin(walletTransactions, and(eq(walletTransactions.chargingTransactionId, transactions.id), eq(walletTransactions.type, 'CHARGE')))
      .where(and(where(filter), lt(transactions.id, beforeId))).orderBy(desc(transactions.id)).limit(limit).all();
  }

  runningCount(): number {
    return this.db.select({ n: count() }).from(transactions).where(eq(transactions.status, 'RUNNING')).get()!.n;
  }

  /** Every running session with its charger's limit: what the load balancer shares the site's current over. */
  running() {
    return this.db.select({
      transactionId: transactions.id, connectorId: transactions.connectorId, startedAt: transactions.startReceivedAt,
      lastPowerW: transactions.lastPowerW, chargerId: chargers.id, chargePointId: chargers.chargePointId, maxCurrentA: chargers.maxCurrentA,
    }).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .where(eq(transactions.status, 'RUNNING')).all()
      .map((r) => ({ ...r, lastPowerW: this.withLive({ id: r.transactionId, status: 'RUNNING', lastPowerW: r.lastPowerW } as TransactionRow).lastPowerW }));
  }
}
