// What the operator sees of the upstream sync: /api/health, /metrics and the admin page read this.
import type { Outbox } from '../domain/outbox.js';

export type SyncState = 'disabled' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface SyncStatus {
  enabled: boolean;
  /** connecting: attempt under way; disconnected: waiting for the retry at nextRetryAt. */
  state: SyncState;
  /** The broker URL without any password in it. */
  broker: string | null;
  clientId: string | null;
  connectedSince: string | null;
  /** Time of the last PUBACK and the seq it acknowledged. */
  lastPublishAt: string | null;
  lastPublishedSeq: number | null;
  /** The last connection problem (kept after a later success, for the operator to read). */
  lastError: { at: string; message: string } | null;
  nextRetryAt: string | null;
  /** Published, PUBACK not yet received. */
  inflight: number;
  /** Outbox rows not yet acknowledged by the broker. */
  backlog: { count: number; oldestUnsent: string | null };
}

/** Keeps the mutable part; status() adds the live backlog. */
export class SyncStatusTracker {
  private state: SyncState;
  private connectedSince: string | null = null;
  private lastPublishAt: string | null = null;
  private lastPublishedSeq: number | null = null;
  private lastError: { at: string; message: string } | null = null;
  private nextRetryAt: string | null = null;
  inflight = 0;

  constructor(private readonly outbox: Outbox, readonly enabled: boolean, readonly broker: string | null, readonly clientId: string | null) {
    this.state = enabled ? 'connecting' : 'disabled';
  }

  connecting(): void { this.state = 'connecting'; this.nextRetryAt = null; }
  connected(): void { this.state = 'connected'; this.connectedSince = new Date().toISOString(); this.nextRetryAt = null; }
  disconnected(retryAt: Date): void { this.state = 'disconnected'; this.connectedSince = null; this.nextRetryAt = retryAt.toISOString(); }
  stopped(): void { this.state = 'stopped'; this.connectedSince = null; this.nextRetryAt = null; }
  error(message: string): void { this.lastError = { at: new Date().toISOString(), message }; }
  published(seq: number): void {
    this.lastPublishAt = new Date().toISOString();
    this.lastPublishedSeq = Math.max(seq, this.lastPublishedSeq ?? 0);
  }

  status(): SyncStatus {
    const backlog = this.outbox.backlog();
    return {
      enabled: this.enabled, state: this.state, broker: this.broker, clientId: this.clientId, connectedSince: this.connectedSince,
      lastPublishAt: this.lastPublishAt, lastPublishedSeq: this.lastPublishedSeq, lastError: this.lastError,
      nextRetryAt: this.nextRetryAt, inflight: this.inflight, backlog: { count: backlog.count, oldestUnsent: backlog.oldest },
    };
  }
}

/** The URL as it may be shown on the public health page: no credentials in it. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
