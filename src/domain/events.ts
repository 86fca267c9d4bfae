// In-process notifications of committed changes, for live views and background work.
// Emitted only after the change is durable (through UnitOfWork.onCommit).
import { EventEmitter } from 'node:events';

export type UnpaidReason = 'no_user' | 'no_wallet' | 'currency_mismatch';

export interface DomainEvents {
  'charger.connected': { chargePointId: string };
  'charger.disconnected': { chargePointId: string };
  'charger.updated': { chargePointId: string };
  /** Its BootNotification is stored (and answered): it has lost the charging profiles it had. */
  'charger.booted': { chargePointId: string };
  'chargingProfiles.cleared': { chargePointId: string };
  'connector.status': { chargePointId: string; connectorId: number; status: string; errorCode: string };
  'transaction.started': { chargePointId: string; transactionId: number; connectorId: number; idTag: string };
  'transaction.updated': {
    chargePointId: string; transactionId: number; energyWh: number | null; powerW: number | null;
    /** Current.Import per phase, when the charger reports it per phase. */
    currentA: [number, number, number] | null;
  };
  /** The load balancer's view changed (limits, headroom, allocations, measured values): the whole view, for the live page. */
  'loadBalancing.updated': { updatedAt: string; [key: string]: unknown };
  /** Put in doubt (evidence its stop was missed) or resumed (the charger is still metering it). */
  'transaction.doubt': { chargePointId: string; transactionId: number; inDoubt: boolean };
  'transaction.stopped': { chargePointId: string; transactionId: number; energyWh: number | null; costAmount: number | null };
  'wallet.changed': { walletId: number; userId: number; balance: number };
  /** A completed session's cost that no wallet was debited for (no user, no wallet, another currency). */
  'transaction.unpaid': { transactionId: number; userId: number | null; amount: number; currency: string; reason: UnpaidReason; walletCurrency?: string };
  /** A charger's CSR is stored (SignCertificate answered Accepted): the site CA may sign it. */
  'certificate.requested': { chargePointId: string; requestId: number };
  'idTags.changed': Record<string, never>;
  /** A tag (and its group) or all of a user's tags may no longer charge: chargers must forget them. */
  'idTags.blocked': { idTag?: string; userId?: number };
  'log': import('./messageLog.js').LogRow;
  /** An outbox row is durable; every row up to seq is too (batches become durable in commit order). */
  'outbox.added': { seq: number };
  /** A login session ended or an API token or admin user lost access: open live streams check theirs again. */
  'access.changed': Record<string, never>;
}

export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit<K extends keyof DomainEvents>(name: K, data: DomainEvents[K]): void {
    this.emitter.emit(name, data);
    this.emitter.emit('*', name, data);
  }

  on<K extends keyof DomainEvents>(name: K, fn: (data: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, fn);
    return () => this.emitter.off(name, fn);
  }

  onAny(fn: (name: keyof DomainEvents, data: unknown) => void): () => void {
    this.emitter.on('*', fn);
    return () => this.emitter.off('*', fn);
  }
}
