// How a session ends: its StopTransaction (exactly once, retries change nothing), a stop without a usable id
// (-1/0 from a charger that started offline), an operator's close, and the charger's real stop arriving
// after that close (its figures win, and the wallet is corrected once).
import type { TransactionStatements } from '../db/queries/transactions.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { StopTransactionRequest } from '../protocol/ocpp16/index.js';
import type { Charger } from './chargers.js';
import type { EventBus } from './events.js';
import { sameIdTag } from './idTagCase.js';
import type { MeterValues } from './meterValues.js';
import { utcIso } from './chargerTime.js';
import type { Outbox } from './outbox.js';
import { sessionEnergy } from './sessionEnergy.js';
import { hasFlag, kWh, withFlags, type SessionFlag } from './sessionFlags.js';
import { publicView, sameTime, type Transaction } from './sessionRows.js';
import type { SessionRules, Settlement } from './transactions.js';

export class SessionStops {
  constructor(
    private readonly q: TransactionStatements, private readonly uow: UnitOfWork, private readonly events: EventBus,
    private readonly meterValues: MeterValues, private readonly outbox: Outbox, private readonly rules: SessionRules,
    private readonly settlement: () => Settlement | undefined,
  ) {}

  /**
   * Completes the session once. A repeated stop (lost reply) changes nothing and charges nothing; a stop
   * for a transaction we never saw is kept as ORPHAN_STOP for review. The energy billed comes from the
   * register readings (sessionEnergy), so a meter reset or a placeholder meterStart is billed right and flagged.
   */
  stop(charger: Charger, req: StopTransactionRequest, receivedAt: Date, closedBy?: string): Transaction {
    const found = req.transactionId > 0 ? { tx: this.q.ofCharger.get({ id: req.transactionId, chargerId: charger.id }) } : this.withoutId(charger, req);
    const tx = found.tx;
    // An ORPHAN_STOP row's id was never given to the charger: a stop naming it is another orphan, and
    // must not turn the kept record into a completed session.
    if (!tx || tx.status === 'ORPHAN_STOP') return this.recordOrphanStop(charger, req, receivedAt);
    if (tx.status === 'COMPLETED') {
      // The charger's own stop after an operator's close: its figures are the real ones.
      if (closedBy === undefined && hasFlag(tx.flags, 'closed_by_operator') && !hasFlag(tx.flags, 'corrected_by_charger')) {
        return this.correct(charger, tx, req, receivedAt);
      }
      return tx; // a retry: the first copy already stored its transactionData
    }
    if (req.transactionData?.length) this.meterValues.store(charger.id, tx.connectorId, tx.id, req.transactionData);
    const at = receivedAt.toISOString();
    const stoppedAt = utcIso(req.timestamp);
    const energy = this.energyOf(tx, req.meterStop, stoppedAt);
    const flags: SessionFlag[] = energy.findings.map((f) => ({ ...f, at }));
    if ('why' in found && found.why) flags.push({ code: 'stop_without_id', at, reason: found.why });
    if (closedBy !== undefined) {
      flags.push({ code: 'closed_by_operator', at, reason: `closed by ${closedBy} at ${req.meterStop} Wh because its StopTransaction had not arrived; the charger's stop, if it comes, replaces these figures` });
    }
    let done = this.q.complete.get({
      id: tx.id, meterStop: req.meterStop, energyWh: energy.energyWh, stoppedAt, receivedAt: at, reason: req.reason ?? 'Local',
      stopIdTag: req.idTag ?? null, idUsedAt: tx.idUsedAt ?? (closedBy === undefined ? at : null), flags: withFlags(tx.flags, flags),
    })!;
    const cost = this.settlement()?.settle(done);
    if (cost) done = this.q.setCost.get({ id: tx.id, costAmount: cost.costAmount, currency: cost.currency })!;
    this.outbox.add('transactions', { event: 'completed', transaction: publicView(done, charger) }, receivedAt);
    this.uow.onCommit(() => this.events.emit('transaction.stopped', {
      chargePointId: charger.chargePointId, transactionId: done.id, energyWh: done.energyWh, costAmount: done.costAmount,
    }));
    return done;
  }

  private energyOf(tx: Transaction, meterStop: number, stoppedAt: string) {
    return sessionEnergy({ at: tx.startedAt, wh: tx.meterStart }, this.meterValues.registerReadings(tx.id),
      { at: stoppedAt, wh: meterStop }, this.rules.maxPowerW);
  }

  /**
   * transactionId -1 or 0: the charger started the session offline and never learned its id (EVerest
   * libocpp #495). A retry finds the session this stop already completed; otherwise it belongs to the one
   * open session of the charger it can be (same idTag when given, started before it).
   */
  private withoutId(charger: Charger, req: StopTransactionRequest): { tx: Transaction | undefined; why?: string } {
    const retried = this.q.completedAt.all({ chargerId: charger.id, meterStop: req.meterStop, ...sameTime(req.timestamp) })
      .find((t) => hasFlag(t.flags, 'stop_without_id'));
    if (retried) return { tx: retried };
    const candidates = this.q.openStartedBy.all({ chargerId: charger.id, utc: utcIso(req.timestamp) })
      .filter((t) => !req.idTag || sameIdTag(t.idTag, req.idTag));
    if (candidates.length !== 1) return { tx: undefined };
    const tx = candidates[0]!;
    return { tx, why: `the StopTransaction carried transactionId ${req.transactionId} (the charger never learned the id); it matched this session, the only open one on the charger${req.idTag ? ` for ${req.idTag}` : ''} (connector ${tx.connectorId})` };
  }

  /** The real stop replaces the operator's figures; the wallet gets the difference once (the flag makes a retry a no-op). */
  private correct(charger: Charger, tx: Transaction, req: StopTransactionRequest, receivedAt: Date): Transaction {
    if (req.transactionData?.length) this.meterValues.store(charger.id, tx.connectorId, tx.id, req.transactionData);
    const at = receivedAt.toISOString();
    const stoppedAt = utcIso(req.timestamp);
    const energy = this.energyOf(tx, req.meterStop, stoppedAt);
    const flags: SessionFlag[] = [
      ...energy.findings.map((f) => ({ ...f, at })),
      { code: 'corrected_by_charger', at, reason: `the charger's StopTransaction arrived after the operator's close: ${kWh(tx.energyWh ?? 0)} became ${kWh(energy.energyWh)} (meterStop ${req.meterStop} Wh, ${stoppedAt})` },
    ];
    let done = this.q.correct.get({
      id: tx.id, meterStop: req.meterStop, energyWh: energy.energyWh, stoppedAt, receivedAt: at, reason: req.reason ?? 'Local',
      stopIdTag: req.idTag ?? null, idUsedAt: tx.idUsedAt ?? at, flags: withFlags(tx.flags, flags),
    })!;
    const cost = this.settlement()?.resettle(done);
    if (cost) done = this.q.setCost.get({ id: tx.id, costAmount: cost.costAmount, currency: cost.currency })!;
    this.outbox.add('transactions', { event: 'corrected', transaction: publicView(done, charger) }, receivedAt);
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
}
