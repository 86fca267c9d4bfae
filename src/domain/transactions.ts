// Charging sessions: start (idempotent on retries), meter updates, stop (exactly once), interruption.
import type { Db, Sqlite } from '../db/index.js';
import type { transactions } from '../db/schema.js';
import { transactionStatements, type TransactionStatements } from '../db/queries/transactions.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { StartTransactionRequest, StopTransactionRequest, MeterValuesRequest } from '../protocol/ocpp16/index.js';
import type { Charger } from './chargers.js';
import type { Authorization } from './idTagAuthorization.js';
import type { EventBus } from './events.js';
import type { MeterValues } from './meterValues.js';
import { summarize } from './meterValues.js';
import { utcIso } from './chargerTime.js';
import type { Outbox } from './outbox.js';

export type Transaction = typeof transactions.$inferSelect;

/** A retry matches the stored UTC time, or the raw text a row from before UTC storage still holds. */
const sameTime = (chargerTime: string) => ({ utc: utcIso(chargerTime), raw: chargerTime });

/** Prices and pays for a completed session inside the same SQLite transaction (see wallets). */
export interface Settlement {
  /** Called once when a transaction starts: returns what to record about the price. */
  priceFor(charger: Charger): Pick<Transaction, 'tariffId' | 'tariffSnapshot' | 'currency'>;
  /** Called exactly once per completed session; returns the cost charged. */
  settle(tx: Transaction): { costAmount: number; currency: string } | null;
}

export class Transactions {
  settlement: Settlement | undefined;
  // Every statement is prepared once (db/queries/transactions.ts): these run on every session message.
  private readonly q: TransactionStatements;

  constructor(
    db: Db, _sqlite: Sqlite, private readonly uow: UnitOfWork, private readonly events: EventBus,
    private readonly meterValues: MeterValues, private readonly outbox: Outbox,
  ) {
    this.q = transactionStatements(db);
  }

  private ofCharger(id: number, chargerId: number): Transaction | undefined {
    return this.q.ofCharger.get({ id, chargerId });
  }

  byId(id: number): Transaction | undefined {
    return this.q.byId.get({ id });
  }

  runningOn(chargerId: number): Transaction[] {
    return this.q.runningOn.all({ chargerId });
  }

