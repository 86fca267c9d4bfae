// Per-row figures kept in memory and written in one background unit of work every few seconds: for
// derived data no charger is told about (last-seen times, a session's live meter), where a row update per
// message was one more B-tree page written and synced per message. A crash loses at most one interval.
import type { UnitOfWork } from '../db/unitOfWork.js';

export class RowWriteBehind<V> {
  private pending = new Map<number, V>();
  private timer: NodeJS.Timeout | undefined;

  /** afterWrite runs in the same unit of work, after the batch's rows (a mark of what they cover). */
  constructor(private readonly uow: UnitOfWork, private readonly write: (id: number, value: V) => void, private readonly flushEveryMs: number,
    private readonly afterWrite: () => void = () => {}) {}

  /** The value not yet written for this row, if any. */
  get(id: number): V | undefined {
    return this.pending.get(id);
  }

  set(id: number, value: V): void {
    this.pending.set(id, value);
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, this.flushEveryMs).unref();
  }

  /** Writes every pending value in one unit of work (also at shutdown, before the last commit). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    return this.uow.run(() => {
      for (const [id, value] of batch) this.write(id, value);
      this.afterWrite();
    }, { routine: true }).catch(() => {
      // Not written (storage trouble): kept for the next flush, unless a newer value arrived meanwhile.
      for (const [id, value] of batch) if (!this.pending.has(id)) this.pending.set(id, value);
    });
  }
}
