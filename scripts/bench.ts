// npm run bench -- [--chargers 1000] [--rate 5000] [--seconds 10] [--server src|dist] [--storm 2000] [--idle 10000] [--only names]
// Every figure README "Performance" quotes, from one command: real ocpp-edge servers in child processes on temp
// databases, real WebSocket chargers, cost read from /proc/<pid> (CPU, RSS, bytes written to the block device).
// Parts (--only, comma-separated): start, actions, lifecycle, site, meter, storm, idle.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ChargePoint } from '../src/sim/chargePoint.js';
import { UnitOfWork } from '../src/db/unitOfWork.js';
import { ChargerPasswords } from '../src/domain/chargerPasswords.js';
import { startServer, seedChargers, procStats, pct, ms, unitNodeFlags, type BenchServer } from './bench/server.js';
import { connectAll, meterValuesPayload, measure, closedLoop, fixedRate, type Measured } from './bench/load.js';

const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' }, rate: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '10' },
    server: { type: 'string', default: 'src' }, storm: { type: 'string', default: '2000' }, idle: { type: 'string', default: '10000' },
    only: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run bench -- [--chargers 1000] [--rate 5000] [--seconds 10] [--server src|dist] [--storm 2000] [--idle 10000] [--only start,actions,lifecycle,site,meter,storm,idle]');
  process.exit(0);
}
const N = Number(values.chargers);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const entry = values.server === 'dist' ? 'dist' : 'src';
const parts = new Set((values.only ?? 'start,actions,lifecycle,site,meter,storm,idle').split(','));
const SITE_CHARGERS = 50;

const cpu = os.cpus();
console.log(`ocpp-edge bench on ${cpu.length} CPUs (${cpu[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.type()} ${os.release()} ${os.arch()}, node ${process.version}, server from ${entry}${entry === 'dist' ? ` (node ${unitNodeFlags().join(' ')}, as systemd/ocpp-edge.service runs it)` : ''}`);
console.log(`load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine shares the CPUs)`);

const rows = (m: Measured, extra = '') => {
  const perMsgUs = (m.cpuSec * 1e6) / Math.max(1, m.messages);
  return `  ${(m.messages / m.seconds).toFixed(0).padStart(6)} calls/s, CPU ${perMsgUs.toFixed(0).padStart(5)} µs/call (server ${((m.cpuSec / m.seconds) * 100).toFixed(0)}% of a core, load generator ${((m.clientCpuSec / m.seconds) * 100).toFixed(0)}%), `
    + `p50 ${ms(pct(m.latencies, 50))} p99 ${ms(pct(m.latencies, 99))} ms, ${(m.messages / Math.max(1, m.commits)).toFixed(1)} calls/commit, `
    + `disk ${(m.diskBytes / 1024 / Math.max(1, m.messages)).toFixed(2)} KB/call${m.errors ? `, ${m.errors} ERRORS` : ''}${extra}`;
};

async function withServer<T>(opts: Parameters<typeof startServer>[0], fn: (s: BenchServer) => Promise<T>): Promise<T> {
  const server = await startServer(opts);
  try { return await fn(server); } finally { await server.stop(); }
}

if (parts.has('start')) {
  await withServer({ entry }, async (s) => {
    await new Promise((r) => setTimeout(r, 3000)); // idle: timers, first checkpoint
    console.log(`\ncold start ${s.startMs.toFixed(0)} ms to the first /api/health answer; idle RSS ${procStats(s.pid).rssMb.toFixed(0)} MB (no charger connected)`);
  });
}

