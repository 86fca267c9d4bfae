// Charging sessions: /api/admin/transactions (filters and paging), one session, its meter values.
import { TRANSACTION_SORTS, TRANSACTION_STATUSES, type TransactionFilter } from '../../domain/transactionQueries.js';
import { parseFlags } from '../../domain/sessionFlags.js';
import { HttpError, type ApiRequest, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import { idParam, offsetPaging, pageOf, sortParam, timeParam } from './paging.js';
import type { RouteDeps } from './index.js';

const STATUSES: readonly string[] = TRANSACTION_STATUSES;

const closeBody = bodySchema<{ meterStop?: number }>({
  type: 'object', additionalProperties: false, properties: { meterStop: { type: 'integer', minimum: 0 } },
});

/**
 * Filters: chargePointId (or charger), chargerId, idTag (any case), userId, status (comma list), from/to on the start
 * time, unpaid=true (completed with a cost no wallet was debited for: no user, no wallet, other currency) or false.
 */
export function filterOf(req: ApiRequest): TransactionFilter {
  const q = req.query;
  const f: TransactionFilter = {};
  const cpId = q.get('chargePointId') || q.get('charger');
  if (cpId) f.chargePointId = cpId;
  const chargerId = intParam(q.get('chargerId'), 'chargerId');
  if (chargerId !== undefined) f.chargerId = chargerId;
  if (q.get('idTag')) f.idTag = q.get('idTag')!;
  const userId = intParam(q.get('userId'), 'userId');
  if (userId !== undefined) f.userId = userId;
  const status = q.get('status');
  if (status) {
    const list = status.split(',').map((s) => s.trim().toUpperCase());
    const bad = list.filter((s) => !STATUSES.includes(s));
    if (bad.length) throw new HttpError(400, 'invalid_parameter', `status must be one of ${STATUSES.join(', ')}`, { invalid: bad });
    f.statuses = list;
  }
  const unpaid = q.get('unpaid');
  if (unpaid !== null && unpaid !== '') {
    if (unpaid !== 'true' && unpaid !== 'false') throw new HttpError(400, 'invalid_parameter', 'unpaid must be true or false');
    f.unpaid = unpaid === 'true';
  }
  const from = timeParam(req, 'from');
  const to = timeParam(req, 'to');
  if (from) f.from = from;
  if (to) f.to = to;
  return f;
}

export function registerTransactionRoutes(router: Router, deps: Pick<RouteDeps, 'logger' | 'domain'>): void {
  const { domain } = deps;
  router.get('/api/admin/transactions', 'viewer', (req) => {
    const { limit, offset } = pageOf(req);
    const { items, total } = domain.transactionQueries.list(filterOf(req), { limit, offset }, sortParam(req, TRANSACTION_SORTS));
    return { body: { transactions: items, ...offsetPaging(total, { limit, offset }) } };
  });

  // Totals for the dashboard (a busy day is never cut off by a page size).
  router.get('/api/admin/transactions/summary', 'viewer', (req) => ({ body: domain.transactionQueries.summary(filterOf(req)) }));

  const txOr404 = (raw: string | undefined) => {
    const found = domain.transactionQueries.byId(idParam(raw, 'transaction'));
    if (!found) throw new HttpError(404, 'transaction_not_found', `no transaction ${raw}`);
    return found;
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

  // An operator closes a session whose StopTransaction has not come (a charger replaced, its queue lost,
  // a stuck session): it is completed and charged once, at the last meter reading unless told otherwise.
  // If the charger's StopTransaction does arrive later, its figures replace these and the wallet is corrected once.
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
      { transactionId: tx.id, meterStop, timestamp: new Date().toISOString(), reason: 'Other' }, new Date(), req.principal?.name ?? 'an operator'));
    deps.logger.info({ transactionId: tx.id, meterStop, by: req.principal?.name }, 'transaction closed by an operator');
    return { body: { transaction: { ...done, flags: parseFlags(done.flags), chargePointId: tx.chargePointId } } };
  });

  router.get('/api/admin/transactions/:id/meter-values', 'viewer', (req) => {
    const tx = txOr404(req.params.id);
    const afterId = intParam(req.query.get('afterId'), 'afterId') ?? 0;
    if (afterId < 0) throw new HttpError(400, 'invalid_parameter', 'afterId must be 0 or more');
    return { body: { transactionId: tx.id, meterValues: domain.meterValues.forTransaction(tx.id, afterId) } };
  });
}
