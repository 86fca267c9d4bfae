// The compatibility layer: between envelope parsing and the handler, it decides what a charger's
// payload becomes. Strict mode is the official schema, nothing else. Tolerant mode (the default)
// repairs the known-harmless deviations of rules.ts, reports each repair, and says when a message it
// still cannot read is one that must be answered anyway (kept for review instead of refused).
import type { OcppValidator } from '../validate.js';
import { OcppError } from '../rpc.js';
import { PayloadRepairer, type Repair } from './repair.js';
import { ANSWER_WHEN_UNPROCESSABLE } from './rules.js';
import type { CompatMode } from '../../domain/compatibility.js';

export type { Repair } from './repair.js';
export type { CompatMode } from '../../domain/compatibility.js';
export { REPAIR_KINDS, describeRepairCount, type RepairKind } from './rules.js';

export type Admitted =
  | { ok: true; payload: Record<string, unknown>; repairs: Repair[] }
  /** answer: the CALLRESULT to send after storing the message for review; absent: send the CALLERROR. */
  | { ok: false; error: OcppError; answer?: object };

export class CompatibilityLayer {
  constructor(private readonly validator: OcppValidator) {}

  admit(action: string, payload: Record<string, unknown>, mode: CompatMode, receivedAt: Date): Admitted {
    try {
      this.validator.check(action, 'request', payload);
      return { ok: true, payload, repairs: [] }; // nearly every message: no copy, no walk
    } catch (err) {
      if (mode === 'strict' || !(err instanceof OcppError) || err.code === 'NotImplemented') return { ok: false, error: err as OcppError };
    }
    const repairer = new PayloadRepairer(receivedAt);
    const repaired = repairer.repair(this.validator.requestSchema(action) as object, payload);
    try {
      this.validator.checkRelaxed(action, repaired);
      return { ok: true, payload: repaired, repairs: repairer.repairs };
    } catch (err) {
      return { ok: false, error: err as OcppError, answer: this.answerWhenUnprocessable(action) };
    }
  }

  /** The reply that keeps a charger going when its message cannot be processed, for the actions that must never be refused. */
  answerWhenUnprocessable(action: string): object | undefined {
    return ANSWER_WHEN_UNPROCESSABLE[action];
  }
}
