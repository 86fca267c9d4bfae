// Watches the data directory's disk: free space (checked every minute) and write failures SQLite
// reports (disk full, I/O errors). Either makes /api/health "degraded" with a reason, and each new
// episode is logged once in a line an installer can act on. Successful commits after a quiet spell
// clear a write failure; SQLite rolls a failed batch back, so the file itself stays consistent.
import fs from 'node:fs';
import type { Logger } from '../log.js';
import { isStorageError } from '../db/storageErrors.js';

export interface StorageStatus {
  status: 'ok' | 'degraded';
  freeBytes: number | null;
  lowSpace: boolean;
  lastWriteError?: { code: string; message: string; at: string };
}

export interface StorageOptions {
  /** Below this the disk counts as nearly full (default 50 MB). */
  minFreeBytes?: number;
  checkIntervalMs?: number;
  /** How many commits have succeeded so far (UnitOfWork.commits); a newer success clears a write error. */
  commits: () => number;
}


export class StorageMonitor {
  private writeError?: { code: string; message: string; at: string; commits: number };
  private lowSpaceLogged = false;
  private timer?: NodeJS.Timeout;
  private readonly minFreeBytes: number;
  /** Quiet time without storage errors before health is ok again. */
  recoverAfterMs = 30_000;

  constructor(readonly dataDir: string, private readonly logger: Logger, private readonly opts: StorageOptions) {
    this.minFreeBytes = opts.minFreeBytes ?? 50 * 1024 * 1024;
  }

  start(): this {
    this.checkSpace();
    this.timer = setInterval(() => this.checkSpace(), this.opts.checkIntervalMs ?? 60_000);
    this.timer.unref();
    return this;
  }

  stop(): void { if (this.timer) clearInterval(this.timer); }

  /** Fed by UnitOfWork.onSqliteError: remembers storage failures, ignores the rest (constraints…). */
  recordWriteError(err: unknown): void {
    if (!isStorageError(err)) return;
    const code = String((err as { code: string }).code);
    const first = !this.writeError || this.writeError.commits !== this.opts.commits();
    this.writeError = { code, message: (err as Error).message, at: new Date().toISOString(), commits: this.opts.commits() };
    if (first) {
      const free = this.freeBytes();
      const what = code === 'SQLITE_FULL' || code === 'ENOSPC' ? 'the disk is full' : 'the disk reports an error';
      this.logger.error({ code, dataDir: this.dataDir, freeBytes: free },
        `database writes are failing: ${what} (${code}); chargers get errors until space is freed in ${this.dataDir}`);
    }
  }

  freeBytes(): number | null {
    try {
      const s = fs.statfsSync(this.dataDir);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  }

  private checkSpace(): void {
    const free = this.freeBytes();
    const low = free !== null && free < this.minFreeBytes;
    if (low && !this.lowSpaceLogged) {
      this.logger.warn({ dataDir: this.dataDir, freeBytes: free }, `disk nearly full: ${Math.round(free / 1048576)} MB left in ${this.dataDir}; lower retention or free space`);
    }
    this.lowSpaceLogged = low;
  }

  status(): StorageStatus {
    // Recovered once commits succeed again and no storage error came for a while: small writes can
    // still fit on a disk that refuses bigger ones, so one lucky commit is not enough.
    if (this.writeError && this.opts.commits() > this.writeError.commits && Date.now() - Date.parse(this.writeError.at) >= this.recoverAfterMs) {
      this.logger.info({ code: this.writeError.code }, 'database writes succeed again');
      this.writeError = undefined;
    }
    const freeBytes = this.freeBytes();
    const lowSpace = freeBytes !== null && freeBytes < this.minFreeBytes;
    const lastWriteError = this.writeError && { code: this.writeError.code, message: this.writeError.message, at: this.writeError.at };
    return { status: lowSpace || lastWriteError ? 'degraded' : 'ok', freeBytes, lowSpace, ...(lastWriteError ? { lastWriteError } : {}) };
  }
}
