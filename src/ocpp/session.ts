// One charger connection, independent of the WebSocket library: frames in, frames out,
// handlers for the charger's calls, and a queue of our own calls (one outstanding at a time).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Domain } from '../domain/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { maxCommitWaitMs } from './routineActions.js';
import { CALL, CALLRESULT, CALLERROR, OcppError, parseFrame, isBadFrame, callFrame, resultFrame, errorFrame, type Frame } from './rpc.js';
import type { OcppValidator } from './validate.js';
import type { Handler, InboundHandlers } from './handler.js';
import type { ChargerAction, CentralAction, CentralActions } from '../protocol/ocpp16/index.js';
import { CallRejectedError, CallTimeoutError, ChargerOfflineError } from './errors.js';
import { refusalBeforeAccepted } from './registration.js';
import { isStorageError } from '../db/storageErrors.js';
import type { Admitted, CompatibilityLayer, CompatMode } from './compat/index.js';
import { frameLimit } from './compat/frameLimits.js';

export interface SocketSink {
  send(text: string): void;
  close(code: number, reason: string): void;
}

export interface SessionDeps {
  handlers: InboundHandlers;
  validator: OcppValidator;
  domain: Domain;
  uow: UnitOfWork;
  logger: Logger;
  callTimeoutMs: number;
  maxFrameBytes: number;
  /** The larger limit of the actions whose payload grows with a session (compat/frameLimits.ts). */
  maxTransactionFrameBytes?: number;
  /** Strict schema or tolerated deviations, per charger (src/ocpp/compat). */
  compat: CompatibilityLayer;
  /** What BootNotification tells a charger, read at each boot (the setting may change while it runs). */
  heartbeatIntervalSec: () => number;
  metrics?: SessionMetrics;
}

export interface SessionMetrics {
  message(direction: 'IN' | 'OUT', action: string): void;
  error(kind: string): void;
  handled(action: string, seconds: number): void;
  /** One repair of the compatibility layer (kind from REPAIR_KINDS, or stored_for_review). */
  repaired?(action: string, kind: string): void;
}

interface PendingCall {
  id: string; action: string; payload: object; timeoutMs: number; deadline: number;
  resolve: (value: any) => void; reject: (err: Error) => void; timer?: NodeJS.Timeout;
}

// Reads the unique id out of a frame we could not parse, so we can still answer it.
const ID_IN_BROKEN_FRAME = /^\s*\[\s*2\s*,\s*"([^"\\]{1,36})"/;
const REPLY_HEAD = /^\s*\[\s*[34]\s*,\s*"([^"\\]{1,36})"/;

export class OcppSession {
  private inFlight: PendingCall | undefined;
  private readonly queue: PendingCall[] = [];
  closed = false;
  /** When this charger's last CALL was answered: how long a routine one may wait follows from it (routineActions.ts). */
  private lastAnsweredAt = 0;
  lastSeenAt = Date.now();
  readonly connectedAt = new Date();
  /** What the charger was last told (BootNotification) or an operator set since; gates what it may send. */
  registrationStatus = 'Accepted';
  /** The charger's compatibility mode; an operator's change reaches a live session through the hub. */
  compatMode: CompatMode = 'tolerant';

  constructor(
    readonly chargePointId: string,
    readonly chargerId: number,
    private readonly sink: SocketSink,
    private readonly deps: SessionDeps,
  ) {}

  /** Entry point for every text frame the charger sends; the transport knows its size in bytes. Never throws. */
  onMessage(text: string, bytes: number = Buffer.byteLength(text)): void {
    this.lastSeenAt = Date.now();
    if (bytes > frameLimit(text, this.deps.maxFrameBytes, this.deps.maxTransactionFrameBytes)) return this.rejectOversized(text, bytes);
    const frame = parseFrame(text);
    if (isBadFrame(frame)) {
      const id = frame.id ?? ID_IN_BROKEN_FRAME.exec(text)?.[1];
      this.log('IN', 0, undefined, id, text);
      this.deps.metrics?.error('bad_frame');
      if (frame.reply) return this.onBrokenReply(id, frame.error);
      if (id === undefined) {
        this.deps.logger.warn({ chargePointId: this.chargePointId, reason: frame.error.message }, 'unanswerable frame, closing');
        return this.sink.close(1007, frame.error.message.slice(0, 120));
      }
      return this.sendError(id, frame.error);
    }
    if (frame.type === CALL) void this.handleCall(frame);
    else this.handleReply(frame, text);
  }

  private rejectOversized(text: string, bytes: number): void {
    const head = REPLY_HEAD.exec(text.slice(0, 128));
    const id = ID_IN_BROKEN_FRAME.exec(text.slice(0, 128))?.[1] ?? head?.[1];
    const message = `Frame of ${bytes} bytes exceeds the limit of ${frameLimit(text, this.deps.maxFrameBytes, this.deps.maxTransactionFrameBytes)}`;
    this.log('IN', 0, undefined, id, text.slice(0, 1024) + '…');
    this.deps.metrics?.error('oversized_frame');
    if (head) return this.onBrokenReply(id, new OcppError('FormationViolation', message));
    if (id === undefined) return this.sink.close(1009, 'frame too large');
    this.sendError(id, new OcppError('FormationViolation', message));
  }

