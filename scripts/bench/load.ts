// Load shapes for the bench: chargers connected and booted, closed loops and fixed rates, with what the
// server spent on them (CPU, disk bytes, commits) measured around each run.
import { performance } from 'node:perf_hooks';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { procStats, type BenchServer } from './server.js';

export async function connectAll(server: BenchServer, ids: string[], parallel = 50): Promise<ChargePoint[]> {
  const cps: ChargePoint[] = [];
  for (let i = 0; i < ids.length; i += parallel) {
    cps.push(...await Promise.all(ids.slice(i, i + parallel).map((id) => ChargePoint.connect({ baseUrl: server.wsUrl, id, callTimeoutMs: 0 }))));
  }
  await Promise.all(cps.map((cp) => cp.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'B1' })));
  return cps;
}

export function meterValuesPayload(transactionId: number | undefined, registerWh: number) {
  return {
    connectorId: 1, ...(transactionId === undefined ? {} : { transactionId }),
    meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
      { value: String(registerWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
      { value: '32.1', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
      { value: '230.4', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
    ] }],
  };
}

export interface Measured {
  seconds: number; messages: number; latencies: number[]; errors: number;
  /** Server CPU seconds, bytes written to the block device, commits, RSS at the end. */
  cpuSec: number; diskBytes: number; commits: number; rssMb: number;
  clientCpuSec: number;
}

/** Runs `work` and measures the server around it; work returns the answered calls and their latencies. */
export async function measure(server: BenchServer, work: () => Promise<{ latencies: number[]; errors: number }>): Promise<Measured> {
  const before = procStats(server.pid);
  const commitsBefore = await server.commits();
  const client = process.cpuUsage();
  const started = performance.now();
  const { latencies, errors } = await work();
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(client);
  // Let the checkpointer (every second, on a worker thread) copy this run's WAL into the database: its writes count.
  await new Promise((r) => setTimeout(r, 1500));
  const after = procStats(server.pid);
  return {
    seconds, messages: latencies.length, latencies: latencies.sort((a, b) => a - b), errors,
    cpuSec: after.cpuSec - before.cpuSec, diskBytes: after.diskWriteBytes - before.diskWriteBytes,
    commits: (await server.commits()) - commitsBefore, rssMb: after.rssMb, clientCpuSec: (clientCpu.user + clientCpu.system) / 1e6,
  };
}

/** Each charger sends its next message on the reply, for `seconds`; `step` sends one (or a few) calls. */
export function closedLoop(cps: ChargePoint[], seconds: number, step: (cp: ChargePoint, i: number, n: number) => Promise<number>) {
  return async () => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(cps.map(async (cp, i) => {
      for (let n = 0; performance.now() < end; n++) {
        const t = performance.now();
        try {
          const calls = await step(cp, i, n);
          const each = (performance.now() - t) / calls;
          for (let k = 0; k < calls; k++) latencies.push(each);
        } catch { errors++; }
      }
    }));
    return { latencies, errors };
  };
}

/** `rate` calls a second in total, round robin over chargers not waiting for a reply. */
export function fixedRate(cps: ChargePoint[], rate: number, seconds: number, send: (cp: ChargePoint, i: number) => Promise<unknown>) {
  return async () => {
    const latencies: number[] = [];
    const busy = new Array(cps.length).fill(false);
    let errors = 0;
    let sent = 0;
    let next = 0;
    const started = performance.now();
    const one = (i: number) => {
      busy[i] = true;
      sent++;
      const t = performance.now();
      send(cps[i]!, i).then(() => { latencies.push(performance.now() - t); }, () => { errors++; }).finally(() => { busy[i] = false; });
    };
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (now - started >= seconds * 1000) { clearInterval(tick); resolve(); return; }
        let owed = Math.floor((rate * (now - started)) / 1000) - sent;
        for (let k = 0; k < cps.length && owed > 0; k++, next = (next + 1) % cps.length) {
          if (!busy[next]) { one(next); owed--; }
        }
      }, rate >= 100 ? 5 : 50);
    });
    while (busy.some(Boolean)) await new Promise((r) => setTimeout(r, 10));
    return { latencies, errors };
  };
}
