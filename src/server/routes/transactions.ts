// Charging sessions: /api/admin/transactions (filters and paging), one session, its meter values.
import { and, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { chargers, transactions, walletTransactions } from '../../db/schema.js';
import { idTagIs } from '../../domain/idTagCase.js';
import { HttpError, type ApiRequest, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import { idParam, pageOf, timeParam } from './paging.js';
import type { RouteDeps } from './index.js';

const STATUSES = ['RUNNING', 'COMPLETED', 'INTERRUPTED', 'REJECTED', 'ORPHAN_STOP'];

const closeBody = bodySchema<{ meterStop?: number }>({
  type: 'object', additionalProperties: false, properties: { meterStop: { type: 'integer', minimum: 0 } },
});

/** A completed session with a cost that has a CHARGE row; null when there is nothing to pay (yet). */
const paidSql = sql<number | null>`CASE WHEN ${transactions.status} = 'COMPLETED' AND coalesce(${transactions.costAmount}, 0) > 0
  THEN EXISTS (SELECT 1 FROM ${walletTransactions} WHERE ${walletTransactions.chargingTransactionId} = ${transactions.id}
    AND ${walletTransactions.type} = 'CHARGE') END`;

/**
 * Filters: chargePointId (or charger), chargerId, idTag (any case), userId, status (comma list), from/to on the start
 * time, unpaid=true (completed with a cost no wallet was debited for: no user, no wallet, other currency) or false.
 */
export function filterOf(req: ApiRequest): SQL | undefined {
  const q = req.query;
  const conds: SQL[] = [];
  const cpId = q.get('chargePointId') || q.get('charger');
  if (cpId) conds.push(eq(chargers.chargePointId, cpId));
  const chargerId = intParam(q.get('chargerId'), 'chargerId');
  if (chargerId !== undefined) conds.push(eq(transactions.chargerId, chargerId));
  if (q.get('idTag')) conds.push(idTagIs(transactions.idTag, q.get('idTag')!)); // any case, as chargers may send it
  const userId = intParam(q.get('userId'), 'userId');
  if (userId !== undefined) conds.push(eq(transactions.userId, userId));
  const status = q.get('status');
  if (status) {
    const list = status.split(',').map((s) => s.trim().toUpperCase());
    const bad = list.filter((s) => !STATUSES.includes(s));
    if (bad.length) throw new HttpError(400, 'invalid_parameter', `status must be one of ${STATUSES.join(', ')}`, { invalid: bad });
    conds.push(inArray(transactions.status, list));
  }
  const unpaid = q.get('unpaid');
  if (unpaid !== null && unpaid !== '') {
    if (unpaid !== 'true' && unpaid !== 'false') throw new HttpError(400, 'invalid_parameter', 'unpaid must be true or false');
    conds.push(unpaid === 'true' ? sql`${paidSql} = 0` : sql`coalesce(${paidSql}, 1) = 1`);
  }
  const from = timeParam(req, 'from');
  const to = timeParam(req, 'to');
  if (from) conds.push(gte(transactions.startedAt, from));
  if (to) conds.push(lte(transactions.startedAt, to));
  return conds.length ? and(...conds) : undefined;
}

export function registerTransactionRoutes(router: Router, deps: RouteDeps): void {
  const { domain } = deps;
  const row = { tx: transactions, chargePointId: chargers.chargePointId, paid: paidSql };
  const flat = (r: { tx: typeof transactions.$inferSelect; chargePointId: string; paid: number | null }) =>
    ({ ...r.tx, chargePointId: r.chargePointId, paid: r.paid === null ? null : r.paid === 1 });

  router.get('/api/admin/transactions', 'viewer', (req) => {
    const { limit, offset } = pageOf(req);
    const where = filterOf(req);
    const items = domain.db.select(row).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .where(where).orderBy(desc(transactions.id)).limit(limit).offset(offset).all().map(flat);
    const total = domain.db.select({ n: count() }).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId)).where(where).get()!.n;
    return { body: { transactions: items, total, limit, offset } };
  });

  // Totals for the dashboard, computed in SQLite so a busy day is never cut off by a page size.
  router.get('/api/admin/transactions/summary', 'viewer', (req) => {
    const where = filterOf(req);
    const totals = domain.db.select({
      sessions: count(),
      energyWh: sql<number>`coalesce(sum(coalesce(${transactions.energyWh}, max(coalesce(${transactions.lastMeterWh}, ${transactions.meterStart}) - ${transactions.meterStart}, 0))), 0)`,
      costAmount: sql<number>`coalesce(sum(${transactions.costAmount}), 0)`,
    }).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId)).where(where).get()!;
    return { body: totals };
  });

  const txOr404 = (raw: string | undefined) => {
    const found = domain.db.select(row).from(transactions).innerJoin(chargers, eq(chargers.id, transactions.chargerId))
      .where(eq(transactions.id, idParam(raw, 'transaction'))).get();
    if (!found) throw new HttpError(404, 'transaction_not_found', `no transaction ${raw}`);
    return flat(found);
  };

  // The session's CHARGE ledger row, as the wallet recorded it (null: nothing was debited).
  const walletCharge = (txId: number) => {
    const entry = domain.wallets.chargeOf(txId);
    if (!entry) return null;
    const wallet = domain.wallets.byId(entry.walletId);
    return { id: entry.id, walletId: entry.walletId, amount: entry.amount, currency: wallet?.currency ?? null, balanceAfter: entry.balanceAfter, createdAt: entry.createdAt };
  };

  router.get('/api/admin/transactions/:id', 'viewer', (req) => {
    const tx = txOr404(req.params.id);
    return { body: { transaction: { ...tx, walletCharge: walletCharge(tx.id) } } };
  });

  // An operator closes a session whose StopTransaction will never come (a charger replaced, its
  // queue lost): it is completed and charged once, at the last meter reading unless told otherwise.
  // A StopTransaction that does arrive later finds it completed and changes nothing.
  router.post('/api/admin/transactions/:id/close', 'admin', async (req) => {
    const tx = txOr404(req.params.id);
    const body = closeBody(req.body);
    if (tx.status !== 'RUNNING' && tx.status !== 'INTERRUPTED') {
      throw new HttpError(409, 'transaction_not_open', `transaction ${tx.id} is ${tx.status}`);
    }
    const meterStop = body.meterStop ?? tx.lastMeterWh ?? tx.meterStart;
    if (meterStop < tx.meterStart) {
      throw new HttpError(400, 'invalid_meter_stop', `meterStop ${meterStop} Wh is below meterStart ${tx.meterStart} Wh`);
    }
    const charger = domain.chargers.byId(tx.chargerId)!;
    const done = await domain.uow.run(() => domain.transactions.stop(charger,
      { transactionId: tx.id, meterStop, timestamp: new Date().toISOString(), reason: 'Other' }, new Date()));
    deps.logger.info({ transactionId: tx.id, meterStop, by: req.principal?.name }, 'transaction closed by an operator');
    return { body: { transaction: { ...done, chargePointId: tx.chargePointId } } };
  });

  router.get('/api/admin/transactions/:id/meter-values', 'viewer', (req) => {
    const tx = txOr404(req.params.id);
    return { body: { transactionId: tx.id, meterValues: domain.meterValues.forTransaction(tx.id) } };
  });
}
