// The log of every OCPP frame in and out. Frames are diagnostics, not what a charger was told: they are kept
// in memory and written in one background batch about every second (or every BATCH_ROWS frames), so the
// acknowledged commit of a message no longer also rewrites the log's table and index leaves (two B-tree
// pages, each a 4 KB WAL frame, per message at a site's load). A crash loses at most the last seconds' frames.
// A CALL and its answer written in the same batch share one row (the reply_* columns, migration 0013): the
// answer's own row repeated charger, action, unique id and time for a payload often just `{}`, ~120 bytes a
// message. Queries give every frame as an entry of its own (as does the view log_entry), both with the row's id.
import type { Statement } from 'better-sqlite3';
import { encodeLogPayload, decodeLogPayload } from './logPayloadCodec.js';
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { EventBus } from './events.js';
import { redactLogPayload } from './logRedaction.js';
import { beyondNewestIds, olderThanById } from '../db/timeCutoff.js';
import type { Deletion } from '../db/batchDelete.js';
import { LogSpans, bucketOf, bucketRange } from './logSpans.js';

export interface LogEntry {
  chargePointId: string; direction: 'IN' | 'OUT'; messageType: number;
  action?: string; uniqueId?: string; payload: unknown;
  /** The payload as the charger sent it (valid JSON text), when the caller has it: stored instead of stringifying payload. */
  payloadText?: string;
  /** When the frame came or went (default: now). */
  at?: Date;
}

export interface LogQuery {
  chargePointId?: string; action?: string; direction?: string; from?: string; to?: string; beforeId?: number; limit?: number;
}

export interface LogRow {
  id: number; chargePointId: string; direction: string; messageType: number;
  action: string | null; uniqueId: string | null; payload: unknown; createdAt: string;
}

/**
 * A frame waiting for its write: the stored text and the row the live tail is told about (id set when written).
 * json: the text is JSON (as sent, or stringified), so it holds no raw control character (logPayloadCodec.ts).
 */
interface Pending { text: string; json: boolean; row: LogRow; queuedAt: number; reply?: Pending; isReply?: boolean }

// The time as ISO text, made once per millisecond: at a few thousand frames a second most share one.
let isoMs = 0;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) { isoMs = ms; isoText = new Date(ms).toISOString(); }
  return isoText;
}

export interface MessageLogOptions {
  /** Frames older than this are written with the next frame that comes in. */
  flushEveryMs?: number;
  /** ...or by a timer after this long when none comes. */
  quietFlushMs?: number;
  /** Frames that start a write at once. */
  batchRows?: number;
  /** Frames kept in memory while the disk refuses them; the oldest go first (counted in `dropped`). */
  maxPending?: number;
}

export class MessageLog {
  private readonly insert;
  private readonly spans: LogSpans;
  /** The statements of queries, by their leading condition and the filters after it (prepared on first use). */
  private readonly queries = new Map<string, Statement<unknown[]>>();
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushEveryMs: number;
  private readonly batchRows: number;
  private readonly maxPending: number;
  /** When the oldest queued frame was queued (ms). */
  private oldestAt = 0;
  /** CALLs at the front of pending held back for their answer (write()): not counted towards a full batch. */
  private awaitingAnswer = 0;
  private readonly quietFlushMs: number;
  /** Frames never written because the disk refused them for too long (shown in /metrics). */
  dropped = 0;

