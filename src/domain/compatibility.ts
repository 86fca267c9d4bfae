// What the compatibility layer (src/ocpp/compat) did for each charger: repairs counted per kind and
// field (one per message), and the transaction messages answered but not processable, kept for review.
// Written in the same unit of work as the message, so the counts are as durable as what they count.
import type { Sqlite } from '../db/index.js';

export type CompatMode = 'tolerant' | 'strict';
export const COMPAT_MODES: readonly CompatMode[] = ['tolerant', 'strict'];

/** One repair as the domain stores it (the OCPP layer decides what it is). */
export interface RepairRecord { kind: string; path: string; raw: string; repaired?: string }

export interface RepairCount {
  action: string; kind: string; path: string; count: number;
  lastRaw: string; lastRepaired: string | null; firstAt: string; lastAt: string;
}

export interface ReviewItem { id: number; action: string; uniqueId: string; payload: string; reason: string; receivedAt: string }

export class Compatibility {
  // Prepared once: this runs for every repaired message.
  private readonly upsert;
  private readonly insertReview;
  private readonly countsQuery;
  private readonly reviewsQuery;

  constructor(sqlite: Sqlite) {
    this.upsert = sqlite.prepare(`INSERT INTO compat_repair (charger_id, action, kind, path, count, last_raw, last_repaired, first_at, last_at)
      VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
      ON CONFLICT (charger_id, action, kind, path) DO UPDATE SET count = count + 1, last_raw = excluded.last_raw,
        last_repaired = excluded.last_repaired, last_at = excluded.last_at`);
    this.insertReview = sqlite.prepare(`INSERT INTO compat_review (charger_id, action, unique_id, payload, reason, received_at) VALUES (?, ?, ?, ?, ?, ?)`);
    this.countsQuery = sqlite.prepare(`SELECT action, kind, path, count, last_raw AS lastRaw, last_repaired AS lastRepaired,
      first_at AS firstAt, last_at AS lastAt FROM compat_repair WHERE charger_id = ? ORDER BY count DESC, action, kind, path`);
    this.reviewsQuery = sqlite.prepare(`SELECT id, action, unique_id AS uniqueId, payload, reason, received_at AS receivedAt
      FROM compat_review WHERE charger_id = ? ORDER BY id DESC LIMIT ?`);
  }

  /** Counts one message's repairs; the same kind at the same place counts once per message. Call inside a unit of work. */
  recordRepairs(chargerId: number, action: string, repairs: RepairRecord[], at: Date): void {
    const seen = new Set<string>();
    const when = at.toISOString();
    for (const r of repairs) {
      const key = `${r.kind}\u0000${r.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.upsert.run(chargerId, action, r.kind, r.path, r.raw.slice(0, 200), r.repaired?.slice(0, 200) ?? null, when, when);
    }
  }

  /** A message answered without being processed, kept whole. Call inside a unit of work. */
  storeForReview(chargerId: number, action: string, uniqueId: string, payload: unknown, reason: string, at: Date): void {
    this.insertReview.run(chargerId, action, uniqueId, JSON.stringify(payload), reason.slice(0, 500), at.toISOString());
  }

  repairCounts(chargerId: number): RepairCount[] {
    return this.countsQuery.all(chargerId) as RepairCount[];
  }

  reviews(chargerId: number, limit = 50): ReviewItem[] {
    return this.reviewsQuery.all(chargerId, limit) as ReviewItem[];
  }
}
