// npm run bench -- [--chargers 1000] [--rate 5000] [--seconds 10] [--server dist|src]
// Starts a real ocpp-edge in a child process on a temp database, connects N chargers over real
// WebSockets, and measures MeterValues calls (validated, logged, stored, committed) in two phases:
// a fixed aggregate rate (latency) and a closed loop (maximum throughput). Human-readable output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/index.js';
import { ChargePoint } from '../src/sim/chargePoint.js';

const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' }, rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' }, server: { type: 'string', default: 'src' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run bench -- [--chargers 1000] [--rate 5000] [--seconds 10] [--server src|dist]');
  process.exit(0);
}
const N = Number(values.chargers);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);

const freePort = () => new Promise<number>((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
});

function procStats(pid: number): { rssMb: number; cpuSec: number; diskWriteBytes: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  // Bytes the process (WAL appends, checkpoints on the worker thread) sent to the block device: SD card wear.
  const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  const diskWriteBytes = Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? NaN);
  return { rssMb: rssKb / 1024, cpuSec: ticks / 100, diskWriteBytes };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-bench-'));
{ // Register the chargers and one idTag each (one tag on many chargers would be ConcurrentTx) before the server starts.
  const { sqlite } = openDatabase(path.join(dir, 'ocpp-edge.db'));
  const now = new Date().toISOString();
  const insert = sqlite.prepare('INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES (?, ?, ?)');
  const insertTag = sqlite.prepare('INSERT INTO id_tag (id_tag, status, kind, created_at) VALUES (?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < N; i++) { insert.run(`BENCH-${i}`, 'Accepted', now); insertTag.run(`BENCH-TAG-${i}`, 'Accepted', 'RFID', now); }
  })();
  sqlite.close();
}

