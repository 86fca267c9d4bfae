// The grid meter as the domain sees it: the latest reading of the site's total consumption. Whoever reads
// the meter (src/sync/gridMeter.ts, from MQTT) hands payloads to accept(); the load balancer asks latest().
// Payload: schemas/mqtt/inbound/grid-meter.v1.json.
import type { GridReading, Triple } from './siteRoom.js';
import { DomainError } from './errors.js';

const MAX_A = 10_000;
const MAX_W = 10_000_000;

/** Checks a grid meter payload and turns it into a reading taken at `receivedAt` (ms). */
export function parseGridPayload(payload: unknown, receivedAt: number): GridReading {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalid('the payload is not a JSON object');
  const p = payload as Record<string, unknown>;
  const reading: GridReading = { at: receivedAt };
  if (p.currentA !== undefined) {
    const c = p.currentA;
    if (!Array.isArray(c) || c.length !== 3 || !c.every((a) => typeof a === 'number' && Number.isFinite(a) && Math.abs(a) <= MAX_A)) {
      throw invalid('currentA must be three numbers (A on L1, L2, L3)');
    }
    reading.currentA = c as Triple;
  }
  if (p.powerW !== undefined) {
    if (typeof p.powerW !== 'number' || !Number.isFinite(p.powerW) || Math.abs(p.powerW) > MAX_W) throw invalid('powerW must be a number (W)');
    reading.powerW = p.powerW;
  }
  if (reading.currentA === undefined && reading.powerW === undefined) throw invalid('the payload has neither currentA nor powerW');
  if (p.timestamp !== undefined) {
    const t = typeof p.timestamp === 'string' ? Date.parse(p.timestamp) : NaN;
    if (!Number.isFinite(t)) throw invalid('timestamp must be an ISO 8601 time');
    // A meter's own time says how old the reading is (a queued message); a clock ahead of ours is not trusted.
    reading.at = Math.min(receivedAt, t);
  }
  return reading;
}

function invalid(message: string): DomainError {
  return new DomainError('invalid', 'invalid_grid_meter_payload', `grid meter: ${message}`);
}

export class GridMeterInput {
  private last: GridReading | null = null;
  private listeners = new Set<() => void>();

  accept(reading: GridReading): void {
    this.last = reading;
    for (const fn of this.listeners) fn();
  }

  latest(): GridReading | null { return this.last; }

  onReading(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
