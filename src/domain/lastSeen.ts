// When each charger was last heard from (any frame, a pong) and last sent a Heartbeat. Kept in memory and
// written to the charger rows in one background commit every few seconds: a row update per Heartbeat was a
// B-tree page written (and fsynced) per message, the largest share of what an idle site wrote to its SD card.
// Nothing is acknowledged on these times, so a crash loses at most the last interval's; readers of a charger
// row get the newer in-memory times laid over it (withTimes), so the API never shows a stale time.
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { ChargerStatements } from '../db/queries/chargers.js';
import { RowWriteBehind } from './rowWriteBehind.js';

interface Times { seenAt: string; heartbeatAt: string | null }

export class LastSeenTimes {
  private readonly pending: RowWriteBehind<Times>;

  constructor(uow: UnitOfWork, q: ChargerStatements, flushEveryMs = 10_000) {
    this.pending = new RowWriteBehind(uow, (id, t) => q.setLastSeen.run({ id, seenAt: t.seenAt, heartbeatAt: t.heartbeatAt }), flushEveryMs);
  }

  seen(chargerId: number, at: Date, heartbeat = false): void {
    const iso = at.toISOString();
    const before = this.pending.get(chargerId);
    const heartbeatAt = heartbeat ? iso : before?.heartbeatAt ?? null;
    this.pending.set(chargerId, { seenAt: before && before.seenAt > iso ? before.seenAt : iso, heartbeatAt });
  }

  /** The row with the times not yet written laid over it. */
  withTimes<T extends { id: number; lastSeenAt: string | null; lastHeartbeatAt: string | null }>(row: T): T;
  withTimes<T extends { id: number; lastSeenAt: string | null; lastHeartbeatAt: string | null }>(row: T | undefined): T | undefined;
  withTimes<T extends { id: number; lastSeenAt: string | null; lastHeartbeatAt: string | null }>(row: T | undefined): T | undefined {
    const times = row && this.pending.get(row.id);
    if (!row || !times) return row;
    return {
      ...row,
      lastSeenAt: !row.lastSeenAt || times.seenAt > row.lastSeenAt ? times.seenAt : row.lastSeenAt,
      lastHeartbeatAt: times.heartbeatAt && (!row.lastHeartbeatAt || times.heartbeatAt > row.lastHeartbeatAt) ? times.heartbeatAt : row.lastHeartbeatAt,
    };
  }

  /** Writes every pending time in one commit (also called at shutdown, before the last commit). */
  flush(): Promise<void> {
    return this.pending.flush();
  }
}
