// Big deletes in slices: one statement of 500k rows holds the event loop for about a second, and
// chargers wait for their answers meanwhile. Each slice is one write in the unit of work (so it commits
// with whatever else arrived), and the next slice starts only after the event loop had a turn.
import type { Sqlite } from './index.js';
import type { UnitOfWork } from './unitOfWork.js';

export const DELETE_BATCH_ROWS = 10_000;

/** Rows of a table to delete: `where` is an SQL condition with `?` for args. */
export interface Deletion { table: string; where: string; args: unknown[] }

export interface BatchOptions {
  batchRows?: number;
  /** Checked before each slice: retention stops between slices at shutdown. */
  shouldStop?: () => boolean;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Deletes what `d` selects, batchRows at a time; returns how many rows went. */
export async function deleteInBatches(uow: UnitOfWork, sqlite: Sqlite, d: Deletion, opts: BatchOptions = {}): Promise<number> {
  const batchRows = opts.batchRows ?? DELETE_BATCH_ROWS;
  const stmt = sqlite.prepare(`DELETE FROM "${d.table}" WHERE rowid IN (SELECT rowid FROM "${d.table}" WHERE ${d.where} LIMIT ?)`);
  let removed = 0;
  for (;;) {
    if (opts.shouldStop?.() || !sqlite.open) break;
    const n = await uow.run(() => stmt.run(...d.args, batchRows).changes);
    removed += n;
    if (n < batchRows) break;
    await yieldToEventLoop();
  }
  return removed;
}
