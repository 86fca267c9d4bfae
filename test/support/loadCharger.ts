// A charger for load-management e2e tests, on a real WebSocket (ChargePoint): it keeps the profiles it is
// sent by purpose and applies them as OCPP 1.6 says (TxProfile over TxDefaultProfile, the connector's own
// TxDefaultProfile over connector 0's, ChargePointMaxProfile capping both), its car draws on one or three
// phases, and it reports Current.Import per phase. It may also ignore profiles, or honour only one kind,
// as some real chargers do.
import { ChargePoint } from '../../src/sim/chargePoint.js';
import type { PhaseSet } from '../../src/domain/loadBalancing.js';
import type { TestSite } from './testSite.js';

type Purpose = 'TxProfile' | 'TxDefaultProfile' | 'ChargePointMaxProfile';

export interface LoadChargerOptions {
  /** The phases the car draws on. */
  carPhases?: PhaseSet;
  /** What the car takes at most (A per phase). */
  carMaxA?: number;
  obeys?: 'all' | 'none' | Purpose;
}

interface Stored { purpose: Purpose; connectorId: number; stackLevel: number; limit: number; transactionId?: number }

export class LoadCharger {
  cp!: ChargePoint;
  transactionId: number | undefined;
  readonly profiles = new Map<string, Stored>();
  private meterWh = 0;

  constructor(readonly id: string, readonly opts: LoadChargerOptions = {}) {}

  static async start(site: TestSite, id: string, opts: LoadChargerOptions = {}): Promise<LoadCharger> {
    const c = new LoadCharger(id, opts);
    await c.connect(site);
    await c.cp.call('BootNotification', { chargePointVendor: 'test', chargePointModel: 'load' });
    await c.cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: new Date().toISOString() });
    return c;
  }

  /** A (new) WebSocket for this charger; what it stored survives, like a charger's memory across a network drop. */
  async connect(site: TestSite): Promise<void> {
    this.cp = await site.connectCharger(this.id);
    this.cp.on('SetChargingProfile', (p: any) => {
      const cs = p.csChargingProfiles;
      this.profiles.set(`${cs.chargingProfileId}`, {
        purpose: cs.chargingProfilePurpose, connectorId: p.connectorId, stackLevel: cs.stackLevel,
        limit: cs.chargingSchedule.chargingSchedulePeriod[0].limit, transactionId: cs.transactionId,
      });
      return { status: 'Accepted' };
    });
    this.cp.on('ClearChargingProfile', () => { this.profiles.clear(); return { status: 'Accepted' }; });
  }

  private honours(purpose: Purpose): boolean {
    const o = this.opts.obeys ?? 'all';
    return o === 'all' || o === purpose;
  }

  /** The limit the charger applies on connector 1 now (A), Infinity when none. */
  limitA(): number {
    const all = [...this.profiles.values()].filter((p) => this.honours(p.purpose));
    const top = (ps: Stored[]) => ps.sort((a, b) => b.stackLevel - a.stackLevel)[0]?.limit;
    const tx = top(all.filter((p) => p.purpose === 'TxProfile' && p.transactionId === this.transactionId && this.transactionId !== undefined));
    const def = top(all.filter((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === 1)) ?? top(all.filter((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === 0));
    const max = top(all.filter((p) => p.purpose === 'ChargePointMaxProfile'));
    return Math.min(tx ?? def ?? Infinity, max ?? Infinity);
  }

  drawA(): number {
    if (this.transactionId === undefined) return 0;
    return Math.min(this.opts.carMaxA ?? 32, this.limitA());
  }

  phaseA(): [number, number, number] {
    const on = this.opts.carPhases ?? [true, true, true];
    const a = this.drawA();
    return on.map((x) => (x ? a : 0)) as [number, number, number];
  }

  async startSession(idTag: string): Promise<number> {
    const res = await this.cp.call('StartTransaction', { connectorId: 1, idTag, meterStart: Math.round(this.meterWh), timestamp: new Date().toISOString() });
    this.transactionId = res.transactionId;
    return res.transactionId;
  }

  async stopSession(): Promise<void> {
    const transactionId = this.transactionId;
    this.transactionId = undefined;
    await this.cp.call('StopTransaction', { transactionId, meterStop: Math.round(this.meterWh), timestamp: new Date().toISOString(), reason: 'Local' });
  }

  /** A MeterValues with Current.Import per phase (and the power it makes at 230 V). */
  async report(): Promise<void> {
    if (this.transactionId === undefined) return;
    const phases = this.phaseA();
    this.meterWh += 10;
    await this.cp.call('MeterValues', {
      connectorId: 1, transactionId: this.transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
        { value: String(Math.round(this.meterWh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: String(Math.round(phases.reduce((t, a) => t + a, 0) * 230)), measurand: 'Power.Active.Import', unit: 'W' },
        ...phases.map((a, i) => ({ value: a.toFixed(1), measurand: 'Current.Import', phase: `L${i + 1}`, unit: 'A' })),
      ] }],
    });
  }
}