// The site load on a server of its own: the WAL the closed loops leave behind would be checkpointed during it.
for (const group of [['actions', 'lifecycle'], ['site']].map((g) => new Set(g.filter((p) => parts.has(p)))).filter((g) => g.size > 0)) {
  await withServer({ entry, seed: seedChargers(SITE_CHARGERS) }, async (s) => {
    const cps = await connectAll(s, Array.from({ length: SITE_CHARGERS }, (_, i) => `BENCH-${i}`));
    const meter = new Array(SITE_CHARGERS).fill(0);
    const txIds = await Promise.all(cps.map(async (cp, i) => (await cp.call('StartTransaction', {
      connectorId: 2, idTag: `BENCH-TAG-${i}`, meterStart: 0, timestamp: new Date().toISOString() })).transactionId as number));
    const mv = (cp: ChargePoint, i: number) => cp.call('MeterValues', { ...meterValuesPayload(txIds[i], (meter[i] += 10)), connectorId: 2 });
    const short = Math.max(3, Math.round(SECONDS / 3));
    if (group.has('actions')) {
      console.log(`\nCPU per message by action: ${SITE_CHARGERS} chargers in a closed loop, ${short} s each (CPU includes the commit; µs = server CPU / calls)`);
      const status = ['Available', 'Preparing', 'Charging', 'SuspendedEV'];
      const actions: Array<[string, (cp: ChargePoint, i: number, n: number) => Promise<number>]> = [
        ['Heartbeat', (cp) => cp.call('Heartbeat', {}).then(() => 1)],
        ['StatusNotification', (cp, _i, n) => cp.call('StatusNotification', { connectorId: 3, errorCode: 'NoError', status: status[n % 4] }).then(() => 1)],
        ['Authorize', (cp, i) => cp.call('Authorize', { idTag: `BENCH-TAG-${i}` }).then(() => 1)],
        ['MeterValues (4 samples)', (cp, i) => mv(cp, i).then(() => 1)],
      ];
      for (const [name, step] of actions) console.log(`${name.padEnd(24)}${rows(await measure(s, closedLoop(cps, short, step)))}`);
    }
    if (group.has('lifecycle')) {
      // A session: StartTransaction, 2 MeterValues, StopTransaction, on connector 1 (the running one above is on 2).
      const session = async (cp: ChargePoint, i: number, n: number) => {
        const start = await cp.call('StartTransaction', { connectorId: 1, idTag: `BENCH-TAG-${i}`, meterStart: n * 100, timestamp: new Date().toISOString() });
        if (start.idTagInfo.status !== 'ConcurrentTx' && start.idTagInfo.status !== 'Accepted') throw new Error(`refused: ${start.idTagInfo.status}`);
        for (let k = 1; k <= 2; k++) await cp.call('MeterValues', { ...meterValuesPayload(start.transactionId, n * 100 + k * 30), connectorId: 1 });
        await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: n * 100 + 90, timestamp: new Date().toISOString(), reason: 'Local' });
        return 4;
      };
      const m = await measure(s, closedLoop(cps, SECONDS, session));
      const sessions = m.messages / 4;
      console.log(`\nsession lifecycle (StartTransaction, 2 MeterValues, StopTransaction), ${SITE_CHARGERS} chargers in a closed loop, ${SECONDS} s`);
      console.log(`  ${(sessions / m.seconds).toFixed(0)} sessions/s, CPU ${((m.cpuSec * 1e6) / Math.max(1, sessions)).toFixed(0)} µs per session`);
      console.log(`  per message ${rows(m).trimStart()}`);
    }
    if (group.has('site')) {
      const siteSeconds = Math.max(60, SECONDS * 6); // long enough for checkpoints (at least one every 30 s) to count
      // A site's mix: mostly MeterValues, a Heartbeat now and then.
      const m = await measure(s, fixedRate(cps, 5, siteSeconds, (cp, i) => (Math.random() < 0.2 ? cp.call('Heartbeat', {}) : mv(cp, i))));
      console.log(`\nsite load: ${SITE_CHARGERS} chargers, 5 messages/s (80% MeterValues, 20% Heartbeat), ${siteSeconds} s`);
      console.log(`  disk writes ${(m.diskBytes / 1024 / Math.max(1, m.messages)).toFixed(2)} KB per message (WAL and checkpoints), ${(m.diskBytes / m.seconds / 1024).toFixed(1)} KB/s, `
        + `${(((m.diskBytes / m.seconds) * 86400) / 2 ** 30).toFixed(2)} GB/day; p99 ${ms(pct(m.latencies, 99))} ms; server CPU ${((m.cpuSec / m.seconds) * 100).toFixed(1)}% of a core`);
    }
    await Promise.all(cps.map((cp) => cp.close().catch(() => {})));
  });
}

