// The id range each session's readings lie in (table meter_value_span), in place of an index on
// meter_value (transaction_id, …). Such an index keeps each session's entries in their own region, so a
// commit carrying readings of 50 sessions dirtied ~50 index leaves (a 4 KB WAL frame each, written again
// at checkpoint) for a few hundred bytes of rows. Readers scan the session's id range of meter_value (a
// rowid range: rows of the other sessions at the site in between are skipped).
//
// A span only grows as readings are appended, and the readings themselves are in the commit the charger's
// answer waits for: the span is derived from them. So the growth is kept in memory and written in one
// background unit of work every few seconds, with a mark (in `setting`) of the newest reading id it covers;
// at 1,000 sessions a span row per message dirtied ~7 of the table's leaves a commit. After a crash the
// readings past the mark give the spans back (recover()). Readings claimed out of order (an unattached one
// a session takes later, with an old id the mark already passed) widen the stored span at once.
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { RowWriteBehind } from './rowWriteBehind.js';
import { settingRow, type SettingRow } from '../db/settingRow.js';

export interface IdRange { first: number; last: number }
/** A session's span and the newest time (UTC text) among its readings: null when unknown (a span older than migration 0012 whose rows are gone). */
export interface Span extends IdRange { newestAt: string | null }

/** The `setting` key of the newest meter_value id the stored spans cover. */
export const SPANS_COVER_KEY = 'meter_value_span.coversThrough';

export class MeterValueSpans {
  private readonly upsert;
  private readonly get;
  private readonly prune;
  private readonly newestReadingId;
  /** The newest meter_value id the stored spans cover. */
  private readonly cover: SettingRow<number>;
  private readonly pending: RowWriteBehind<Span>;

  constructor(private readonly sqlite: Sqlite, uow: UnitOfWork, flushEveryMs = 5_000) {
    // Widened only when it must be (the WHERE): an update that changes nothing would still dirty the page.
    this.upsert = sqlite.prepare(`INSERT INTO meter_value_span (transaction_id, first_id, last_id, newest_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (transaction_id) DO UPDATE SET first_id = min(first_id, excluded.first_id), last_id = max(last_id, excluded.last_id),
        newest_at = max(coalesce(newest_at, ''), excluded.newest_at)
      WHERE excluded.first_id < first_id OR excluded.last_id > last_id OR newest_at IS NULL OR excluded.newest_at > newest_at`);
    this.get = sqlite.prepare('SELECT first_id AS first, last_id AS last, newest_at AS newestAt FROM meter_value_span WHERE transaction_id = ?');
    // A span wholly below the oldest reading covers nothing any more; with no readings at all, none does.
    this.prune = sqlite.prepare(`DELETE FROM meter_value_span
      WHERE last_id < coalesce((SELECT min(rowid) FROM meter_value), 9223372036854775807)`);
    this.newestReadingId = sqlite.prepare('SELECT coalesce(max(rowid), 0) FROM meter_value').pluck();
    this.cover = settingRow<number>(sqlite, SPANS_COVER_KEY);
    this.pending = new RowWriteBehind(uow, (tx, s) => this.upsert.run(tx, s.first, s.last, s.newestAt), flushEveryMs,
      () => this.cover.save(this.newestReadingId.get() as number));
    this.recover();
  }

  /** Inside the write that appended readings first..last of the session (held: its span before them). */
  extend(transactionId: number, held: Span | null, first: number, last: number, newestAt: string): void {
    this.pending.set(transactionId, widened(held, first, last, newestAt));
  }

  /** Inside the write that claimed readings first..last for the session: stored at once, with the claim. */
  extendNow(transactionId: number, first: number, last: number, newestAt: string): void {
    this.upsert.run(transactionId, first, last, newestAt);
    const held = this.pending.get(transactionId);
    if (held) this.pending.set(transactionId, widened(held, first, last, newestAt));
  }

  /** The ids the session's readings lie between and the newest time among them, or null when it has none. */
  of(transactionId: number): Span | null {
    return this.pending.get(transactionId) ?? (this.get.get(transactionId) as Span | undefined) ?? null;
  }

  /** Writes the spans kept in memory (the background timer does; also at shutdown, before the last commit). */
  flush(): Promise<void> {
    return this.pending.flush();
  }

  /** After retention deleted readings: the spans they emptied. */
  pruneBelowOldest(): number {
    return this.prune.run().changes;
  }

  /**
   * The spans of readings stored after the mark: those a crash kept in memory only. Without a mark (a
   * database from before it) every stored span is whole, and the newest id any of them reaches is the mark.
   */
  private recover(): void {
    const stored = this.cover.load();
    const mark = stored ?? (this.sqlite.prepare('SELECT coalesce(max(last_id), 0) FROM meter_value_span').pluck().get() as number);
    const lost = this.sqlite.prepare(`SELECT transaction_id AS tx, min(rowid) AS first, max(rowid) AS last, max(timestamp) AS newestAt
      FROM meter_value WHERE rowid > ? AND transaction_id IS NOT NULL GROUP BY transaction_id`).all(mark) as Array<Span & { tx: number }>;
    if (stored !== undefined && !lost.length) return;
    // Stored at once even with nothing lost: from now on a span stored with a claim may pass the others.
    this.sqlite.transaction(() => {
      for (const s of lost) this.upsert.run(s.tx, s.first, s.last, s.newestAt);
      this.cover.save(lost.length ? this.newestReadingId.get() as number : mark);
    })();
  }
}

function widened(span: Span | null, first: number, last: number, newestAt: string): Span {
  if (!span) return { first, last, newestAt };
  return {
    first: Math.min(span.first, first), last: Math.max(span.last, last),
    newestAt: span.newestAt === null || newestAt > span.newestAt ? newestAt : span.newestAt,
  };
}
