// The idTags revision: a marker in the setting table that every idTag change moves in its own
// transaction, whichever process makes it (the server's API or `ocpp-edge idtag ...` on the same
// database file). In-process events do not cross processes; this row does, so the running server
// can notice the CLI's changes and keep chargers' local lists current.
import { eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.js';
import { settings } from '../db/schema.js';
import type { EventBus } from './events.js';

const KEY = 'idTags.revision';

export class IdTagRevision {
  constructor(private readonly db: Db) {}

  /** The current marker (undefined until the first change). A cheap primary-key read. */
  current(): string | undefined {
    const row = this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY)).get();
    return row === undefined ? undefined : (JSON.parse(row.value) as string);
  }

  /**
   * Moves the marker; call inside the unit of work of the change. A random value rather than a counter:
   * a rolled-back change can never leave a value that a later, real change would repeat.
   */
  bump(): void {
    const value = JSON.stringify(randomBytes(8).toString('hex'));
    this.db.insert(settings).values({ key: KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
  }
}

/**
 * Checks the marker every few seconds and, when another process moved it, emits 'idTags.changed' as the
 * server's own changes do. Changes this process makes are announced by the registry already: the
 * watcher remembers the marker at each announcement so it does not announce them again.
 */
export class IdTagChangeWatcher {
  private seen: string | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly off: () => void;

  constructor(private readonly revision: IdTagRevision, private readonly events: EventBus, intervalMs = 2000) {
    this.seen = revision.current();
    this.off = events.on('idTags.changed', () => { this.seen = this.read() ?? this.seen; });
    this.timer = setInterval(() => this.checkNow(), intervalMs);
    this.timer.unref();
  }

  /** True when the marker moved since the last look (and the change was announced). */
  checkNow(): boolean {
    const now = this.read();
    if (now === undefined || now === this.seen) return false;
    this.seen = now;
    this.events.emit('idTags.changed', {});
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.off();
  }

  private read(): string | undefined {
    try {
      return this.revision.current();
    } catch {
      return undefined; // the database is closing (shutdown) or busy: look again next time
    }
  }
}