if (parts.has('meter')) {
  await withServer({ entry, seed: seedChargers(N) }, async (s) => {
    const cps = await connectAll(s, Array.from({ length: N }, (_, i) => `BENCH-${i}`));
    const txIds = await Promise.all(cps.map(async (cp, i) => (await cp.call('StartTransaction', {
      connectorId: 1, idTag: `BENCH-TAG-${i}`, meterStart: 0, timestamp: new Date().toISOString() })).transactionId as number));
    const meter = new Array(N).fill(0);
    const mv = (cp: ChargePoint, i: number) => cp.call('MeterValues', meterValuesPayload(txIds[i], (meter[i] += 10)));
    console.log(`\nMeterValues (4 samples each, validated, logged, stored, committed) across ${N} chargers, ${SECONDS} s each`);
    console.log(`fixed ${RATE}/s        ${rows(await measure(s, fixedRate(cps, RATE, SECONDS, mv)))}`);
    console.log(`closed loop        ${rows(await measure(s, closedLoop(cps, SECONDS, (cp, i) => mv(cp, i).then(() => 1))))}`);
    await Promise.all(cps.map((cp) => cp.close().catch(() => {})));
  });
}

if (parts.has('storm')) {
  const STORM = Number(values.storm);
  const key = (i: number) => `bench-charger-key-${i}-0123456789abcdef`;
  await withServer({
    entry, env: { OCPP_EDGE_OCPP_REQUIRE_PASSWORD: 'true' },
    seed: (db) => {
      const passwords = new ChargerPasswords(db.db, new UnitOfWork(db.sqlite));
      seedChargers(STORM, (i) => passwords.hash(key(i)))(db);
    },
  }, async (s) => {
    // After a power cut: every charger at once, 200 handshakes in flight; a shed one (503) comes back after Retry-After.
    const handshakes: number[] = [];
    let shed = 0;
    let next = 0;
    const cps: ChargePoint[] = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, async () => {
      for (let i = next++; i < STORM; i = next++) {
        for (;;) {
          const t = performance.now();
          try {
            const cp = await ChargePoint.connect({ baseUrl: s.wsUrl, id: `BENCH-${i}`, password: key(i), callTimeoutMs: 30_000 });
            handshakes.push(performance.now() - t);
            await cp.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'B1' });
            cps.push(cp);
            break;
          } catch (err) {
            const e = err as { status?: number; headers?: Record<string, string> };
            if (e.status !== 503) throw err;
            shed++;
            await new Promise((r) => setTimeout(r, Number(e.headers?.['retry-after'] ?? 5) * 1000));
          }
        }
      }
    }));
    const total = (performance.now() - started) / 1000;
    handshakes.sort((a, b) => a - b);
    console.log(`\nreconnect storm: ${STORM} registered chargers with passwords, 200 connecting at a time`);
    console.log(`  all ${cps.length} connected and booted in ${total.toFixed(1)} s; handshake p50 ${ms(pct(handshakes, 50))} p99 ${ms(pct(handshakes, 99))} max ${ms(handshakes.at(-1) ?? NaN)} ms; `
      + `${shed} shed with 503; RSS ${procStats(s.pid).rssMb.toFixed(0)} MB`);
    await Promise.all(cps.map((cp) => cp.close().catch(() => {})));
  });
}

if (parts.has('idle')) {
  const IDLE = Number(values.idle);
  await withServer({ entry, seed: seedChargers(IDLE) }, async (s) => {
    const t = performance.now();
    const cps = await connectAll(s, Array.from({ length: IDLE }, (_, i) => `BENCH-${i}`), 200);
    const took = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 5000));
    console.log(`\nidle: ${IDLE} chargers connected and booted (in ${took.toFixed(0)} s), then 5 s of silence: server RSS ${procStats(s.pid).rssMb.toFixed(0)} MB`);
    await Promise.all(cps.map((cp) => cp.close().catch(() => {})));
  });
}
process.exit(0);
