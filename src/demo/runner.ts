// Demo chargers: in-process SimulatedChargers on real WebSockets that keep charging on a schedule
// (pause, plug in with a random card, charge with meter values, unplug), until stopped.
import { SimulatedCharger } from '../sim/simulatedCharger.js';
import type { DemoCharger } from './seed.js';

export interface DemoSchedule {
  /** Session length range in seconds. */
  sessionSec: [number, number];
  /** Pause between sessions on a connector, seconds. */
  pauseSec: [number, number];
  meterIntervalSec: number;
}

/** Default: 20–60 s sessions; OCPP_EDGE_DEMO_SESSION_SEC=<s> makes every session that long (tests use 1). */
export function demoSchedule(env: NodeJS.ProcessEnv = process.env): DemoSchedule {
  const fixed = Number(env.OCPP_EDGE_DEMO_SESSION_SEC);
  if (Number.isFinite(fixed) && fixed > 0) {
    return { sessionSec: [fixed, fixed], pauseSec: [fixed / 4, fixed / 2], meterIntervalSec: Math.max(0.05, Math.min(5, fixed / 4)) };
  }
  return { sessionSec: [20, 60], pauseSec: [5, 20], meterIntervalSec: 5 };
}

const between = ([lo, hi]: [number, number]) => (lo + Math.random() * (hi - lo)) * 1000;

export class DemoRunner {
  private readonly sims: SimulatedCharger[] = [];
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly busyTags = new Set<string>();

  constructor(private readonly wsUrl: string, private readonly chargers: DemoCharger[], private readonly idTags: string[],
    private readonly schedule: DemoSchedule, private readonly log: (line: string) => void) {}

  async start(): Promise<void> {
    for (const c of this.chargers) {
      const sim = new SimulatedCharger({
        baseUrl: this.wsUrl, id: c.chargePointId, password: c.password, connectors: c.connectors, powerW: c.powerW,
        meterIntervalSec: this.schedule.meterIntervalSec, vendor: 'ocpp-edge demo', model: 'Simulated', log: this.log,
      });
      await sim.start();
      this.sims.push(sim);
      for (let connector = 1; connector <= c.connectors; connector++) this.loops.push(this.loop(sim, connector));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.controller.signal.aborted) return resolve();
      const onAbort = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => { this.controller.signal.removeEventListener('abort', onAbort); resolve(); }, ms);
      this.controller.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One connector's life: a car arrives, charges, leaves; errors (a refused card) just mean the next car. */
  private async loop(sim: SimulatedCharger, connector: number): Promise<void> {
    const signal = this.controller.signal;
    await this.sleep(between(this.schedule.pauseSec) / 2);
    while (!signal.aborted) {
      const free = this.idTags.filter((t) => !this.busyTags.has(t));
      const idTag = free[Math.floor(Math.random() * free.length)];
      if (idTag) {
        this.busyTags.add(idTag);
        try {
          const tx = await sim.startSession(connector, idTag);
          if (tx !== undefined) {
            await this.sleep(between(this.schedule.sessionSec));
            if (signal.aborted) break; // stop() ends the session itself
            await sim.sendMeterValues(connector, sim.powerOf(sim.connectors[connector]!));
            await sim.stopSession(connector, 'EVDisconnected');
          }
        } catch (err) {
          if (!signal.aborted) this.log(`${sim.id}#${connector}: ${(err as Error).message}`);
        } finally {
          this.busyTags.delete(idTag);
        }
      }
      await this.sleep(between(this.schedule.pauseSec));
    }
  }

  /** Ends running sessions cleanly (so the demo's last sessions are complete), then disconnects. */
  async stop(): Promise<void> {
    this.controller.abort();
    for (const sim of this.sims) {
      for (let c = 1; c < sim.connectors.length; c++) await sim.stopSession(c, 'Local').catch(() => {});
    }
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.sims.map((s) => s.stop()));
  }
}
