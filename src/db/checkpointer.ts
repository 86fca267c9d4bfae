// WAL checkpoints that never stall replies under load. SQLite's automatic checkpoint runs inside whichever
// commit crosses the threshold, on the main thread: it copies the WAL into the database file and fsyncs it,
// stalling every charger's reply for 100+ ms (seconds on an SD card). A second connection on a worker
// can checkpoint PASSIVE-ly while the main connection keeps committing (WAL allows it).
// The worker is a whole V8 isolate (~16 MB RSS, and ~9 MB of it stays after it exits), so it is started
// only when a load needs it: the main thread reads how many frames wait (cheap: 100 bytes of the -shm
// file, walIndex.ts) and copies a small backlog itself when it is due (a quiet site: a few pages and one fsync).
// If the worker fails, the main connection's automatic checkpoints come back: never an unbounded WAL.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Logger } from '../log.js';
import type { Sqlite } from './index.js';
import { WalIndex } from './walIndex.js';

const AUTO_CHECKPOINT_PAGES = 1000; // SQLite's default
// Under a sustained write load a PASSIVE pass always ends behind the writer: the WAL never starts over,
// grows without bound and every read searches a longer WAL index (throughput falls with it). Past this
// size (64 MB of 4 KB pages, the journal_size_limit) the worker finishes with a RESTART checkpoint.
const RESTART_PAGES = 16384;
// SD card policy: a checkpoint writes every page changed since the last one (and fsyncs the database).
// At a site's pace the same few pages (the newest log and meter-value leaves, the session rows) change in
// every commit, so checkpointing each second wrote them again each second. Checkpoint once MIN_PAGES
// wait, or MAX_DELAY_MS after the last one.
const MIN_PAGES = 1000;
const MAX_DELAY_MS = 30_000;
// A backlog this small, due by MAX_DELAY_MS, is copied on the main thread: a quiet site (no charger, or a
// few StatusNotifications and the 10 s last-seen flush) never starts the worker. 256 pages is 1 MB. Its
// price: at most every 30 s, replies wait for that copy and one fsync of the database file (tens of ms on
// an SD card), only while fewer than 256 frames came in since the last checkpoint.
const MAIN_THREAD_MAX_PAGES = 256;

