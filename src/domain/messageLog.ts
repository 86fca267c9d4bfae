// The log of every OCPP frame in and out. Inserts use one prepared statement: this is the hottest write.
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { EventBus } from './events.js';
import { redactLogPayload } from './logRedaction.js';
import { beyondNewestIds, olderThanById } from '../db/timeCutoff.js';
import type { Deletion } from '../db/batchDelete.js';

export interface LogEntry {
  chargePointId: string; direction: 'IN' | 'OUT'; messageType: number;
  action?: string; uniqueId?: string; payload: unknown;
}

export interface LogQuery {
  chargePointId?: string; action?: string; direction?: string; from?: string; to?: string; beforeId?: number; limit?: number;
}

export interface LogRow {
  id: number; chargePointId: string; direction: string; messageType: number;
  action: string | null; uniqueId: string | null; payload: unknown; createdAt: string;
}

export class MessageLog {
  private readonly insert;

  constructor(private readonly sqlite: Sqlite, private readonly uow: UnitOfWork, private readonly events: EventBus) {
    this.insert = sqlite.prepare(
      'INSERT INTO log (charge_point_id, direction, message_type, action, unique_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  /**
   * Writes one frame, inside the caller's uow.run; a secret configuration value is masked before it is stored
   * (logRedaction.ts). The 'log' event follows the COMMIT: a live view never shows a frame that was rolled back.
   */
  record(e: LogEntry): void {
    const safe = redactLogPayload(e.action, e.payload);
    const payload = typeof safe === 'string' ? safe : JSON.stringify(safe);
    const createdAt = new Date().toISOString();
    const { lastInsertRowid } = this.insert.run(e.chargePointId, e.direction, e.messageType, e.action ?? null, e.uniqueId ?? null, payload, createdAt);
    // The whole row as the log API returns it, so a live tail adds it without asking again.
    const event: LogRow = {
      id: Number(lastInsertRowid), chargePointId: e.chargePointId, direction: e.direction, messageType: e.messageType,
      action: e.action ?? null, uniqueId: e.uniqueId ?? null, payload: typeof safe === 'string' ? safeParse(safe) : safe, createdAt,
    };
    this.uow.onCommit(() => this.events.emit('log', event));
  }

  /** Newest first; page with beforeId. */
  query(q: LogQuery): LogRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.chargePointId) { where.push('charge_point_id = ?'); args.push(q.chargePointId); }
    if (q.action) { where.push('action = ?'); args.push(q.action); }
    if (q.direction) { where.push('direction = ?'); args.push(q.direction.toUpperCase()); }
    if (q.from) { where.push('created_at >= ?'); args.push(q.from); }
    if (q.to) { where.push('created_at <= ?'); args.push(q.to); }
    if (q.beforeId) { where.push('id < ?'); args.push(q.beforeId); }
    const sql = `SELECT id, charge_point_id AS chargePointId, direction, message_type AS messageType, action, unique_id AS uniqueId, payload, created_at AS createdAt
      FROM log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.sqlite.prepare(sql).all(...args, Math.min(q.limit ?? 100, 1000)) as Array<LogRow & { payload: string }>;
    return rows.map((r) => ({ ...r, payload: safeParse(r.payload) }));
  }

  /** What retention deletes: rows older than the cut-off (null = no age limit) and beyond the row cap (0 = none). */
  prunePlan(olderThan: string | null, maxRows: number): Deletion[] {
    // created_at is the server's clock, but a Pi without RTC may write rows dated 1970 before NTP:
    // olderThanById checks each row's own time, so such a row never takes younger rows with it.
    const plan = olderThan ? [olderThanById(this.sqlite, 'log', 'created_at', olderThan)] : [];
    const overCap = maxRows > 0 ? beyondNewestIds(this.sqlite, 'log', maxRows) : null;
    if (overCap) plan.push(overCap);
    return plan;
  }
}

function safeParse(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}
