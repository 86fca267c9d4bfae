// A running session's live figures (last energy register, power, and the charger's time of that reading),
// kept in memory and written to the session rows in one background commit every few seconds. They are
// derived data: every reading is stored in meter_value in the commit the charger's answer waits for, and a
// StopTransaction brings its own meterStop. Rewriting the session row with each MeterValues was one more
// B-tree page (a 4 KB WAL frame) per message. Readers of a session row get the newer figures laid over it
// (withLive), as lastSeen.ts does for chargers; a crash loses at most the last interval's live figures.
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { TransactionStatements } from '../db/queries/transactions.js';
import { RowWriteBehind } from './rowWriteBehind.js';

export interface LiveFigures { wh: number | null; w: number | null; at: string | null }
interface SessionFigures { lastMeterWh: number | null; lastPowerW: number | null; lastMeterAt: string | null; status: string }

const OPEN = new Set(['RUNNING', 'INTERRUPTED']);

export class LiveMeters {
  private readonly pending: RowWriteBehind<LiveFigures>;

  constructor(uow: UnitOfWork, q: TransactionStatements, flushEveryMs = 5_000) {
    // A session stopped meanwhile keeps its stop's figures: the statement only touches open sessions.
    this.pending = new RowWriteBehind(uow, (id, f) => q.setLiveMeter.run({ id, wh: f.wh, w: f.w, at: f.at }), flushEveryMs);
  }

  /** What the session holds now: the figures not yet written, else the row's. */
  held(id: number, row: SessionFigures): LiveFigures {
    return this.pending.get(id) ?? { wh: row.lastMeterWh, w: row.lastPowerW, at: row.lastMeterAt };
  }

  set(id: number, figures: LiveFigures): void {
    this.pending.set(id, figures);
  }

  /** The row with the figures not yet written laid over it (only while the session is open). */
  withLive<T extends SessionFigures & { id: number }>(row: T): T;
  withLive<T extends SessionFigures & { id: number }>(row: T | undefined): T | undefined;
  withLive<T extends SessionFigures & { id: number }>(row: T | undefined): T | undefined {
    const live = row && OPEN.has(row.status) ? this.pending.get(row.id) : undefined;
    return live ? { ...row!, lastMeterWh: live.wh, lastPowerW: live.w, lastMeterAt: live.at } : row;
  }

  /** Writes every pending figure in one unit of work (also at shutdown, before the last commit). */
  flush(): Promise<void> {
    return this.pending.flush();
  }
}
