// Sends each charger its Local Authorization List and keeps it in sync. A charger that has been sent
// a list once (by an operator) is kept current automatically when tags change or when it reconnects
// (config localAuthList.autoSync); chargers that never had one, or said NotSupported, are left alone.
import type { Domain } from '../domain/index.js';
import { splitPlan, type SyncMode } from '../domain/localLists.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';
import { LocalListLimitsSource } from './localListLimits.js';

export interface LocalListResult {
  status: string; listVersion: number; updateType?: 'Full' | 'Differential'; entries?: number;
  /** SendLocalList messages sent (more than one when the charger's SendLocalListMaxLength splits the list). */
  messages?: number;
}

export class LocalListSync {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: Array<() => void> = [];
  private pending: NodeJS.Timeout | undefined;
  private readonly limits: LocalListLimitsSource;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger, autoSync: boolean) {
    this.limits = new LocalListLimitsSource(domain, hub, logger);
    if (!autoSync) return;
    this.unsubscribe.push(domain.events.on('idTags.changed', () => this.scheduleAll()));
    this.unsubscribe.push(domain.events.on('charger.connected', ({ chargePointId }) => this.autoSend(chargePointId)));
    // Money decides a tag's entry too (Blocked for missing funds, as Authorize): a top-up or a charge may change it.
    this.unsubscribe.push(domain.events.on('wallet.changed', () => this.scheduleAll()));
    // After a reboot the charger's list may be gone or older: ask its version, then send what it lacks (a mismatch goes Full).
    this.unsubscribe.push(domain.events.on('charger.booted', ({ chargePointId }) => {
      setImmediate(() => { void this.checkAfterBoot(chargePointId); }); // after the BootNotification answer
    }));
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
    const { updateType } = plan;
    const limits = await this.limits.of(chargePointId, charger.id);
    const size = Object.keys(plan.entries).length;
    // A list the charger cannot hold is not sent at all: a partial list would authorize the wrong people.
    if (limits.listMax !== undefined && size > limits.listMax) {
      const state = await uow.run(() => localLists.recordTooLarge(charger.id, size, limits.listMax!));
      this.logger.warn({ chargePointId, entries: size, localAuthListMaxLength: limits.listMax }, 'local list too large for the charger, not sent');
      return { status: state.status, listVersion: state.version, entries: size };
    }
    const messages = splitPlan(plan, limits.sendMax);
    let status = 'Accepted';
    let sent = 0;
    // One message at a time, each with the next version; the first refusal stops the rest.
    for (const m of messages) {
      sent++;
      try {
        status = (await this.hub.call(chargePointId, 'SendLocalList', m)).status;
      } catch (err) {
        // Earlier parts were applied: the charger holds part of a list, so mark it out of sync (next sync is Full).
        if (sent > 1) await uow.run(() => localLists.recordResult(charger.id, plan, 'Incomplete'));
        throw err;
      }
      if (status !== 'Accepted') break;
    }
    // Only a fully accepted list moves our version (to the last part's); a partly applied one is not in sync, so the next sync is Full.
    const reached = messages[sent - 1]!.listVersion;
    await uow.run(() => localLists.recordResult(charger.id, { ...plan, listVersion: reached }, status));
    if (status !== 'Accepted' && messages.length > 1) {
      this.logger.warn({ chargePointId, status, message: sent, of: messages.length }, 'local list refused part-way');
    }
    // The charger's list is not what we thought: start again from a Full list.
    if (status === 'VersionMismatch' && updateType === 'Differential') return this.sendNow(chargePointId, 'full');
    return { status, listVersion: reached, updateType, entries: plan.localAuthorizationList.length, messages: sent };
  }

  async getVersion(chargePointId: string): Promise<{ listVersion: number; expected: number | null; status: string | null }> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const { listVersion } = await this.hub.call(chargePointId, 'GetLocalListVersion', {});
    const expected = this.domain.localLists.state(charger.id)?.version ?? null;
    const state = await this.domain.uow.run(() => this.domain.localLists.recordReportedVersion(charger.id, listVersion));
    return { listVersion, expected, status: state?.status ?? null };
  }

  private async checkAfterBoot(chargePointId: string): Promise<void> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    const state = charger && this.domain.localLists.state(charger.id);
    if (!state || state.status === 'NotSupported' || charger.registrationStatus !== 'Accepted') return;
    try {
      await this.getVersion(chargePointId);
      this.autoSend(chargePointId);
    } catch (err) {
      this.logger.warn({ err, chargePointId }, 'local list version check after boot failed');
    }
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
