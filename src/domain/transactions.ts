// Charging sessions: start (idempotent on retries), meter updates, doubt on evidence, and stop (sessionStops.ts).
// A session ends by its StopTransaction. A BootNotification is not evidence (many chargers send one on every
// reconnect); a new start on its connector, its connector idle, its charger long offline are: the session is
// then INTERRUPTED (in doubt), and the charger's later MeterValues or StopTransaction still continue it.
import type { Db, Sqlite } from '../db/index.js';
import { transactionStatements, type MeteredSession, type TransactionStatements } from '../db/queries/transactions.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { StartTransactionRequest, StopTransactionRequest, MeterValuesRequest } from '../protocol/ocpp16/index.js';
import type { Charger } from './chargers.js';
import type { Authorization } from './idTagAuthorization.js';
import type { EventBus } from './events.js';
import type { MeterValues } from './meterValues.js';
import { summarize } from './meterValues.js';
import { utcIso } from './chargerTime.js';
import type { Outbox } from './outbox.js';
import { withFlags } from './sessionFlags.js';
import { OPEN_STATUSES, publicView, sameTime, type Transaction } from './sessionRows.js';
import { SessionStops } from './sessionStops.js';
import { LiveMeters } from './liveMeters.js';

export { OPEN_STATUSES, publicView, type Transaction } from './sessionRows.js';

type ChargerRef = Pick<Charger, 'id' | 'chargePointId'>;

/** Prices and pays for a completed session inside the same SQLite transaction (see wallets). */
export interface Settlement {
  /** Called once when a transaction starts: returns what to record about the price. */
  priceFor(charger: Charger): Pick<Transaction, 'tariffId' | 'tariffSnapshot' | 'currency'>;
  /** Called exactly once per completed session; returns the cost charged. */
  settle(tx: Transaction): { costAmount: number; currency: string } | null;
  /** The charger's figures replaced an operator's close: price again and post the difference, once. */
  resettle(tx: Transaction): { costAmount: number; currency: string } | null;
}

export interface SessionRules {
  /** A register step above this power for its duration is a meter fault, not energy (sessionEnergy.ts). */
  maxPowerW: number;
}

const BUSY_STATES = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE']);
const IDLE_STATES = new Set(['Available', 'Preparing']);

export class Transactions {
  settlement: Settlement | undefined;
  /** Open sessions' live figures, kept in memory and written in the background (liveMeters.ts). */
  readonly live: LiveMeters;
  private readonly stops: SessionStops;
  // Every statement is prepared once (db/queries/transactions.ts): these run on every session message.
  private readonly q: TransactionStatements;

  constructor(
    db: Db, sqlite: Sqlite, private readonly uow: UnitOfWork, private readonly events: EventBus,
    private readonly meterValues: MeterValues, private readonly outbox: Outbox, rules: SessionRules = { maxPowerW: 350_000 },
  ) {
    this.q = transactionStatements(db, sqlite);
    this.live = new LiveMeters(uow, this.q);
    this.stops = new SessionStops(this.q, uow, events, meterValues, outbox, rules, () => this.settlement);
  }

  byId(id: number): Transaction | undefined {
    return this.live.withLive(this.q.byId.get({ id }));
  }

  runningOn(chargerId: number): Transaction[] {
    return this.q.runningOn.all({ chargerId }).map((tx) => this.live.withLive(tx));
  }

  /** Every RUNNING session, for the periodic review of doubtful ones. */
  running(): Transaction[] {
    return this.q.allRunning.all().map((tx) => this.live.withLive(tx));
  }

  /** RUNNING sessions of a blocked tag (or of tags in its group), or of a blocked user's tags. */
  runningOfBlocked(who: { idTag?: string; userId?: number }): Transaction[] {
    return this.q.runningOfBlocked.all({ idTag: who.idTag ?? null, userId: who.userId ?? null }).map((tx) => this.live.withLive(tx));
  }

