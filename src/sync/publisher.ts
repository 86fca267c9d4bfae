// Moves outbox rows to the broker: in seq order, QoS 1, at most `window` unacknowledged at a time,
// and a row is marked sent only when its PUBACK arrives. After a lost connection (or a restart) it
// starts again from the first unsent row, so a row is delivered at least once and never skipped.
import type { MqttClient } from 'mqtt';
import type { Outbox } from '../domain/outbox.js';
import type { EventBus } from '../domain/events.js';
import type { Logger } from '../log.js';
import { envelopeFor, topicFor } from './contract.js';
import type { SyncStatusTracker } from './status.js';

export interface PublisherOptions { siteId: string; topicPrefix: string; window: number }

/** First pause before re-sending a row whose "sent" mark failed; doubles per failure in a row, up to the max. */
const RESEND_BASE_MS = 250;
const RESEND_MAX_MS = 30_000;

export class OutboxPublisher {
  private client: MqttClient | null = null;
  /** Bumped on every (re)connect: acks from an older connection still count, its window does not. */
  private generation = 0;
  /** Highest seq handed to the current connection. */
  private cursor = 0;
  private readonly inflight = new Set<number>();
  /** PUBACK received, markSent not yet committed: do not send these again after a reconnect. */
  private readonly acking = new Map<number, Promise<void>>();
  /** Highest seq known to be committed; rows above it may yet roll back (and their seq be reused). */
  private committedMax: number;
  private stopped = false;
  /** Acknowledged rows whose markSent failed: still unsent, but behind the cursor. */
  private readonly unmarked = new Set<number>();
  private resendTimer: NodeJS.Timeout | null = null;
  private markFailuresInARow = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly outbox: Outbox, events: EventBus, private readonly options: PublisherOptions,
    private readonly tracker: SyncStatusTracker, private readonly logger: Logger,
  ) {
    this.committedMax = outbox.lastSeq(); // at start no batch is open: everything there is committed
    // Rows above the newest durable seq may still be rolled back (and their seq reused): never published.
    this.unsubscribe = events.on('outbox.added', ({ seq }) => {
      if (this.stopped) return;
      this.committedMax = Math.max(this.committedMax, seq);
      this.pump();
    });
  }

  attach(client: MqttClient): void {
    this.client = client;
    this.generation++;
    this.cursor = 0;
    this.inflight.clear();
    this.pump();
  }

  detach(): void {
    this.client = null;
    this.generation++;
    this.inflight.clear();
    this.tracker.inflight = 0;
    this.notifyDrain();
  }

  private pump(): void {
    const client = this.client;
    if (!client || this.stopped) return;
    const gen = this.generation;
    while (this.inflight.size < this.options.window) {
      const rows = this.outbox.nextUnsent(this.cursor, this.options.window - this.inflight.size);
      if (rows.length === 0) break;
      let progressed = false;
      for (const row of rows) {
        if (row.seq > this.committedMax) break;
        progressed = true;
        this.cursor = row.seq;
        if (this.acking.has(row.seq) || this.inflight.has(row.seq)) continue; // the cursor may have been moved back
        this.inflight.add(row.seq);
        const topic = topicFor(this.options.topicPrefix, this.options.siteId, row.topic);
        client.publish(topic, JSON.stringify(envelopeFor(row, this.options.siteId)), { qos: 1 }, (err) => {
          if (err) return; // connection lost: the row stays unsent and goes again on the next connection
          this.acked(row.seq, gen);
        });
      }
      if (!progressed) break;
    }
    this.tracker.inflight = this.inflight.size;
    this.notifyDrain();
  }

  private acked(seq: number, gen: number): void {
    if (this.stopped) return;
    if (gen === this.generation) this.inflight.delete(seq);
    this.tracker.inflight = this.inflight.size;
    this.tracker.published(seq);
    if (!this.acking.has(seq)) {
      const marking = this.outbox.markSent(seq)
        .then(() => { this.markFailuresInARow = 0; }, (err) => {
          this.logger.error({ err, seq }, 'could not mark an outbox row sent (it will be sent again)');
          this.resendLater(seq);
        })
        .finally(() => { this.acking.delete(seq); this.notifyDrain(); });
      this.acking.set(seq, marking);
    }
    this.pump();
  }

  /** The row stays unsent while the cursor is past it: after a pause (a failing disk need not be
   *  hammered), move the cursor back so it goes again and gets another PUBACK and another mark. */
  private resendLater(seq: number): void {
    if (this.stopped) return;
    this.unmarked.add(seq);
    if (this.resendTimer) return;
    const delay = Math.min(RESEND_MAX_MS, RESEND_BASE_MS * 2 ** Math.min(this.markFailuresInARow++, 10));
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      const first = Math.min(...this.unmarked);
      this.unmarked.clear();
      this.cursor = Math.min(this.cursor, first - 1); // a reconnect in between already reset it to 0
      this.pump();
    }, delay);
    this.resendTimer.unref();
  }

  private isIdle(): boolean {
    return this.inflight.size === 0 && this.acking.size === 0 &&
      (!this.client || (this.unmarked.size === 0 && this.outbox.nextUnsent(this.cursor, 1).every((r) => r.seq > this.committedMax)));
  }

  private notifyDrain(): void {
    if (this.drainWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when nothing is in flight or waiting (while connected), or after timeoutMs. */
  drain(timeoutMs: number): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.drainWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /** After this no database access happens: late PUBACKs are ignored (the rows go again next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    this.unsubscribe();
    this.client = null;
    await Promise.all(this.acking.values());
  }
}
