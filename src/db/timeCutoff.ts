// Finds the first row id whose time column is at or after a cut-off, by binary search on the rowid.
// Rows are appended in time order (near enough: a charger's queued messages may be a little older),
// so retention needs no time index, which keeps every insert on the hot tables cheaper.
import type { Sqlite } from './index.js';

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
