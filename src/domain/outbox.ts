// The transactional outbox: a row written in the same SQLite transaction as the change it reports.
// The sync publisher reads unsent rows in seq order and marks them sent on PUBACK.
import { randomUUID } from 'node:crypto';
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { Deletion } from '../db/batchDelete.js';
import type { EventBus } from './events.js';

export type OutboxTopic = 'transactions' | 'wallet-charges' | 'chargers';

export const OUTBOX_SCHEMAS: Record<OutboxTopic, string> = {
  transactions: 'ocpp-edge/transaction/v1',
  'wallet-charges': 'ocpp-edge/wallet-charge/v1',
  chargers: 'ocpp-edge/charger-status/v1',
};

export interface OutboxRow { seq: number; eventId: string; topic: OutboxTopic; schema: string; payload: string; occurredAt: string }

export class Outbox {
  private readonly insert;
  private readonly unsent;
  private readonly markSentStmt;
  private readonly backlogStmt;
  private readonly lastSeqStmt;

  constructor(sqlite: Sqlite, private readonly uow: UnitOfWork, private readonly events: EventBus) {
    this.insert = sqlite.prepare('INSERT INTO outbox (event_id, topic, schema, payload, occurred_at) VALUES (?, ?, ?, ?, ?)');
    this.unsent = sqlite.prepare(`SELECT seq, event_id AS eventId, topic, schema, payload, occurred_at AS occurredAt
      FROM outbox WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?`);
    this.markSentStmt = sqlite.prepare('UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL');
    this.lastSeqStmt = sqlite.prepare('SELECT max(seq) AS seq FROM outbox');
    this.backlogStmt = sqlite.prepare('SELECT count(*) AS n, min(occurred_at) AS oldest FROM outbox WHERE sent_at IS NULL');
  }

  /** Call inside the unit of work that makes the change. */
  add(topic: OutboxTopic, data: object, occurredAt: Date = new Date()): void {
    const { lastInsertRowid } = this.insert.run(randomUUID(), topic, OUTBOX_SCHEMAS[topic], JSON.stringify(data), occurredAt.toISOString());
    // The event names its seq: when it fires (its batch durable) later batches may already be committed
    // but not yet synced, or still open, so max(seq) read then could name a row that is not durable.
    const seq = Number(lastInsertRowid);
    this.uow.onCommit(() => this.events.emit('outbox.added', { seq }));
  }

  nextUnsent(afterSeq: number, limit: number): OutboxRow[] {
    return this.unsent.all(afterSeq, limit) as OutboxRow[];
  }

  markSent(seq: number): Promise<void> {
    return this.uow.run(() => { this.markSentStmt.run(new Date().toISOString(), seq); });
  }

  /** The highest seq written so far: committed only when no batch is open or waiting for its sync (at start). */
  lastSeq(): number {
    return (this.lastSeqStmt.get() as { seq: number | null }).seq ?? 0;
  }

  backlog(): { count: number; oldest: string | null } {
    const row = this.backlogStmt.get() as { n: number; oldest: string | null };
    return { count: row.n, oldest: row.oldest };
  }

  /** What retention deletes: events sent before the cut-off. */
  sentBefore(cutoff: string): Deletion {
    return { table: 'outbox', where: 'sent_at IS NOT NULL AND sent_at < ?', args: [cutoff] };
  }

  /** Only when no uplink is configured: otherwise an unsent event is never dropped. */
  unsentBefore(cutoff: string): Deletion {
    return { table: 'outbox', where: 'sent_at IS NULL AND occurred_at < ?', args: [cutoff] };
  }
}
