// Sends each charger its Local Authorization List and keeps it in sync. A charger that has been sent
// a list once (by an operator) is kept current automatically when tags change or when it reconnects
// (config localAuthList.autoSync); chargers that never had one, or said NotSupported, are left alone.
import type { Domain } from '../domain/index.js';
import type { SyncMode } from '../domain/localLists.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';

export interface LocalListResult { status: string; listVersion: number; updateType?: 'Full' | 'Differential'; entries?: number }

export class LocalListSync {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: Array<() => void> = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger, autoSync: boolean) {
    if (!autoSync) return;
    this.unsubscribe.push(domain.events.on('idTags.changed', () => this.scheduleAll()));
    this.unsubscribe.push(domain.events.on('charger.connected', ({ chargePointId }) => this.autoSend(chargePointId)));
  }

  /** Sends the list (one send per charger at a time); mode auto sends a Differential, or nothing when current. */
  send(chargePointId: string, mode: SyncMode): Promise<LocalListResult> {
    const previous = this.chains.get(chargePointId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.sendNow(chargePointId, mode));
    this.chains.set(chargePointId, next);
    void next.catch(() => {}).finally(() => { if (this.chains.get(chargePointId) === next) this.chains.delete(chargePointId); });
    return next;
  }

  private async sendNow(chargePointId: string, mode: SyncMode): Promise<LocalListResult> {
    const { chargers, localLists, uow } = this.domain;
    const charger = chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const plan = localLists.plan(charger.id, mode);
    if (!plan) return { status: 'UpToDate', listVersion: localLists.state(charger.id)?.version ?? 0 };
    const { listVersion, updateType, localAuthorizationList } = plan;
    const res = await this.hub.call(chargePointId, 'SendLocalList', { listVersion, updateType, localAuthorizationList });
    await uow.run(() => localLists.recordResult(charger.id, plan, res.status));
    // The charger's list is not what we thought: start again from a Full list.
    if (res.status === 'VersionMismatch' && updateType === 'Differential') return this.sendNow(chargePointId, 'full');
    return { status: res.status, listVersion, updateType, entries: localAuthorizationList.length };
  }

  async getVersion(chargePointId: string): Promise<{ listVersion: number; expected: number | null; status: string | null }> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const { listVersion } = await this.hub.call(chargePointId, 'GetLocalListVersion', {});
    const expected = this.domain.localLists.state(charger.id)?.version ?? null;
    const state = await this.domain.uow.run(() => this.domain.localLists.recordReportedVersion(charger.id, listVersion));
    return { listVersion, expected, status: state?.status ?? null };
  }

  // Tag edits often come in bursts (an import): one sync round after the burst.
  private scheduleAll(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      for (const s of this.hub.connected()) this.autoSend(s.chargePointId);
    }, 200);
    this.pending.unref();
  }

  private autoSend(chargePointId: string): void {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    const state = charger && this.domain.localLists.state(charger.id);
    if (!state || state.status === 'NotSupported') return;
    this.send(chargePointId, 'auto').catch((err) => this.logger.warn({ err, chargePointId }, 'local list sync failed'));
  }

  stop(): void {
    clearTimeout(this.pending);
    for (const off of this.unsubscribe) off();
  }
}