  /**
   * A CALLRESULT/CALLERROR we cannot read is never answered (a CALLERROR only answers a CALL, and two
   * peers answering each other's broken replies would never stop); the call it answers fails at once
   * instead of waiting for its timeout.
   */
  private onBrokenReply(id: string | undefined, error: OcppError): void {
    const call = this.inFlight;
    this.deps.logger.warn({ chargePointId: this.chargePointId, uniqueId: id, reason: error.message }, 'broken reply, not answered');
    if (!call || call.id !== id) return;
    this.finishInFlight();
    call.reject(new CallRejectedError(this.chargePointId, call.action, error.code, `unreadable reply: ${error.message}`));
  }

  private async handleCall(frame: Extract<Frame, { type: 2 }>): Promise<void> {
    const { id, action, payload, payloadText } = frame;
    const started = process.hrtime.bigint();
    const { validator, handlers, uow, domain } = this.deps;
    // Names outside the OCPP 1.6 schemas share one label: a charger must not grow our metrics at will.
    this.deps.metrics?.message('IN', validator.has(action) ? action : 'unknown');
    const handler = handlers[action as ChargerAction] as Handler<object, object> | undefined;
    const receivedAt = new Date();
    let failure: OcppError | undefined;
    let admitted: Admitted | undefined;
    if (!validator.has(action)) failure = new OcppError('NotImplemented', `Unknown action ${action}`);
    else if (!handler) failure = new OcppError('NotSupported', `${action} is not supported by this Central System`);
    else failure = refusalBeforeAccepted(this.registrationStatus, action);
    // --- compatibility layer (src/ocpp/compat): the payload as the schema wants it, repaired or refused ---
    if (!failure) {
      const outcome = this.deps.compat.admit(action, payload, this.compatMode, receivedAt);
      if (outcome.ok === false) {
        if (outcome.answer) return this.answerUnprocessable(id, action, payload, outcome.error.message, outcome.answer, receivedAt);
        failure = outcome.error;
      }
      admitted = outcome;
    }
    if (failure || !admitted?.ok) {
      this.log('IN', CALL, action, id, payload, receivedAt, payloadText);
      return this.sendError(id, failure!);
    }
    const { payload: request, repairs } = admitted;
    // --- end compatibility layer ---
    let result: object;
    this.log('IN', CALL, action, id, payload, receivedAt, payloadText);
    const maxWaitMs = maxCommitWaitMs(action, receivedAt.getTime() - this.lastAnsweredAt);
    try {
      result = await uow.run(() => {
        if (repairs.length) domain.compatibility.recordRepairs(this.chargerId, action, repairs, receivedAt);
        const res = handler!({ chargerId: this.chargerId, chargePointId: this.chargePointId, domain, receivedAt, heartbeatIntervalSec: this.deps.heartbeatIntervalSec() }, request);
        validator.check(action, 'response', res);
        return res;
      }, { routine: maxWaitMs > 0, maxWaitMs });
      if (action === 'BootNotification') this.registrationStatus = (result as { status: string }).status;
    } catch (err) {
      this.deps.logger.error({ err, chargePointId: this.chargePointId, action }, 'handler failed');
      // A failed disk is not an unreadable message: nothing is stored, so the charger must keep it and retry.
      const answer = this.compatMode === 'tolerant' && !isStorageError(err) ? this.deps.compat.answerWhenUnprocessable(action) : undefined;
      if (answer) return this.answerUnprocessable(id, action, payload, err instanceof Error ? err.message : String(err), answer, receivedAt, true);
      const reason = err instanceof OcppError ? `Could not answer ${action}: ${err.message}` : `Could not process ${action}`;
      return this.sendError(id, new OcppError('InternalError', reason));
    }
    for (const r of repairs) this.deps.metrics?.repaired?.(action, r.kind);
    this.deps.metrics?.handled(action, Number(process.hrtime.bigint() - started) / 1e9);
    this.deps.metrics?.message('OUT', action);
    // A charger sets its clock from currentTime (Heartbeat, BootNotification): the time of sending, not of handling
    // (a routine message waits for its commit window).
    if ('currentTime' in result) result = { ...result, currentTime: new Date().toISOString() };
    this.log('OUT', CALLRESULT, action, id, result);
    this.send(resultFrame(id, result));
    this.lastAnsweredAt = Date.now();
  }

  /**
   * A transaction message we cannot process is still answered (OCPP 1.6 §4.10: a charger retries a refused
   * StopTransaction forever, or drops it and the money with it): it is kept whole for review first.
   */
  private async answerUnprocessable(id: string, action: string, payload: object, reason: string, answer: object, receivedAt: Date, logged = false): Promise<void> {
    this.deps.logger.warn({ chargePointId: this.chargePointId, action, uniqueId: id, reason }, 'message kept for review, answered');
    if (!logged) this.log('IN', CALL, action, id, payload, receivedAt);
    try {
      await this.deps.uow.run(() => this.deps.domain.compatibility.storeForReview(this.chargerId, action, id, payload, reason, receivedAt));
    } catch (err) {
      this.deps.logger.error({ err, chargePointId: this.chargePointId, action }, 'could not keep the message for review');
      return this.sendError(id, new OcppError('InternalError', `Could not process ${action}`));
    }
    this.deps.metrics?.repaired?.(action, 'stored_for_review');
    this.deps.metrics?.message('OUT', action);
    this.log('OUT', CALLRESULT, action, id, answer);
    this.send(resultFrame(id, answer));
  }