  constructor(private readonly sqlite: Sqlite, private readonly uow: UnitOfWork, private readonly events: EventBus, opts: MessageLogOptions = {}) {
    this.insert = sqlite.prepare(`INSERT INTO log (charge_point_id, direction, message_type, action, unique_id, payload, created_at,
      reply_type, reply_payload, reply_after_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.spans = new LogSpans(sqlite);
    this.flushEveryMs = opts.flushEveryMs ?? 1000;
    this.quietFlushMs = opts.quietFlushMs ?? 2 * this.flushEveryMs;
    this.batchRows = opts.batchRows ?? 500;
    this.maxPending = opts.maxPending ?? 20_000;
  }

  /**
   * Queues one frame; a secret configuration value is masked first (logRedaction.ts). It is written with the
   * next batch, and the 'log' event (the whole row, with its id) follows that batch's COMMIT.
   */
  record(e: LogEntry): void {
    const safe = redactLogPayload(e.action, e.payload);
    const raw = typeof safe === 'string';
    // A masked payload is a new object: the text as sent would hold the secret.
    const text = safe === e.payload && e.payloadText !== undefined ? e.payloadText : raw ? safe : JSON.stringify(safe);
    const row: LogRow = {
      id: 0, chargePointId: e.chargePointId, direction: e.direction, messageType: e.messageType,
      action: e.action ?? null, uniqueId: e.uniqueId ?? null, payload: raw ? safeParse(safe) : safe,
      createdAt: e.at ? e.at.toISOString() : isoNow(),
    };
    const now = Date.now();
    this.pending.push({ text, json: !raw, row, queuedAt: now });
    if (this.pending.length > this.maxPending) this.dropped += this.pending.splice(0, this.pending.length - this.maxPending).length;
    // A frame that comes in is about to open a batch of its own (its handler's writes): frames due by now
    // ride in it instead of making a commit (and a WAL sync) of their own. The timer is for a quiet site.
    if (this.pending.length === 1) this.oldestAt = now;
    const due = this.pending.length - this.awaitingAnswer >= this.batchRows || (e.direction === 'IN' && now - this.oldestAt >= this.flushEveryMs);
    if (due) void this.write(true);
    else this.timer ??= setTimeout(() => { this.timer = undefined; void this.write(true); }, this.quietFlushMs).unref();
  }

  /** Frames not yet written. */
  get backlog(): number { return this.pending.length; }

  /**
   * Writes every queued frame, CALLs still waiting for their answer too, in one unit of work (it joins whatever
   * batch is open, as a routine write that may wait for the commit window) and resolves once they are committed,
   * or kept for the next try when the disk refused them. For shutdown and tests; the batches of a running
   * site go through write(true).
   */
  flush(): Promise<void> {
    return this.write(false);
  }

  /**
   * holdCalls: CALLs not answered yet, queued less than flushEveryMs plus the commit window ago, wait for the
   * next batch (the answer to a charger's comes once its commit is durable) so that the two share a row. A charger has
   * one CALL in flight at a time, so at most two a charger wait (theirs and ours).
   */
  private write(holdCalls: boolean): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.pending.length === 0) return Promise.resolve();
    let batch = this.pending;
    this.pending = [];
    pairAnswers(batch);
    if (holdCalls) {
      const now = Date.now();
      // A routine message's answer waits for the commit window too.
      const holdMs = this.flushEveryMs + this.uow.windowMs;
      const waiting = batch.filter((p) => p.row.messageType === 2 && !p.reply && now - p.queuedAt < holdMs);
      if (waiting.length) {
        const held = new Set(waiting);
        batch = batch.filter((p) => !held.has(p));
        this.pending = waiting;
        this.oldestAt = now;
        this.timer = setTimeout(() => { this.timer = undefined; void this.write(true); }, this.quietFlushMs).unref();
      }
      this.awaitingAnswer = waiting.length;
    } else {
      this.awaitingAnswer = 0;
    }
    if (batch.length === 0) return Promise.resolve();
    let written: Promise<void>;
    try {
      written = this.uow.run(() => {
        for (const p of batch) {
          if (p.isReply) continue;
          const r = p.row;
          const a = p.reply;
          p.row.id = Number(this.insert.run(r.chargePointId, r.direction, r.messageType, r.action, r.uniqueId, encodeLogPayload(p.text, p.json), r.createdAt,
            a ? a.row.messageType : null, a ? encodeLogPayload(a.text, a.json) : null, a ? Date.parse(a.row.createdAt) - Date.parse(r.createdAt) : null).lastInsertRowid);
          if (a) a.row.id = p.row.id;
        }
        return this.spans.record(batch.map((p) => p.row));
      }, { routine: true }).then((spans) => {
        this.spans.committed(spans);
        for (const p of batch) this.events.emit('log', p.row);
      });
    } catch (err) {
      written = Promise.reject(err);
    }
    return written.catch(() => {
      for (const p of batch) { p.reply = undefined; p.isReply = undefined; } // paired again with the next try
      // Not stored (storage trouble, or closed): these go back in front of newer ones, within the bound.
      this.pending = [...batch, ...this.pending];
      this.awaitingAnswer = 0;
      this.oldestAt = Date.now(); // not again with every frame while the disk refuses them
      if (this.pending.length > this.maxPending) this.dropped += this.pending.splice(0, this.pending.length - this.maxPending).length;
      if (this.sqlite.open) this.timer ??= setTimeout(() => { this.timer = undefined; void this.write(true); }, this.flushEveryMs).unref();
    });
  }

  /**
   * Newest first; page with beforeId. A row holding a CALL and its answer gives two entries with its id (the
   * answer first): a page never ends between them, so it may hold limit + 1 entries.
   */
  query(q: LogQuery): LogRow[] {
    const limit = Math.min(q.limit ?? 100, 1000);
    const direction = q.direction?.toUpperCase();
    // Rows with a frame that may match; each frame of them is checked below (a row's answer has its own direction and time).
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.action) { where.push('action = ?'); args.push(q.action); }
    if (direction) { where.push('(direction = ? OR (reply_type IS NOT NULL AND direction <> ?))'); args.push(direction, direction); }
    if (q.from) { where.push(`(created_at >= ? OR (reply_type IS NOT NULL AND ${REPLY_AT} >= ?))`); args.push(q.from, q.from); }
    if (q.to) { where.push(`(created_at <= ? OR (reply_type IS NOT NULL AND ${REPLY_AT} <= ?))`); args.push(q.to, q.to); }
    const wanted = (e: LogRow) => (!direction || e.direction === direction) && (!q.from || e.createdAt >= q.from) && (!q.to || e.createdAt <= q.to);
    const entries: LogRow[] = [];
    let below = q.beforeId || Number.MAX_SAFE_INTEGER; // 0 is no cursor
    for (;;) {
      const rows = q.chargePointId ? this.chargerRows(q.chargePointId, where, args, below, limit) : this.allRows(where, args, below, limit);
      for (const r of rows) for (const e of framesOf(r)) if (wanted(e)) entries.push(e);
      if (rows.length < limit || entries.length >= limit) break;
      below = rows.at(-1)!.id;
    }
    const end = entries.length > limit && entries[limit]!.id === entries[limit - 1]!.id ? limit + 1 : limit;
    return entries.slice(0, end);
  }

  private allRows(where: string[], args: unknown[], below: number, limit: number): StoredRow[] {
    return this.queryFor('id < ?', where).all(below, ...args, limit) as StoredRow[];
  }

  /** One charger's rows below an id: its buckets newest first (logSpans.ts), each an id range of the log, until the limit is filled. */
  private chargerRows(chargePointId: string, where: string[], args: unknown[], below: number, limit: number): StoredRow[] {
    const stmt = this.queryFor('id BETWEEN ? AND ? AND charge_point_id = ?', where);
    const rows: StoredRow[] = [];
    for (const bucket of this.spans.buckets(chargePointId, bucketOf(below - 1))) {
      const [lo, hi] = bucketRange(bucket);
      rows.push(...(stmt.all(lo, Math.min(hi, below - 1), chargePointId, ...args, limit - rows.length) as StoredRow[]));
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /** The statement of a query with this leading condition and filters, newest first, prepared once (keyed by its SQL). */
  private queryFor(leading: string, where: string[]): Statement<unknown[]> {
    const sql = `${SELECT} WHERE ${leading}${where.map((w) => ' AND ' + w).join('')} ORDER BY id DESC LIMIT ?`;
    let stmt = this.queries.get(sql);
    if (!stmt) { stmt = this.sqlite.prepare(sql); this.queries.set(sql, stmt); }
    return stmt;
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

  /** After retention deleted log rows: forgets the spans wholly below the oldest row left (logSpans.ts). */
  pruneSpans(): number { return this.spans.pruneBelowOldest(); }
}

const SELECT = `SELECT id, charge_point_id AS chargePointId, direction, message_type AS messageType, action, unique_id AS uniqueId, payload,
  created_at AS createdAt, reply_type AS replyType, reply_payload AS replyPayload, reply_after_ms AS replyAfterMs FROM log`;
/** The answer's time, as ISO text like created_at (the same expression as the view log_entry). */
const REPLY_AT = `strftime('%Y-%m-%dT%H:%M:%fZ', created_at, (reply_after_ms / 1000.0) || ' seconds')`;
interface StoredRow extends Omit<LogRow, 'payload'> { payload: string; replyType: number | null; replyPayload: string | null; replyAfterMs: number | null }

/** A row's frames, newest first: its answer (when the row holds one), then the frame it answers. */
function framesOf(r: StoredRow): LogRow[] {
  const frame: LogRow = {
    id: r.id, chargePointId: r.chargePointId, direction: r.direction, messageType: r.messageType, action: r.action,
    uniqueId: r.uniqueId, payload: safeParse(decodeLogPayload(r.payload)), createdAt: r.createdAt,
  };
  if (r.replyType === null) return [frame];
  return [{
    ...frame, direction: r.direction === 'IN' ? 'OUT' : 'IN', messageType: r.replyType,
    payload: safeParse(decodeLogPayload(r.replyPayload ?? '')), createdAt: new Date(Date.parse(r.createdAt) + (r.replyAfterMs ?? 0)).toISOString(),
  }, frame];
}

/**
 * Each answer (CALLRESULT, CALLERROR) in the batch goes into the row of the CALL it answers, when that CALL is
 * in the batch too: same charger and unique id, the other direction, the same action, and not answered yet.
 */
function pairAnswers(batch: Pending[]): void {
  const calls = new Map<string, Pending>();
  for (const p of batch) {
    const r = p.row;
    if (r.uniqueId === null) continue;
    const key = `${r.chargePointId}\0${r.uniqueId}`;
    if (r.messageType === 2) { calls.set(key, p); continue; }
    const call = calls.get(key);
    if (!call || call.reply || call.row.direction === r.direction || call.row.action !== r.action) continue;
    call.reply = p;
    p.isReply = true;
  }
}

function safeParse(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}
