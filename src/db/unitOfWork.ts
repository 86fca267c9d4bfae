// Group commit: every write that arrives in the same event-loop turn (or while the previous batch is
// being synced) runs inside one SQLite transaction, each in its own savepoint, and all their promises resolve only after COMMIT and after
// the WAL is on disk. This is what lets us reply to a charger only once its data is durable, at a high
// message rate.
//
// Durability without blocking the event loop: the database runs with synchronous=NORMAL (db/index.ts),
// so COMMIT only appends the batch to the WAL (a write into the page cache, which a SIGKILL cannot
// lose); an fdatasync of the WAL file on libuv's thread pool then makes it survive a power cut, and
// only then are the batch's waiters resolved and its side effects run. While one fdatasync is under
// way, the next batch stays open and gathers every write that arrives; it commits when the sync ends,
// and the next sync covers it (fsync is per file, not per descriptor). WAL frames are appended in
// commit order and recovery stops at the first frame that is not intact, so a batch can never survive
// a power cut without the batches before it.
//
// Commit window: a routine write (a meter reading, a status, a heartbeat) may wait up to windowMs for
// company, so a quiet site's messages share one commit and its pages (the tails of meter_value, its time
// index and the spans) instead of each rewriting them: bytes written to the SD card per message fall by
// about the batch size. An urgent write (anything not marked routine: a start, a stop, an API call)
// commits the open batch, routine members included, on the next turn; so does a full batch. A routine
// write may also bound its own wait (maxWaitMs): the batch commits by its earliest member's bound.
import fs from 'node:fs';
import type { Sqlite } from './index.js';

interface Waiter { resolve: (value: unknown) => void; reject: (err: unknown) => void; value: unknown }
/** A committed batch waiting for its fdatasync. */
interface Committed { waiters: Waiter[]; after: Array<() => void> }

/** A batch this large commits without waiting out the window: its pages are already shared. */
export const WINDOW_MAX_RUNS = 64;

export interface RunOptions {
  /** The write may wait up to windowMs for others to share its commit (a charger's routine message). */
  routine?: boolean;
  /** A routine write waits at most this long (under 1 ms: it commits on the next turn, as an urgent one). */
  maxWaitMs?: number;
}

export class UnitOfWork {
  /** How long a routine write may wait for company; 0 commits every batch on the next turn. */
  windowMs = 0;
  private waiters: Waiter[] = [];
  /** The open batch must commit as soon as no sync runs: an urgent member, full, or its window is over. */
  private batchDue = false;
  private batchRuns = 0;
  private windowTimer: NodeJS.Timeout | null = null;
  /** When the window's timer commits the open batch (ms since the epoch; Infinity while none is set). */
  private windowEndsAt = Infinity;
  private afterCommit: Array<() => void> = [];
  private open = false;
  private readonly walFile: string | null;
  private walFd: number | null = null;
  private unsynced: Committed[] = [];
  private syncing = false;
  private syncingBatches: Committed[] = [];
  commits = 0;
  /** fdatasyncs of the WAL that made batches durable (fewer than commits under load). */
  syncs = 0;
  /** Every SQLite error a write hit (disk full, I/O error…): the storage monitor listens here. */
  onSqliteError: (err: unknown) => void = () => {};
  // Prepared once; a savepoint per run() isolates one message's writes from the rest of the batch.
  private readonly savepoint;
  private readonly release;
  private readonly rollbackTo;

  constructor(private readonly sqlite: Sqlite, private readonly onError: (err: unknown) => void = () => {}) {
    this.savepoint = sqlite.prepare('SAVEPOINT uow');
    this.release = sqlite.prepare('RELEASE uow');
    this.rollbackTo = sqlite.prepare('ROLLBACK TO uow');
    // An in-memory database, or one not in WAL mode, has no WAL file to sync: SQLite's own synchronous
    // setting is all the durability there is, and batches settle right after COMMIT.
    const wal = !sqlite.memory && String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
    this.walFile = wal ? `${sqlite.name}-wal` : null;
  }