  private handleReply(frame: Extract<Frame, { type: 3 | 4 }>, text: string): void {
    const call = this.inFlight;
    if (!call || call.id !== frame.id) {
      this.log('IN', frame.type, undefined, frame.id, text);
      this.deps.logger.warn({ chargePointId: this.chargePointId, uniqueId: frame.id }, 'reply to no outstanding call, ignored');
      return;
    }
    this.finishInFlight();
    if (frame.type === CALLRESULT) {
      this.log('IN', CALLRESULT, call.action, frame.id, frame.payload);
      try {
        this.deps.validator.check(call.action, 'response', frame.payload);
      } catch (err) {
        const e = err as OcppError;
        return call.reject(new CallRejectedError(this.chargePointId, call.action, e.code, `invalid response: ${e.message}`));
      }
      call.resolve(frame.payload);
    } else {
      this.log('IN', CALLERROR, call.action, frame.id, [frame.code, frame.description, frame.details]);
      call.reject(new CallRejectedError(this.chargePointId, call.action, frame.code, frame.description, frame.details));
    }
  }

  /** Sends a CSMS-initiated call; resolves with the charger's validated result. */
  call<A extends CentralAction>(action: A, payload: CentralActions[A]['request'], timeoutMs = this.deps.callTimeoutMs): Promise<CentralActions[A]['response']> {
    if (this.closed) return Promise.reject(new ChargerOfflineError(this.chargePointId));
    this.deps.validator.check(action, 'request', payload); // our bug or the API caller's: fail before sending
    return new Promise((resolve, reject) => {
      const call: PendingCall = { id: randomUUID(), action, payload, timeoutMs, deadline: Date.now() + timeoutMs, resolve, reject };
      // The deadline is the API caller's: it runs from now, so a call queued behind others cannot wait
      // for each of them in turn. One that expires before it was sent is never sent.
      call.timer = setTimeout(() => this.expire(call), timeoutMs);
      this.queue.push(call);
      this.sendNext();
    });
  }

  private expire(call: PendingCall): void {
    if (this.inFlight === call) this.finishInFlight();
    else {
      const at = this.queue.indexOf(call);
      if (at === -1) return;
      this.queue.splice(at, 1);
    }
    this.deps.metrics?.error('call_timeout');
    call.reject(new CallTimeoutError(this.chargePointId, call.action, call.timeoutMs));
  }

  get queuedCalls(): number { return this.queue.length + (this.inFlight ? 1 : 0); }

  private sendNext(): void {
    if (this.inFlight || this.closed) return;
    // A call with too little of its time left would be acted on by the charger after its caller was
    // told it timed out (a Reset nobody expects): it expires here instead of being sent.
    while (this.queue[0] && this.queue[0].deadline - Date.now() < Math.min(this.queue[0].timeoutMs / 2, 2000)) {
      const late = this.queue[0];
      clearTimeout(late.timer);
      this.expire(late);
    }
    const call = this.queue.shift();
    if (!call) return;
    this.inFlight = call;
    this.log('OUT', CALL, call.action, call.id, call.payload);
    this.deps.metrics?.message('OUT', call.action);
    this.send(callFrame(call.id, call.action, call.payload));
  }

  private finishInFlight(): void {
    if (this.inFlight?.timer) clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    setImmediate(() => this.sendNext());
  }

  /** The socket is gone: every waiting API caller learns the charger is offline. */
  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const call of waiting) {
      clearTimeout(call.timer);
      call.reject(new ChargerOfflineError(this.chargePointId));
    }
  }

  close(code: number, reason: string): void {
    this.sink.close(code, reason);
  }

  private sendError(id: string, err: OcppError): void {
    this.log('OUT', CALLERROR, undefined, id, [err.code, err.message, err.details]);
    this.deps.metrics?.error(err.code);
    this.send(errorFrame(id, err));
  }

  private send(text: string): void {
    if (!this.closed) this.sink.send(text);
  }

  /**
   * Queues a frame for the message log, written in the background (messageLog.ts): frames are diagnostics,
   * so they are not part of the commit a reply waits for. Never throws at the charger.
   */
  private log(direction: 'IN' | 'OUT', type: number, action: string | undefined, id: string | undefined, payload: unknown, at?: Date,
    payloadText?: string): void {
    try {
      this.deps.domain.messageLog.record({ chargePointId: this.chargePointId, direction, messageType: type, action, uniqueId: id, payload, payloadText, at });
    } catch (err) {
      this.deps.logger.error({ err, chargePointId: this.chargePointId }, 'message log write failed');
    }
  }
}
