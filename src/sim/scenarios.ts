// The simulator's scenarios (the predecessor's two plus idle): each drives one simulated charger.
import { SimulatedCharger, type SimOptions } from './simulatedCharger.js';

export type Scenario = 'session' | 'availability' | 'idle';

export interface ScenarioOptions extends SimOptions {
  scenario: Scenario;
  idTag: string;
  sessionSec: number;
  /** Repeat the scenario this many times (session only). */
  sessions?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs until the scenario is done (idle: until the signal aborts). */
export async function runScenario(opts: ScenarioOptions, signal?: AbortSignal): Promise<{ transactions: number[] }> {
  const sim = new SimulatedCharger(opts);
  const transactions: number[] = [];
  await sim.start();
  try {
    if (opts.scenario === 'session') {
      for (let i = 0; i < (opts.sessions ?? 1) && !signal?.aborted; i++) {
        const tx = await sim.startSession(1, opts.idTag);
        if (tx === undefined) throw new Error(`idTag ${opts.idTag} was refused by the CSMS`);
        transactions.push(tx);
        await sleep(opts.sessionSec * 1000);
        await sim.sendMeterValues(1, sim.powerOf(sim.connectors[1]!));
        await sim.stopSession(1, 'EVDisconnected');
      }
    } else if (opts.scenario === 'availability') {
      // Goes Unavailable and back, as if an operator toggled it at the charger, then waits for CSMS commands.
      await sim.setStatus(0, 'Unavailable');
      await sleep(opts.sessionSec * 1000);
      await sim.setStatus(0, 'Available');
      if (!signal?.aborted) await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }) ?? resolve());
    } else {
      await new Promise<void>((resolve) => signal ? signal.addEventListener('abort', () => resolve(), { once: true }) : undefined);
    }
  } finally {
    await sim.stop();
  }
  return { transactions };
}
