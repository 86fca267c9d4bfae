// GET /api/admin/transactions.csv: every session matching the list's filters (not one page) as a CSV
// download for accounting, with the CLI export's columns plus what the wallet was debited. Read in
// pages by id, yielding between pages so chargers are served while a big export is built.
import { and, desc, eq, lt } from 'drizzle-orm';
import { chargers, transactions, users, walletTransactions } from '../../db/schema.js';
import { csvLine } from '../../csv.js';
import type { Router } from '../http.js';
import { filterOf } from './transactions.js';
import type { RouteDeps } from './index.js';

const PAGE = 1000;

const COLUMNS = {
  id: transactions.id, chargePointId: chargers.chargePointId, connectorId: transactions.connectorId, idTag: transactions.idTag,
  status: transactions.status, startedAt: transactions.startedAt, stoppedAt: transactions.stoppedAt, energyWh: transactions.energyWh,
  costAmount: transactions.costAmount, currency: transactions.currency, stopReason: transactions.stopReason, userId: transactions.userId,
  userName: users.fullName, meterStart: transactions.meterStart, meterStop: transactions.meterStop, tariffId: transactions.tariffId,
  walletDebit: walletTransactions.amount,
};
const NAMES = Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>;

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

export function registerTransactionCsvRoutes(router: Router, deps: RouteDeps): void {
  const { db } = deps.domain;

  router.get('/api/admin/transactions.csv', 'viewer', async (req) => {
    const where = filterOf(req); // bad filters are a 400 before anything is read
    const lines = [NAMES.join(',') + '\r\n'];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = db.select(COLUMNS).from(transactions)
        .innerJoin(chargers, eq(chargers.id, transactions.chargerId))
        .leftJoin(users, eq(users.id, transactions.userId))
        .leftJoin(walletTransactions, and(eq(walletTransactions.chargingTransactionId, transactions.id), eq(walletTransactions.type, 'CHARGE')))
        .where(and(where, lt(transactions.id, before))).orderBy(desc(transactions.id)).limit(PAGE).all();
      for (const row of rows) lines.push(csvLine(NAMES.map((n) => row[n])));
      if (rows.length < PAGE) break;
      before = rows[rows.length - 1]!.id;
      await nextTick();
    }
    const day = new Date().toISOString().slice(0, 10);
    return {
      raw: Buffer.from(lines.join('')), contentType: 'text/csv; charset=utf-8',
      headers: { 'Content-Disposition': `attachment; filename="sessions-${day}.csv"` },
    };
  });
}