  /** Runs fn now (synchronously, in a savepoint) and resolves with its result once committed. */
  run<T>(fn: () => T, opts: RunOptions = {}): Promise<T> {
    if (!this.sqlite.open) return Promise.reject(new Error('the database is closed'));
    const waitMs = opts.routine === true ? Math.min(this.windowMs, opts.maxWaitMs ?? Infinity) : 0;
    if (!this.open) {
      this.sqlite.exec('BEGIN IMMEDIATE');
      this.open = true;
      this.batchRuns = 0;
      this.batchDue = false;
      // While the previous batch's fdatasync runs, this batch stays open and gathers every write that
      // arrives meanwhile; it commits when that sync ends. Committing each turn instead would write the
      // same hot pages (log and meter-value leaves) into the WAL again and again, for each sync to flush.
    }
    if (waitMs < 1 || ++this.batchRuns >= WINDOW_MAX_RUNS) this.due();
    else this.dueWithin(waitMs);
    let value: T;
    const sideEffectsBefore = this.afterCommit.length;
    this.savepoint.run();
    try {
      value = fn();
      this.release.run();
    } catch (err) {
      this.afterCommit.length = sideEffectsBefore; // what fn announced was rolled back with it
      if (isSqliteError(err)) this.onSqliteError(err);
      if (!this.sqlite.inTransaction) {
        // SQLite rolled the whole batch back itself (SQLITE_FULL, SQLITE_IOERR…): every write in it failed.
        this.failBatch(err);
        return Promise.reject(err);
      }
      this.rollbackTo.run();
      this.release.run();
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve: resolve as (v: unknown) => void, reject, value }));
  }

  /** The open batch commits on the next turn, or when the running sync ends. */
  private due(): void {
    if (this.batchDue || !this.open) return;
    this.batchDue = true;
    // Only if still due then: the batch may have committed meanwhile (commit()), and a new one opened.
    if (!this.syncing) setImmediate(() => { if (this.batchDue) this.commitBatch(); });
  }

  /** The open batch commits within ms at the latest: the window's timer moves only to an earlier end. */
  private dueWithin(ms: number): void {
    if (this.batchDue) return;
    const endsAt = Date.now() + ms;
    if (endsAt >= this.windowEndsAt - 1) return; // a millisecond sooner is not worth a new timer
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowEndsAt = endsAt;
    this.windowTimer = setTimeout(() => { this.windowTimer = null; this.windowEndsAt = Infinity; this.due(); }, ms);
  }

  private stopWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.windowEndsAt = Infinity;
    this.batchDue = false;
  }

  private failBatch(err: unknown): void {
    this.stopWindow();
    const waiters = this.waiters;
    this.waiters = [];
    this.afterCommit = [];
    this.open = false;
    this.onError(err);
    for (const w of waiters) w.reject(err);
  }

  /** Side effects (events, wake-ups) that must only happen once the current batch is durable. */
  onCommit(fn: () => void): void {
    if (this.open) return void this.afterCommit.push(fn);
    // No batch open, but one may be committed and waiting for its sync (what fn announces may have been
    // read from it): fn waits for that sync too.
    const waiting = this.unsynced.at(-1) ?? this.syncingBatches.at(-1);
    if (waiting) waiting.after.push(fn);
    else queueMicrotask(fn);
  }

  /**
   * Commits the open batch and makes everything committed so far durable before returning: a blocking
   * fdatasync, for shutdown, the command line, retention's own short transactions and tests.
   */
  commit(): void {
    this.commitBatch(false);
    // The batches a background sync is still making durable are covered by this sync too: they settle
    // now, in order, so that what they announce (an outbox row at shutdown) happens before this returns.
    const batches = [...this.syncingBatches.splice(0), ...this.unsynced.splice(0)];
    if (!batches.length) return;
    let failure: unknown = null;
    if (this.walFile && this.sqlite.open) {
      try {
        fs.fdatasyncSync(this.walDescriptor());
        this.syncs++;
      } catch (err) { failure = err; }
    }
    this.settle(batches, failure);
  }

  /** The batch's COMMIT, on the timer the first write set; its waiters settle once the WAL is synced. */
  private commitBatch(syncInBackground = true): void {
    if (!this.open) return;
    this.stopWindow();
    const waiters = this.waiters;
    const after = this.afterCommit;
    this.waiters = [];
    this.afterCommit = [];
    this.open = false;
    if (!this.sqlite.open) {
      // Closed under a pending batch (a shutdown that skipped commit()): nothing was made durable, so
      // nobody is told it was; throwing here would be an uncaught error on a timer instead.
      const err = new Error('the database was closed before these writes were committed');
      this.onError(err);
      for (const w of waiters) w.reject(err);
      return;
    }
    try {
      this.sqlite.exec('COMMIT');
      this.commits++;
    } catch (err) {
      try { this.sqlite.exec('ROLLBACK'); } catch { /* already rolled back */ }
      if (isSqliteError(err)) this.onSqliteError(err);
      this.onError(err);
      for (const w of waiters) w.reject(err);
      return;
    }
    this.unsynced.push({ waiters, after });
    if (!this.walFile) return this.settle(this.unsynced.splice(0), null);
    if (syncInBackground) this.syncInBackground();
  }

  /** One fdatasync at a time; what was committed while it ran (commit() at shutdown) waits for the next one. */
  private syncInBackground(): void {
    if (this.syncing || !this.unsynced.length) return;
    this.syncing = true;
    this.syncingBatches = this.unsynced.splice(0);
    const done = (err: unknown) => {
      if (!err) this.syncs++;
      this.settle(this.syncingBatches.splice(0), err); // empty if commit() settled them meanwhile
      this.syncing = false;
      // The batch that gathered during the sync, if it is due (else its window's timer commits it).
      if (this.open && this.batchDue) this.commitBatch();
      else this.syncInBackground();
    };
    let fd: number;
    try { fd = this.walDescriptor(); } catch (err) { return void queueMicrotask(() => done(err)); }
    fs.fdatasync(fd, done); // one trip to the thread pool: a reply waits for nothing else
  }

  /**
   * The WAL file, opened once. SQLite keeps the same file while this connection is open (a checkpoint
   * rewinds or truncates it, never replaces it); one that was unlinked anyway (nlink 0) is opened again.
   */
  private walDescriptor(): number {
    if (this.walFd !== null && fs.fstatSync(this.walFd).nlink > 0) return this.walFd;
    this.closeWal();
    this.walFd = fs.openSync(this.walFile!, 'r');
    return this.walFd;
  }

  /** Closes the WAL descriptor; call after the database is closed (a later sync opens it again). */
  closeWal(): void {
    if (this.walFd === null) return;
    try { fs.closeSync(this.walFd); } catch { /* already closed */ }
    this.walFd = null;
  }

  /**
   * A failed fdatasync (an I/O error) means the batches may not survive a power cut: their callers are
   * told it failed (a charger keeps its message and retries; the retry is deduplicated), nothing is announced.
   */
  private settle(batches: Committed[], err: unknown): void {
    if (err) {
      this.onSqliteError(Object.assign(new Error(`could not sync the database journal: ${(err as Error).message}`), { code: 'SQLITE_IOERR_FSYNC' }));
      this.onError(err);
      for (const b of batches) for (const w of b.waiters) w.reject(err);
      return;
    }
    for (const b of batches) {
      for (const w of b.waiters) w.resolve(w.value);
      for (const fn of b.after) {
        try { fn(); } catch (e) { this.onError(e); }
      }
    }
  }
}

function isSqliteError(err: unknown): boolean {
  return typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_');
}
