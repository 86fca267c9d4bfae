// Finds the first row id whose time column is at or after a cut-off, by binary search on the rowid.
// Rows are appended in time order (near enough: a charger's queued messages may be a little older),
// so retention needs no time index, which keeps every insert on the hot tables cheaper.
import type { Sqlite } from './index.js';
import type { Deletion } from './batchDelete.js';

export function firstIdAtOrAfter(sqlite: Sqlite, table: string, column: string, cutoff: string): number | null {
  const bounds = sqlite.prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM "${table}"`).get() as { lo: number | null; hi: number | null };
  if (bounds.lo === null || bounds.hi === null) return null;
  const probe = sqlite.prepare(`SELECT rowid AS id, "${column}" AS t FROM "${table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1`);
  let lo = bounds.lo;
  let hi = bounds.hi + 1; // invariant: rows before lo are older than cutoff; hi is at or after it (or past the end)
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = probe.get(mid) as { id: number; t: string } | undefined;
    if (!row || row.t >= cutoff) hi = mid;
    else lo = row.id + 1;
  }
  return lo > bounds.hi ? null : (probe.get(lo) as { id: number } | undefined)?.id ?? null;
}

/**
 * Rows whose time column is before the cut-off: the id range found above, each row also checked against
 * its own time, so one row with a wrong clock (1970) that ends the range early takes no younger rows with it.
 */
export function olderThanById(sqlite: Sqlite, table: string, column: string, cutoff: string): Deletion {
  const firstKept = firstIdAtOrAfter(sqlite, table, column, cutoff) ?? Number.MAX_SAFE_INTEGER;
  return { table, where: `rowid < ? AND "${column}" < ?`, args: [firstKept, cutoff] };
}

/** The rows beyond the newest maxRows ids (ids only grow; rows are deleted oldest first), or null. */
export function beyondNewestIds(sqlite: Sqlite, table: string, maxRows: number): Deletion | null {
  const { hi } = sqlite.prepare(`SELECT max(rowid) AS hi FROM "${table}"`).get() as { hi: number | null };
  if (hi === null || hi <= maxRows) return null;
  return { table, where: 'rowid <= ?', args: [hi - maxRows] };
}