const port = await freePort();
const extra = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
const entry = [...extra, ...(values.server === 'dist' ? ['dist/ocpp-edge.mjs'] : ['--import', 'tsx', 'src/main.ts'])];
const server = spawn(process.execPath, entry, {
  env: { ...process.env, OCPP_EDGE_DATA_DIR: dir, OCPP_EDGE_HTTP_PORT: String(port), OCPP_EDGE_HTTP_HOST: '127.0.0.1', OCPP_EDGE_LOG_LEVEL: 'warn', OCPP_EDGE_OCPP_REQUIRE_PASSWORD: 'false',
    // The bench tags have no wallet: the bench measures OCPP throughput, not billing.
    OCPP_EDGE_OCPP_ALLOW_TAGS_WITHOUT_WALLET: 'true' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const cleanup = () => { server.kill('SIGTERM'); };
process.on('exit', cleanup);

for (let i = 0; ; i++) { // wait for the server
  try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break; } catch { /* not yet */ }
  if (i > 200) throw new Error('server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

console.log(`ocpp-edge bench: ${N} chargers, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), node ${process.version}`);
const cps: ChargePoint[] = [];
const txIds: number[] = [];
const t0 = performance.now();
for (let i = 0; i < N; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, k) =>
    ChargePoint.connect({ baseUrl: `ws://127.0.0.1:${port}/ocpp`, id: `BENCH-${i + k}`, callTimeoutMs: 0 })));
  cps.push(...batch);
}
await Promise.all(cps.map(async (cp, i) => {
  await cp.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'B1' });
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: `BENCH-TAG-${i}`, meterStart: 0, timestamp: new Date().toISOString() });
  if (start.idTagInfo.status !== 'Accepted') throw new Error(`BENCH-TAG-${i} was refused (${start.idTagInfo.status}): the bench would measure refused sessions`);
  txIds[i] = start.transactionId;
}));
console.log(`connected, booted and started ${N} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const meter = new Array(N).fill(0);
const payload = (i: number) => ({
  connectorId: 1, transactionId: txIds[i],
  meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
    { value: String((meter[i] += 10)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
    { value: '32.1', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
    { value: '230.4', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
  ] }],
});

/** The server's commit counter, from /metrics (no login needed). */
async function commitCount(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^ocpp_edge_db_commits (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function phase(name: string, mode: 'rate' | 'closed'): Promise<void> {
  const latencies: number[] = [];
  const busy = new Array(N).fill(false);
  let errors = 0;
  let sent = 0;
  const before = procStats(server.pid!);
  const clientBefore = process.cpuUsage();
  const commitsBefore = await commitCount();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  const one = (i: number): Promise<void> => {
    busy[i] = true;
    sent++;
    const t = performance.now();
    return cps[i]!.call('MeterValues', payload(i)).then(() => { latencies.push(performance.now() - t); }, () => { errors++; })
      .finally(() => { busy[i] = false; });
  };
  if (mode === 'closed') {
    await Promise.all(cps.map(async (_, i) => { while (performance.now() < end) await one(i); }));
  } else {
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (now >= end) { clearInterval(tick); resolve(); return; }
        let owed = Math.floor((RATE * (now - started)) / 1000) - sent;
        for (let k = 0; k < N && owed > 0; k++, next = (next + 1) % N) {
          if (!busy[next]) { void one(next); owed--; }
        }
      }, 5);
    });
    while (busy.some(Boolean)) await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = (performance.now() - started) / 1000;
  const after = procStats(server.pid!);
  const clientCpu = process.cpuUsage(clientBefore);
  const commits = (await commitCount()) - commitsBefore;
  latencies.sort((a, b) => a - b);
  const f = (ms: number) => ms.toFixed(1).padStart(6);
  console.log(`\n${name}`);
  console.log(`  calls/s achieved   ${(latencies.length / elapsed).toFixed(0)} (${latencies.length} answered, ${errors} errors, ${elapsed.toFixed(1)} s)`);
  console.log(`  latency ms         p50 ${f(pct(latencies, 50))}  p95 ${f(pct(latencies, 95))}  p99 ${f(pct(latencies, 99))}  max ${f(latencies.at(-1) ?? NaN)}`);
  console.log(`  server             RSS ${after.rssMb.toFixed(0)} MB, CPU ${(((after.cpuSec - before.cpuSec) / elapsed) * 100).toFixed(0)}% of one core`);
  console.log(`  group commits      ${(commits / elapsed).toFixed(0)}/s, ${(latencies.length / Math.max(1, commits)).toFixed(1)} calls per commit`);
  const written = after.diskWriteBytes - before.diskWriteBytes;
  console.log(`  disk writes        ${(written / 1e6 / elapsed).toFixed(1)} MB/s, ${(written / 1024 / Math.max(1, latencies.length)).toFixed(1)} KB per call`);
  // The load generator shares the machine: when it is near 100% it, not the server, sets the pace.
  console.log(`  load generator     CPU ${(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100).toFixed(0)}% of one core`);
}

await phase(`fixed rate: ${RATE} MeterValues calls/s across ${N} chargers for ${SECONDS} s`, 'rate');
await phase(`closed loop: each of ${N} chargers sends its next MeterValues on the reply, ${SECONDS} s`, 'closed');

{ // What landed on disk.
  const { sqlite } = openDatabase(path.join(dir, 'ocpp-edge.db'));
  const rows = (sqlite.prepare('SELECT count(*) AS n FROM meter_value').get() as { n: number }).n;
  const size = fs.statSync(path.join(dir, 'ocpp-edge.db')).size + (fs.existsSync(path.join(dir, 'ocpp-edge.db-wal')) ? fs.statSync(path.join(dir, 'ocpp-edge.db-wal')).size : 0);
  console.log(`\nstored: ${rows} sampled values, database ${(size / 1e6).toFixed(0)} MB`);
  sqlite.close();
}
await Promise.all(cps.map((cp) => cp.close().catch(() => {})));
cleanup();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
