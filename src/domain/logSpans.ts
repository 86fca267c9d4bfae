// Which id ranges ("buckets" of 65,536 ids) of the log hold a charger's frames (table log_charger_span).
// An index on log (charge_point_id, id) kept each charger's entries in their own region of the index, so a
// batch from 50 chargers dirtied ~50 B-tree leaves (a 4 KB WAL frame each, again at checkpoint) for a few KB
// of frames. A span row is written once per charger per 65,536 ids; a charger's frames are then found by
// walking its buckets newest first and scanning each bucket's id range of the log (a rowid range).
import type { Sqlite } from '../db/index.js';

export const BUCKET_BITS = 16;
const BUCKET_IDS = 2 ** BUCKET_BITS;

/** The bucket an id is in (ids can pass 2^31, so no `>>`). */
export const bucketOf = (id: number) => Math.floor(id / BUCKET_IDS);
/** The first and last id of a bucket. */
export const bucketRange = (bucket: number): [number, number] => [bucket * BUCKET_IDS, bucket * BUCKET_IDS + BUCKET_IDS - 1];

export class LogSpans {
  private readonly insert;
  private readonly newestFirst;
  private readonly prune;
  /** Chargers whose span row for `knownBucket` is committed: ids only grow, so one bucket is enough to remember. */
  private knownBucket = -1;
  private known = new Set<string>();

  constructor(sqlite: Sqlite) {
    this.insert = sqlite.prepare('INSERT OR IGNORE INTO log_charger_span (charge_point_id, bucket) VALUES (?, ?)');
    this.newestFirst = sqlite.prepare('SELECT bucket FROM log_charger_span WHERE charge_point_id = ? AND bucket <= ? ORDER BY bucket DESC').pluck();
    // A bucket wholly below the oldest log row holds no frame any more; with no rows at all, none does.
    this.prune = sqlite.prepare(`DELETE FROM log_charger_span
      WHERE bucket < coalesce((SELECT min(id) FROM log) >> ${BUCKET_BITS}, 9223372036854775807)`);
  }

  /** Inside the batch's transaction, after its frames are inserted: the span rows they need and not yet known. */
  record(rows: Iterable<{ id: number; chargePointId: string }>): Array<[string, number]> {
    const added: Array<[string, number]> = [];
    for (const r of rows) {
      const bucket = bucketOf(r.id);
      if (bucket === this.knownBucket && this.known.has(r.chargePointId)) continue;
      if (added.some(([cp, b]) => cp === r.chargePointId && b === bucket)) continue;
      this.insert.run(r.chargePointId, bucket);
      added.push([r.chargePointId, bucket]);
    }
    return added;
  }

  /** After the batch's COMMIT: what record() wrote is durable and need not be written again. */
  committed(added: Array<[string, number]>): void {
    for (const [cp, bucket] of added) {
      if (bucket > this.knownBucket) { this.knownBucket = bucket; this.known = new Set(); }
      if (bucket === this.knownBucket) this.known.add(cp);
    }
  }

  /** A charger's buckets at or below `maxBucket`, newest first. */
  buckets(chargePointId: string, maxBucket: number): number[] {
    return this.newestFirst.all(chargePointId, maxBucket) as number[];
  }

  /**
   * Deletes the span rows of buckets wholly below the oldest log row (run after retention deleted log rows).
   * The memory is forgotten too: after the whole log went, ids start again at 1, in buckets pruned here.
   */
  pruneBelowOldest(): number {
    this.knownBucket = -1;
    this.known = new Set();
    return this.prune.run().changes;
  }
}
