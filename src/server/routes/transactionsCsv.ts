// GET /api/admin/transactions.csv: every session matching the list's filters (not one page) as a CSV
// download for accounting, with the CLI export's columns plus what the wallet was debited. Read in
// pages by id, yielding between pages so chargers are served while a big export is built.
import { CSV_COLUMNS } from '../../domain/transactionQueries.js';
import { csvLine } from '../../csv.js';
import type { Router } from '../http.js';
import { filterOf } from './transactions.js';
import type { RouteDeps } from './index.js';

const PAGE = 1000;

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

export function registerTransactionCsvRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { transactionQueries } = deps.domain;

  router.get('/api/admin/transactions.csv', 'viewer', async (req) => {
    const filter = filterOf(req); // bad filters are a 400 before anything is read
    const lines = [CSV_COLUMNS.join(',') + '\r\n'];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = transactionQueries.csvPage(filter, before, PAGE);
      for (const row of rows) lines.push(csvLine(CSV_COLUMNS.map((n) => row[n])));
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
