// Group commit: every write that arrives in the same event-loop turn runs inside one SQLite
// transaction, each in its own savepoint, and all their promises resolve only after COMMIT.
// This is what lets us reply to a charger only once its data is durable, at a high message rate.
import type { Sqlite } from './index.js';

interface Waiter { resolve: (value: unknown) => void; reject: (err: unknown) => void; value: unknown }

export class UnitOfWork {
  private waiters: Waiter[] = [];
  private afterCommit: Array<() => void> = [];
  private open = false;
  commits = 0;
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
  }

  /** Runs fn now (synchronously, in a savepoint) and resolves with its result once committed. */
  run<T>(fn: () => T): Promise<T> {
    if (!this.sqlite.open) return Promise.reject(new Error('the database is closed'));
    if (!this.open) {
      this.sqlite.exec('BEGIN IMMEDIATE');
      this.open = true;
      setImmediate(() => this.commit());
    }
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

  private failBatch(err: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.afterCommit = [];
    this.open = false;
    this.onError(err);
    for (const w of waiters) w.reject(err);
  }

  /** Side effects (events, wake-ups) that must only happen once the current batch is durable. */
  onCommit(fn: () => void): void {
    if (this.open) this.afterCommit.push(fn);
    else queueMicrotask(fn);
  }

  /** Commits now; used at shutdown and by tests. */
  commit(): void {
    if (!this.open) return;
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
    for (const w of waiters) w.resolve(w.value);
    for (const fn of after) {
      try { fn(); } catch (err) { this.onError(err); }
    }
  }
}

function isSqliteError(err: unknown): boolean {
  return typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_');
}