// Plain CommonJS, run with eval so the bundle needs no second file. It checkpoints when asked.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.close(); return; }
  try {
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
});
`;

export interface CheckpointStatus {
  runs: number; restarts: number; lastWalPages: number; lastCheckpointed: number; failed: string | null;
  /** Whether the worker thread is running now, and how many checkpoints ran on the main thread. */
  worker: boolean; mainThreadRuns: number;
}

export interface CheckpointerOptions {
  intervalMs?: number; restartPages?: number;
  /** Checkpoint once this many WAL frames wait (0: at every interval, on the worker), or maxDelayMs after the last checkpoint. */
  minPages?: number; maxDelayMs?: number;
  /** A due backlog up to this many frames is copied on the main thread while the worker is not running (0: never). */
  mainThreadMaxPages?: number;
  /** The worker stops after this long without a checkpoint to do. */
  workerIdleMs?: number;
  /** for tests */ module?: string;
}

export interface Checkpointer {
  status(): CheckpointStatus;
  /** Stops checkpointing (the worker closes its connection); the owner closes the database next. */
  stop(): Promise<void>;
  /** Closes the -shm descriptor (walIndex.ts): call only after the database is closed. */
  closeWalIndex(): void;
}

interface WorkerReply { ok: boolean; walPages?: number; checkpointed?: number; restarted?: boolean; message?: string }

export function startCheckpointer(sqlite: Sqlite, file: string, logger: Logger, opts: CheckpointerOptions = {}): Checkpointer {
  const {
    intervalMs = 1000, restartPages = RESTART_PAGES, minPages = MIN_PAGES, maxDelayMs = MAX_DELAY_MS,
    mainThreadMaxPages = MAIN_THREAD_MAX_PAGES, workerIdleMs = 10 * 60_000, module = 'better-sqlite3',
  } = opts;
  const state: CheckpointStatus = { runs: 0, restarts: 0, lastWalPages: 0, lastCheckpointed: 0, failed: null, worker: false, mainThreadRuns: 0 };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const walIndex = new WalIndex(file);
  const fallBack = (why: string) => {
    if (state.failed || stopped) return;
    state.failed = why;
    if (timer) clearInterval(timer);
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    logger.error({ reason: why }, 'background WAL checkpointer failed; checkpoints run in commits again');
  };
  let modulePath: string;
  try { modulePath = createRequire(import.meta.url).resolve(module); } catch (err) {
    fallBack(`cannot find ${module}: ${(err as Error).message}`);
    return { status: () => ({ ...state }), stop: async () => {}, closeWalIndex: () => {} };
  }
  sqlite.pragma('wal_autocheckpoint = 0');

  const record = (m: WorkerReply) => {
    state.runs++;
    if (m.restarted) state.restarts++;
    state.lastWalPages = m.walPages ?? 0;
    state.lastCheckpointed = m.checkpointed ?? 0;
  };

  interface Running { thread: Worker; stop(): Promise<void> }
  let worker: Running | undefined;
  let busy = false; // a checkpoint asked of the worker has not answered yet
  let lastCheckpoint = Date.now();
  let lastWorkerUse = 0;
  const startWorker = (): Running => {
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: modulePath, file, restartPages } });
    let stopping = false;
    const lost = (why: string) => { if (stopping) return; worker = undefined; state.worker = false; fallBack(why); };
    thread.on('message', (m: WorkerReply) => {
      busy = false;
      lastWorkerUse = Date.now(); // idle counts from the end of its last checkpoint
      if (!m.ok) return logger.warn({ reason: m.message }, 'WAL checkpoint did not run');
      record(m);
    });
    thread.on('error', (err) => lost(err.message));
    thread.on('exit', (code) => lost(`worker exited with code ${code}`));
    thread.unref(); // after the listeners: it must never keep the process alive
    state.worker = true;
    return {
      thread,
      async stop() {
        stopping = true;
        const exited = new Promise((resolve) => thread.once('exit', resolve));
        thread.postMessage('stop');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        await thread.terminate();
      },
    };
  };
  const stopWorker = async () => {
    const running = worker;
    worker = undefined;
    state.worker = false;
    busy = false;
    await running?.stop();
  };

  const onMainThread = () => {
    if (sqlite.inTransaction) return; // a batch is open: try again at the next interval
    try {
      const [r] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
      state.mainThreadRuns++;
      record({ ok: true, walPages: r!.log, checkpointed: r!.checkpointed });
      lastCheckpoint = Date.now();
    } catch (err) {
      logger.warn({ reason: (err as Error).message }, 'WAL checkpoint did not run');
    }
  };

  const tick = () => {
    if (state.failed || stopped || busy || !sqlite.open) return;
    const now = Date.now();
    const waiting = minPages > 0 ? walIndex.waitingFrames() : Infinity;
    const due = waiting > 0 && (waiting >= minPages || now - lastCheckpoint >= maxDelayMs);
    if (!due) {
      if (worker && now - lastWorkerUse > workerIdleMs) void stopWorker();
      return;
    }
    // Past minPages frames the writes are a load: the worker copies them. A small backlog that is only due by time is not.
    if (!worker && waiting < minPages && waiting <= mainThreadMaxPages) return onMainThread();
    worker ??= startWorker();
    busy = true;
    lastCheckpoint = lastWorkerUse = now;
    worker.thread.postMessage('checkpoint');
  };
  timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    status: () => ({ ...state }),
    async stop() {
      stopped = true; // the owner closes the database next: no fallback from here on
      if (timer) clearInterval(timer);
      await stopWorker();
    },
    closeWalIndex: () => walIndex.close(),
  };
}
