// A real ocpp-edge in a child process on a temp database, for the bench: what it costs is read from
// /proc/<pid> (RSS, CPU ticks, bytes sent to the block device), never from inside the server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase, type OpenedDb } from '../../src/db/index.js';

export interface ProcStats { rssMb: number; cpuSec: number; diskWriteBytes: number }

export function procStats(pid: number): ProcStats {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  // Bytes the process (WAL appends, checkpoints on the worker thread) sent to the block device: SD card wear.
  const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  const diskWriteBytes = Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? NaN);
  return { rssMb: rssKb / 1024, cpuSec: ticks / 100, diskWriteBytes };
}

/** The node flags systemd/ocpp-edge.service starts the bundle with: the dist server is measured as installed. */
export function unitNodeFlags(unitFile = fileURLToPath(new URL('../../systemd/ocpp-edge.service', import.meta.url))): string[] {
  const line = /^ExecStart=(.*)$/m.exec(fs.readFileSync(unitFile, 'utf8'))?.[1] ?? '';
  const words = line.trim().split(/\s+/);
  return words.slice(1, words.findIndex((w) => w.endsWith('ocpp-edge.mjs'))).filter((w) => w.startsWith('--'));
}

const freePort = () => new Promise<number>((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
});

export interface BenchServer {
  port: number; pid: number; dir: string; child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /api/health. */
  startMs: number;
  wsUrl: string;
  commits(): Promise<number>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Writes the registered chargers/tags before the server starts. */
  seed?: (db: OpenedDb) => void;
  env?: Record<string, string>;
  entry: 'src' | 'dist';
}

export async function startServer(opts: ServerOptions): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-bench-'));
  if (opts.seed) {
    const db = openDatabase(path.join(dir, 'ocpp-edge.db'));
    opts.seed(db);
    db.sqlite.close();
  }
  const port = await freePort();
  const extra = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const entry = [...extra, ...(opts.entry === 'dist' ? [...unitNodeFlags(), 'dist/ocpp-edge.mjs'] : ['--import', 'tsx', 'src/main.ts'])];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, entry, {
    env: { ...process.env, OCPP_EDGE_DATA_DIR: dir, OCPP_EDGE_HTTP_PORT: String(port), OCPP_EDGE_HTTP_HOST: '127.0.0.1', OCPP_EDGE_LOG_LEVEL: 'error',
      OCPP_EDGE_OCPP_REQUIRE_PASSWORD: 'false', OCPP_EDGE_OCPP_ALLOW_TAGS_WITHOUT_WALLET: 'true', ...opts.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let startMs = NaN;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) { startMs = performance.now() - spawnedAt; break; } } catch { /* not yet */ }
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    port, pid: child.pid!, dir, child, startMs, wsUrl: `ws://127.0.0.1:${port}/ocpp`,
    async commits() {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^ocpp_edge_db_commits (\d+)/m.exec(text)?.[1] ?? NaN);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers chargers BENCH-0… (with one Accepted tag each, BENCH-TAG-i: one tag on many chargers would be ConcurrentTx). */
export function seedChargers(n: number, passwordHash?: (i: number) => string) {
  return ({ sqlite }: OpenedDb) => {
    const now = new Date().toISOString();
    const insert = sqlite.prepare('INSERT INTO charger (charge_point_id, registration_status, password_hash, created_at) VALUES (?, ?, ?, ?)');
    const insertTag = sqlite.prepare('INSERT INTO id_tag (id_tag, status, kind, created_at) VALUES (?, ?, ?, ?)');
    sqlite.transaction(() => {
      for (let i = 0; i < n; i++) { insert.run(`BENCH-${i}`, 'Accepted', passwordHash?.(i) ?? null, now); insertTag.run(`BENCH-TAG-${i}`, 'Accepted', 'RFID', now); }
    })();
  };
}

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const ms = (v: number) => v.toFixed(1).padStart(6);