  /**
   * A retry (same charger, connector, idTag, timestamp, meterStart) returns the first record, but only while that
   * session is open and the charger has not used its id yet: a charger with an unset clock and a per-session meter
   * sends identical starts for two real sessions, and the second is a new session. The idTag compares exactly,
   * unlike everywhere else (idTags are case-insensitive): a retry repeats the same frame.
   */
  start(charger: Charger, req: StartTransactionRequest, auth: Authorization, receivedAt: Date): Transaction {
    const existing = this.q.startRetries.all({
      chargerId: charger.id, connectorId: req.connectorId, idTag: req.idTag, meterStart: req.meterStart, ...sameTime(req.timestamp),
    }).reduce<Transaction | undefined>((newest, row) => (newest && newest.id > row.id ? newest : row), undefined);
    if (existing && existing.idUsedAt === null) return existing;
    // A new session on a connector that still shows one running means we missed its stop.
    this.putInDoubt(charger, this.q.runningOnConnector.all({ chargerId: charger.id, connectorId: req.connectorId }), receivedAt,
      `a new session started on connector ${req.connectorId} (idTag ${req.idTag}, ${utcIso(req.timestamp)}) before this one's StopTransaction arrived`);
    const price = this.settlement?.priceFor(charger) ?? { tariffId: null, tariffSnapshot: null, currency: null };
    const tx = this.q.insertRunning.get({
      chargerId: charger.id, connectorId: req.connectorId, idTag: req.idTag, userId: auth.userId,
      reservationId: req.reservationId ?? null, authStatus: auth.idTagInfo.status,
      meterStart: req.meterStart, startedAt: utcIso(req.timestamp), receivedAt: receivedAt.toISOString(),
      ...price,
    })!;
    this.outbox.add('transactions', { event: 'started', transaction: publicView(tx, charger) }, receivedAt);
    this.uow.onCommit(() => this.events.emit('transaction.started', {
      chargePointId: charger.chargePointId, transactionId: tx.id, connectorId: tx.connectorId, idTag: tx.idTag,
    }));
    return tx;
  }

  /** See SessionStops.stop. closedBy: the operator closing a session whose StopTransaction has not come. */
  stop(charger: Charger, req: StopTransactionRequest, receivedAt: Date, closedBy?: string): Transaction {
    return this.stops.stop(charger, req, receivedAt, closedBy);
  }

  /**
   * Readings for a session: the one the message names, or (no transactionId, or 0) the one session running on
   * that connector. Readings naming a session in doubt continue it.
   */
  meter(charger: ChargerRef, req: MeterValuesRequest, receivedAt = new Date()): void {
    const named = req.transactionId !== undefined && req.transactionId > 0;
    let tx: MeteredSession | undefined = this.sessionFor(charger.id, req, named);
    this.meterValues.store(charger.id, req.connectorId, tx?.id ?? null, req.meterValue);
    if (!tx || !OPEN_STATUSES.includes(tx.status)) return;
    if (tx.status === 'INTERRUPTED' && named) tx = this.resume(charger, tx, receivedAt);
    const { energyWh, powerW, currentA, at } = summarize(req.meterValue);
    if (energyWh === null && powerW === null && currentA === null && !(named && tx.idUsedAt === null)) return;
    if (named && tx.idUsedAt === null) this.q.markIdUsed.run({ id: tx.id, now: receivedAt.toISOString() }); // once a session
    // Only a reading at least as new as the one held moves the figures: queued batches arrive out of order.
    const held = this.live.held(tx.id, tx);
    const newer = held.at === null || (at !== null && at >= held.at);
    const after = {
      wh: energyWh !== null && newer ? energyWh : held.wh, w: powerW !== null && newer ? powerW : held.w,
      at: at !== null && newer ? at : held.at,
    };
    if (after.wh !== held.wh || after.w !== held.w || after.at !== held.at) this.live.set(tx.id, after);
    if ((energyWh === null && powerW === null && currentA === null) || tx.status !== 'RUNNING') return;
    this.uow.onCommit(() => this.events.emit('transaction.updated', {
      chargePointId: charger.chargePointId, transactionId: tx.id,
      energyWh: after.wh !== null ? after.wh - tx.meterStart : null, powerW: after.w, currentA,
    }));
  }

