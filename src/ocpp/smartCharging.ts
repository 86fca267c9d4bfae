// SetChargingProfile / ClearChargingProfile / GetCompositeSchedule, with every profile recorded per
// charger. TxProfiles are marked Cleared when their transaction ends (the charger drops them then).
import type { Domain } from '../domain/index.js';
import type { ClearCriteria, StoredChargingProfile } from '../domain/chargingProfiles.js';
import type { ChargingProfile, CentralActions } from '../protocol/ocpp16/index.js';
import type { ChargerHub } from './hub.js';

export class SmartCharging {
  private readonly unsubscribe: () => void;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub) {
    this.unsubscribe = domain.events.on('transaction.stopped', ({ chargePointId, transactionId }) => {
      const charger = domain.chargers.byChargePointId(chargePointId);
      if (charger) void domain.uow.run(() => domain.chargingProfiles.endTransaction(charger.id, transactionId)).catch(() => {});
    });
  }

  async setProfile(chargePointId: string, connectorId: number, profile: ChargingProfile, source: 'api' | 'load-balancer' = 'api', timeoutMs?: number): Promise<StoredChargingProfile> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const res = await this.hub.call(chargePointId, 'SetChargingProfile', { connectorId, csChargingProfiles: profile }, timeoutMs);
    return this.domain.uow.run(() => this.domain.chargingProfiles.record(charger.id, connectorId, profile, res.status, source));
  }

  async clear(chargePointId: string, criteria: ClearCriteria): Promise<{ status: string; cleared: number }> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const res = await this.hub.call(chargePointId, 'ClearChargingProfile', criteria);
    const cleared = res.status === 'Accepted' ? await this.domain.uow.run(() => this.domain.chargingProfiles.clear(charger.id, criteria)) : 0;
    // The charger may have dropped the load balancer's profiles too: it sends them again.
    if (res.status === 'Accepted') this.domain.events.emit('chargingProfiles.cleared', { chargePointId });
    return { status: res.status, cleared };
  }

  compositeSchedule(chargePointId: string, req: CentralActions['GetCompositeSchedule']['request']) {
    return this.hub.call(chargePointId, 'GetCompositeSchedule', req);
  }

  stop(): void {
    this.unsubscribe();
  }
}
