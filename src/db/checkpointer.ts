// WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold, on the main thread: it copies the WAL into the database file and fsyncs it,
// stalling every charger's reply for 100+ ms (seconds on an SD card). A second connection on a worker
// can checkpoint PASSIVE-ly while the main connection keeps committing (WAL allows it).
// If the worker fails, the main connection's automatic checkpoints come back: never an unbounded WAL.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Logger } from '../log.js';
import type { Sqlite } from './index.js';

const AUTO_CHECKPOINT_PAGES = 1000; // SQLite's default
// Under a sustained write load a PASSIVE pass always ends behind the writer: the WAL never starts over,
// grows without bound and every read searches a longer WAL index (throughput falls with it). Past this
// size (64 MB of 4 KB pages, the journal_size_limit) the worker finishes with a RESTART checkpoint.
const RESTART_PAGES = 16384;
// SD card policy: a checkpoint writes every page changed since the last one (and fsyncs the database).
// At a site's pace the same few pages (the newest log and meter-value leaves, the session rows) change in
// every commit, so checkpointing each second wrote them again each second. The worker reads how many WAL
// frames wait (the wal-index header in the -shm file, https://www.sqlite.org/walformat.html: mxFrame at
// byte 16, nBackfill at byte 96) and checkpoints once MIN_PAGES wait, or MAX_DELAY_MS after the last one.
const MIN_PAGES = 1000;
const MAX_DELAY_MS = 30_000;

// Plain CommonJS, run with eval so the bundle needs no second file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const fs = require('node:fs');
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
let last = Date.now();
const head = Buffer.alloc(100);
const le = require('node:os').endianness() === 'LE';
/** WAL frames not yet copied into the database; Infinity when the wal-index cannot be read (then checkpoint). */
function waitingFrames() {
  let fd;
  try {
    fd = fs.openSync(workerData.file + '-shm', 'r');
    if (fs.readSync(fd, head, 0, 100, 0) < 100) return Infinity;
    return le ? head.readUInt32LE(16) - head.readUInt32LE(96) : head.readUInt32BE(16) - head.readUInt32BE(96); // native byte order
  } catch { return Infinity; } finally { if (fd !== undefined) fs.closeSync(fd); }
}
const timer = setInterval(() => {
  try {
    const waiting = workerData.minPages > 0 ? waitingFrames() : Infinity;
    if (waiting <= 0 || (waiting < workerData.minPages && Date.now() - last < workerData.maxDelayMs)) return;
    last = Date.now();
    let [r] = db.pragma('wal_checkpoint(PASSIVE)');
    let restarted = false;
    if (r.log > workerData.restartPages) {
      // A second pass copies only what came in during the first, so the RESTART below, which holds
      // the writer off while it copies the rest, is short.
      db.pragma('wal_checkpoint(PASSIVE)');
      [r] = db.pragma('wal_checkpoint(RESTART)');
      restarted = r.busy === 0;
    }
    parentPort.postMessage({ ok: true, walPages: r.log, checkpointed: r.checkpointed, restarted });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); db.close(); parentPort.close(); } });
`;

export interface CheckpointStatus { runs: number; restarts: number; lastWalPages: number; lastCheckpointed: number; failed: string | null }

export interface CheckpointerOptions {
  intervalMs?: number; restartPages?: number;
  /** Checkpoint once this many WAL frames wait (0: at every interval), or maxDelayMs after the last checkpoint. */
  minPages?: number; maxDelayMs?: number;
  /** for tests */ module?: string;
}

export interface Checkpointer { status(): CheckpointStatus; stop(): Promise<void> }

export function startCheckpointer(sqlite: Sqlite, file: string, logger: Logger, opts: CheckpointerOptions = {}): Checkpointer {
  const { intervalMs = 1000, restartPages = RESTART_PAGES, minPages = MIN_PAGES, maxDelayMs = MAX_DELAY_MS, module = 'better-sqlite3' } = opts;
  const state: CheckpointStatus = { runs: 0, restarts: 0, lastWalPages: 0, lastCheckpointed: 0, failed: null };
  const fallBack = (why: string) => {
    if (state.failed) return;
    state.failed = why;
    sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    logger.error({ reason: why }, 'background WAL checkpointer failed; checkpoints run in commits again');
  };
  let modulePath: string;
  try { modulePath = createRequire(import.meta.url).resolve(module); } catch (err) {
    fallBack(`cannot find ${module}: ${(err as Error).message}`);
    return { status: () => ({ ...state }), stop: async () => {} };
  }
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: modulePath, file, intervalMs, restartPages, minPages, maxDelayMs } });
  worker.on('message', (m: { ok: boolean; walPages?: number; checkpointed?: number; restarted?: boolean; message?: string }) => {
    if (!m.ok) return logger.warn({ reason: m.message }, 'WAL checkpoint did not run');
    state.runs++;
    if (m.restarted) state.restarts++;
    state.lastWalPages = m.walPages ?? 0;
    state.lastCheckpointed = m.checkpointed ?? 0;
  });
  worker.on('error', (err) => fallBack(err.message));
  let stopping = false;
  worker.on('exit', (code) => { if (!stopping) fallBack(`worker exited with code ${code}`); });
  worker.unref(); // after the listeners: it must never keep the process alive
  return {
    status: () => ({ ...state }),
    async stop() {
      stopping = true;
      if (state.failed) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
