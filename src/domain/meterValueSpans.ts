// The id range each session's readings lie in (table meter_value_span), in place of an index on
// meter_value (transaction_id, …). Such an index keeps each session's entries in their own region, so a
// commit carrying readings of 50 sessions dirtied ~50 index leaves (a 4 KB WAL frame each, written again
// at checkpoint) for a few hundred bytes of rows. Span rows of the sessions in progress are the newest rows
// of a small table: a commit dirties one or two of its leaves. Readers scan the session's id range of
// meter_value (a rowid range: rows of the other sessions at the site in between are skipped).
import type { Sqlite } from '../db/index.js';

export interface IdRange { first: number; last: number }
/** A session's span and the newest time (UTC text) among its readings: null when unknown (a span older than migration 0012 whose rows are gone). */
export interface Span extends IdRange { newestAt: string | null }

export class MeterValueSpans {
  private readonly extendStatement;
  private readonly get;
  private readonly prune;

  constructor(sqlite: Sqlite) {
    // Widened only when it must be (the WHERE): an update that changes nothing would still dirty the page.
    this.extendStatement = sqlite.prepare(`INSERT INTO meter_value_span (transaction_id, first_id, last_id, newest_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (transaction_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id),
        newest_at = max(coalesce(newest_at, ''), excluded.newest_at)
      WHERE excluded.first_id < first_id OR excluded.last_id > last_id OR newest_at IS NULL OR excluded.newest_at > newest_at`);
    this.get = sqlite.prepare('SELECT first_id AS first, last_id AS last, newest_at AS newestAt FROM meter_value_span WHERE transaction_id = ?');
    // A span wholly below the oldest reading covers nothing any more; with no readings at all, none does.
    this.prune = sqlite.prepare(`DELETE FROM meter_value_span
      WHERE last_id < coalesce((SELECT min(rowid) FROM meter_value), 9223372036854775807)`);
  }

  /** Inside the write that stored (or claimed) readings first..last of the session, the newest of them at newestAt. */
  extend(transactionId: number, first: number, last: number, newestAt: string): void {
    this.extendStatement.run(transactionId, first, last, newestAt);
  }

  /** The ids the session's readings lie between and the newest time among them, or null when it has none. */
  of(transactionId: number): Span | null {
    return (this.get.get(transactionId) as Span | undefined) ?? null;
  }

  /** After retention deleted readings: the spans they emptied. */
  pruneBelowOldest(): number {
    return this.prune.run().changes;
  }
}