  /**
   * A retry (same charger, connector, idTag, timestamp, meterStart) returns the first record. The idTag
   * compares exactly, unlike everywhere else (idTags are case-insensitive): a retry repeats the same frame.
   */
  start(charger: Charger, req: StartTransactionRequest, auth: Authorization, receivedAt: Date): Transaction {
    const existing = this.q.startRetry.get({
      chargerId: charger.id, connectorId: req.connectorId, idTag: req.idTag, meterStart: req.meterStart, ...sameTime(req.timestamp),
    });
    if (existing) return existing;
    // A new session on a connector that still shows one running means we missed its stop.
    this.interrupt(charger, req.connectorId, receivedAt);
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

  /**
   * Completes the session once. A repeated stop (lost reply) changes nothing and charges nothing;
   * a stop for a transaction we never saw is kept as ORPHAN_STOP for review.
   */
  stop(charger: Charger, req: StopTransactionRequest, receivedAt: Date): Transaction {
    const tx = this.ofCharger(req.transactionId, charger.id);
    // An ORPHAN_STOP row's id was never given to the charger: a stop naming it is another orphan, and
    // must not turn the kept record into a completed session.
    if (!tx || tx.status === 'ORPHAN_STOP') return this.recordOrphanStop(charger, req, receivedAt);
    // A retry finds it completed: the first copy already stored its transactionData.
    if (tx.status === 'COMPLETED') return tx;
    if (req.transactionData?.length) this.meterValues.store(charger.id, tx.connectorId, tx.id, req.transactionData);
    const energyWh = Math.max(0, req.meterStop - tx.meterStart);
    let done = this.q.complete.get({
      id: tx.id, meterStop: req.meterStop, energyWh,
      stoppedAt: utcIso(req.timestamp), receivedAt: receivedAt.toISOString(), reason: req.reason ?? 'Local', stopIdTag: req.idTag ?? null,
    })!;
    const cost = this.settlement?.settle(done);
    if (cost) done = this.q.setCost.get({ id: tx.id, costAmount: cost.costAmount, currency: cost.currency })!;
    this.outbox.add('transactions', { event: 'completed', transaction: publicView(done, charger) }, receivedAt);
    this.uow.onCommit(() => this.events.emit('transaction.stopped', {
      chargePointId: charger.chargePointId, transactionId: done.id, energyWh: done.energyWh, costAmount: done.costAmount,
    }));
    return done;
  }

  /** Once per stop: a retry (same charger, reported id, meterStop and timestamp) finds the first record. */
  private recordOrphanStop(charger: Charger, req: StopTransactionRequest, receivedAt: Date): Transaction {
    const retried = this.q.orphanRetry.get({
      chargerId: charger.id, reportedId: req.transactionId, meterStop: req.meterStop, ...sameTime(req.timestamp),
    });
    if (retried) return retried;
    if (req.transactionData?.length) this.meterValues.store(charger.id, 0, null, req.transactionData);
    const at = receivedAt.toISOString();
    const orphan = this.q.insertOrphanStop.get({
      chargerId: charger.id, idTag: req.idTag ?? '', meterStop: req.meterStop, stoppedAt: utcIso(req.timestamp), receivedAt: at,
      reason: req.reason ?? 'Local', stopIdTag: req.idTag ?? null, reportedId: req.transactionId,
    })!;
    this.outbox.add('transactions', { event: 'orphan-stop', transaction: publicView(orphan, charger) }, receivedAt);
    return orphan;
  }

  meter(charger: Pick<Charger, 'id' | 'chargePointId'>, req: MeterValuesRequest): void {
    const found = req.transactionId === undefined ? undefined : this.ofCharger(req.transactionId, charger.id);
    const tx = found?.status === 'ORPHAN_STOP' ? undefined : found; // not a session: see stop()
    this.meterValues.store(charger.id, req.connectorId, tx?.id ?? null, req.meterValue);
    if (!tx || tx.status !== 'RUNNING') return;
    const { energyWh, powerW, currentA } = summarize(req.meterValue);
    if (energyWh === null && powerW === null && currentA === null) return;
    this.q.updateMeter.run({ energyWh, powerW, id: tx.id });
    this.uow.onCommit(() => this.events.emit('transaction.updated', {
      chargePointId: charger.chargePointId, transactionId: tx.id,
      energyWh: energyWh !== null ? energyWh - tx.meterStart : null, powerW, currentA,
    }));
  }

  /** At boot: sessions the charger had before rebooting are interrupted (a later stop still completes them). */
  interruptRunning(charger: Pick<Charger, 'id' | 'chargePointId'>, at: Date): number {
    return this.interrupt(charger, undefined, at).length;
  }

  /** Marks the charger's RUNNING sessions (optionally only one connector's) INTERRUPTED and tells the central office, in this unit of work. */
  private interrupt(charger: Pick<Charger, 'id' | 'chargePointId'>, connectorId: number | undefined, at: Date): Transaction[] {
    const interrupted = connectorId === undefined
      ? this.q.interruptCharger.all({ chargerId: charger.id, at: at.toISOString() })
      : this.q.interruptConnector.all({ chargerId: charger.id, connectorId, at: at.toISOString() });
    for (const tx of interrupted) this.outbox.add('transactions', { event: 'interrupted', transaction: publicView(tx, charger) }, at);
    return interrupted;
  }

}

/** What leaves the site about a session (MQTT, exports). */
export function publicView(tx: Transaction, charger: Pick<Charger, 'chargePointId'>) {
  return {
    id: tx.id, chargePointId: charger.chargePointId, connectorId: tx.connectorId, idTag: tx.idTag, userId: tx.userId,
    status: tx.status, meterStart: tx.meterStart, meterStop: tx.meterStop, energyWh: tx.energyWh,
    startedAt: tx.startedAt, stoppedAt: tx.stoppedAt, stopReason: tx.stopReason,
    costAmount: tx.costAmount, currency: tx.currency, tariffId: tx.tariffId, reportedTransactionId: tx.reportedTransactionId,
  };
}