  private sessionFor(chargerId: number, req: MeterValuesRequest, named: boolean): MeteredSession | undefined {
    if (named) {
      const found = this.q.meteredOf(req.transactionId!, chargerId);
      return found?.status === 'ORPHAN_STOP' ? undefined : found; // not a session: see SessionStops
    }
    if (req.connectorId <= 0) return undefined;
    const running = this.q.runningOnConnector.all({ chargerId, connectorId: req.connectorId });
    return running.length === 1 ? running[0] : undefined;
  }

  /** A session in doubt the charger is still metering runs again, unless another session now holds its connector. */
  private resume(charger: ChargerRef, tx: MeteredSession, at: Date): MeteredSession {
    if (this.q.runningOnConnector.all({ chargerId: charger.id, connectorId: tx.connectorId }).length > 0) return tx;
    const resumed = this.q.setDoubt.get({
      id: tx.id, status: 'RUNNING', at: null,
      flags: withFlags(tx.flags, [{ code: 'resumed', at: at.toISOString(), reason: 'the charger sent meter values for it again: it was still running' }]),
    })!;
    this.outbox.add('transactions', { event: 'resumed', transaction: publicView(resumed, charger) }, at);
    this.uow.onCommit(() => this.events.emit('transaction.doubt', { chargePointId: charger.chargePointId, transactionId: tx.id, inDoubt: false }));
    return resumed;
  }

  /**
   * StatusNotification evidence: Available or Preparing on a connector with a running session starts its idle
   * clock (the review puts it in doubt after a while); Charging or Suspended* stops it.
   */
  connectorStatus(chargerId: number, connectorId: number, status: string, at: Date): void {
    if (connectorId <= 0) return;
    if (IDLE_STATES.has(status)) this.q.markIdle.run({ chargerId, connectorId, at: at.toISOString() });
    else if (BUSY_STATES.has(status)) this.q.clearIdle.run({ chargerId, connectorId });
  }

  /** Sessions whose connector has shown idle since before the cut-off are put in doubt. */
  doubtIdle(charger: ChargerRef, cutoff: Date, at: Date): Transaction[] {
    return this.putInDoubt(charger, this.q.idleOn.all({ chargerId: charger.id, cutoff: cutoff.toISOString() }), at,
      'its connector has reported Available/Preparing with no StopTransaction for this session');
  }

  /** The charger has been offline past the limit: its running sessions are put in doubt. */
  doubtOffline(charger: ChargerRef, since: string, at: Date): Transaction[] {
    return this.putInDoubt(charger, this.q.runningOn.all({ chargerId: charger.id }), at, `its charger has been offline since ${since}`);
  }

  /**
   * Marks these RUNNING sessions INTERRUPTED with the evidence, and tells the central office, in this unit of
   * work. They stop counting for ConcurrentTx and load balancing.
   */
  private putInDoubt(charger: ChargerRef, found: Transaction[], at: Date, why: string): Transaction[] {
    const iso = at.toISOString();
    return found.map((tx) => {
      const doubted = this.q.setDoubt.get({
        id: tx.id, status: 'INTERRUPTED', at: iso, flags: withFlags(tx.flags, [{ code: 'in_doubt', at: iso, reason: `put in doubt: ${why}` }]),
      })!;
      this.outbox.add('transactions', { event: 'interrupted', transaction: publicView(doubted, charger) }, at);
      this.uow.onCommit(() => this.events.emit('transaction.doubt', { chargePointId: charger.chargePointId, transactionId: tx.id, inDoubt: true }));
      return doubted;
    });
  }
}
