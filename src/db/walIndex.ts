// Reads how many WAL frames wait for a checkpoint from the wal-index header in the -shm file
// (https://www.sqlite.org/walformat.html: mxFrame at byte 16, nBackfill at byte 96, native byte order).
//
// Through ONE descriptor, opened once and closed only after the database is: SQLite locks the -shm with
// POSIX advisory locks, which belong to the process, and closing ANY descriptor of a file drops every
// such lock the process holds on it (https://www.sqlite.org/howtocorrupt.html#_posix_advisory_locks_canceled_by_a_separate_thread_doing_close_).
// Opening and closing the -shm at each look dropped the server's WAL write lock, its read marks and its
// DMS lock: another process (`ocpp-edge backup`, `admin`) then took itself for the first user, truncated
// the -shm the server has memory-mapped (SIGBUS in the server) and could write alongside it (lost writes).
import fs from 'node:fs';
import os from 'node:os';

const LITTLE_ENDIAN = os.endianness() === 'LE';

export class WalIndex {
  private fd: number | null = null;
  private readonly head = Buffer.alloc(100);
  constructor(private readonly dbFile: string) {}

  /**
   * WAL frames not yet copied into the database; Infinity when the header cannot be read (then checkpoint).
   * The descriptor stays on the file SQLite has mapped: SQLite keeps its -shm while a connection of this
   * process has the database open, and only the last one to close deletes it.
   */
  waitingFrames(): number {
    try {
      this.fd ??= fs.openSync(`${this.dbFile}-shm`, 'r');
      if (fs.readSync(this.fd, this.head, 0, 100, 0) < 100) return Infinity;
      const h = this.head;
      return LITTLE_ENDIAN ? h.readUInt32LE(16) - h.readUInt32LE(96) : h.readUInt32BE(16) - h.readUInt32BE(96);
    } catch { return Infinity; }
  }

  /** Closes the descriptor: only once this process's connections to the database are closed (see above). */
  close(): void {
    if (this.fd === null) return;
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
    this.fd = null;
  }
}
