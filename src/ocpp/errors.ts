// Why a server-initiated call did not produce a result; the API maps each to an HTTP status.
import type { ErrorCode } from './rpc.js';

export class ChargerOfflineError extends Error {
  constructor(readonly chargePointId: string, lastSeen?: string | null) {
    super(`charger ${chargePointId} is offline${lastSeen ? ` (last seen ${lastSeen})` : ''}`);
    this.name = 'ChargerOfflineError';
  }
}

export class CallTimeoutError extends Error {
  constructor(readonly chargePointId: string, readonly action: string, readonly timeoutMs: number) {
    super(`charger ${chargePointId} did not answer ${action} within ${timeoutMs / 1000} s`);
    this.name = 'CallTimeoutError';
  }
}

/** The charger answered with a CALLERROR, or with a result that breaks the schema. */
export class CallRejectedError extends Error {
  constructor(readonly chargePointId: string, readonly action: string, readonly code: ErrorCode, description: string, readonly details: Record<string, unknown> = {}) {
    super(`charger ${chargePointId} answered ${action} with ${code}${description ? `: ${description}` : ''}`);
    this.name = 'CallRejectedError';
  }
}
