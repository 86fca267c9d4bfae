// A simulated charge point with N connectors that behaves like a real one: boots, reports status,
// runs sessions with meter values, and obeys the CSMS's remote commands and charging limits.
import { ChargePoint, type ChargePointOptions } from './chargePoint.js';
import { answerOptionalProfiles } from './simulatedBlocks.js';
import { SimulatedLocalList, type LocalListOptions } from './simulatedLocalList.js';

export interface SimOptions extends ChargePointOptions, LocalListOptions {
  connectors?: number;
  /** Seconds between MeterValues during a session. */
  meterIntervalSec?: number;
  /** Power drawn when unconstrained (W). */
  powerW?: number;
  vendor?: string;
  model?: string;
  log?: (line: string) => void;
  /** Called after a charging profile changed what a connector may draw (tests watch the site's sum). */
  onLimitChange?: (sim: SimulatedCharger) => void;
}

export interface ConnectorState {
  status: string; transactionId?: number; meterWh: number; timer?: NodeJS.Timeout; limitW?: number; idTag?: string;
  /** A reservation the connector holds (ReserveNow) and for whom. */
  reservationId?: number; reservedFor?: string;
}

const iso = () => new Date().toISOString();

export class SimulatedCharger {
  cp!: ChargePoint;
  readonly connectors: ConnectorState[] = [];
  readonly localList: SimulatedLocalList;
  heartbeatTimer?: NodeJS.Timeout;
  private readonly log: (line: string) => void;

  constructor(readonly opts: SimOptions) {
    for (let i = 0; i <= (opts.connectors ?? 1); i++) this.connectors.push({ status: 'Available', meterWh: 0 });
    this.log = opts.log ?? (() => {});
    this.localList = new SimulatedLocalList(opts);
  }

  get id(): string { return this.opts.id; }

  async start(): Promise<void> {
    this.cp = await ChargePoint.connect(this.opts);
    this.answerCommands();
    const boot = await this.cp.call('BootNotification', { chargePointVendor: this.opts.vendor ?? 'ocpp-edge', chargePointModel: this.opts.model ?? 'Simulator' });
    this.log(`${this.id}: boot ${boot.status}, heartbeat every ${boot.interval} s`);
    this.heartbeatTimer = setInterval(() => { this.cp.call('Heartbeat', {}).catch(() => {}); }, Math.max(1, boot.interval) * 1000);
    this.heartbeatTimer.unref();
    // Pending or Rejected: the CSMS answers nothing but BootNotification and Heartbeat until it accepts us.
    if (boot.status !== 'Accepted') return;
    for (let c = 0; c < this.connectors.length; c++) await this.setStatus(c, 'Available');
  }

  async setStatus(connectorId: number, status: string, errorCode = 'NoError'): Promise<void> {
    this.connectors[connectorId]!.status = status;
    await this.cp.call('StatusNotification', { connectorId, errorCode, status, timestamp: iso() });
  }

  /** Plug in, authorize, start; returns the transaction id (or undefined if refused). */
  async startSession(connectorId: number, idTag: string): Promise<number | undefined> {
    const c = this.connectors[connectorId]!;
    if (c.reservationId !== undefined && c.reservedFor !== idTag) {
      this.log(`${this.id}#${connectorId}: reserved for someone else, ${idTag} refused`);
      return undefined;
    }
    await this.setStatus(connectorId, 'Preparing');
    const auth = await this.cp.call('Authorize', { idTag });
    if (auth.idTagInfo.status !== 'Accepted') {
      this.log(`${this.id}#${connectorId}: ${idTag} refused (${auth.idTagInfo.status})`);
      await this.setStatus(connectorId, 'Available');
      return undefined;
    }
    const reservation = c.reservationId === undefined ? {} : { reservationId: c.reservationId };
    c.reservationId = undefined;
    c.reservedFor = undefined;
    const res = await this.cp.call('StartTransaction', { connectorId, idTag, meterStart: Math.round(c.meterWh), timestamp: iso(), ...reservation });
    if (res.idTagInfo.status !== 'Accepted') {
      await this.cp.call('StopTransaction', { transactionId: res.transactionId, meterStop: Math.round(c.meterWh), timestamp: iso(), reason: 'DeAuthorized' });
      await this.setStatus(connectorId, 'Available');
      return undefined;
    }
    c.transactionId = res.transactionId;
    c.idTag = idTag;
    await this.setStatus(connectorId, 'Charging');
    const interval = (this.opts.meterIntervalSec ?? 10) * 1000;
    let last = Date.now();
    c.timer = setInterval(() => {
      const now = Date.now();
      const power = this.powerOf(c);
      c.meterWh += (power * (now - last)) / 3_600_000;
      last = now;
      this.sendMeterValues(connectorId, power).catch(() => {});
    }, interval);
    this.log(`${this.id}#${connectorId}: session ${res.transactionId} started for ${idTag}`);
    return res.transactionId;
  }

  powerOf(c: ConnectorState): number {
    const wanted = this.opts.powerW ?? 7400;
    return c.limitW === undefined ? wanted : Math.min(wanted, c.limitW);
  }

  async sendMeterValues(connectorId: number, powerW: number): Promise<void> {
    const c = this.connectors[connectorId]!;
    if (c.transactionId === undefined) return;
    await this.cp.call('MeterValues', {
      connectorId, transactionId: c.transactionId,
      meterValue: [{ timestamp: iso(), sampledValue: [
        { value: String(Math.round(c.meterWh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
        { value: String(Math.round(powerW)), measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
      ] }],
    });
  }

  async stopSession(connectorId: number, reason = 'Local'): Promise<void> {
    const c = this.connectors[connectorId]!;
    if (c.transactionId === undefined) return;
    clearInterval(c.timer);
    const transactionId = c.transactionId;
    c.transactionId = undefined;
    await this.cp.call('StopTransaction', { transactionId, meterStop: Math.round(c.meterWh), timestamp: iso(), reason, idTag: c.idTag });
    await this.setStatus(connectorId, 'Finishing');
    await this.setStatus(connectorId, 'Available');
    this.log(`${this.id}#${connectorId}: session ${transactionId} stopped (${reason})`);
  }

  /** What a well-behaved charger answers to the CSMS. */
  private answerCommands(): void {
    const cp = this.cp;
    cp.on('RemoteStartTransaction', (p: { connectorId?: number; idTag: string }) => {
      const connectorId = p.connectorId ?? this.connectors.findIndex((c, i) => i > 0 && c.transactionId === undefined && c.status === 'Available');
      if (connectorId < 1 || this.connectors[connectorId]?.transactionId !== undefined) return { status: 'Rejected' };
      setTimeout(() => { this.startSession(connectorId, p.idTag).catch(() => {}); }, 50);
      return { status: 'Accepted' };
    });
    cp.on('RemoteStopTransaction', (p: { transactionId: number }) => {
      const connectorId = this.connectors.findIndex((c) => c.transactionId === p.transactionId);
      if (connectorId < 0) return { status: 'Rejected' };
      setTimeout(() => { this.stopSession(connectorId, 'Remote').catch(() => {}); }, 50);
      return { status: 'Accepted' };
    });
    cp.on('ChangeAvailability', (p: { connectorId: number; type: string }) => {
      const targets = p.connectorId === 0 ? this.connectors.map((_, i) => i) : [p.connectorId];
      if (targets.some((i) => this.connectors[i]?.transactionId !== undefined)) return { status: 'Scheduled' };
      setTimeout(() => {
        for (const i of targets) this.setStatus(i, p.type === 'Inoperative' ? 'Unavailable' : 'Available').catch(() => {});
      }, 50);
      return { status: 'Accepted' };
    });
    cp.on('Reset', () => ({ status: 'Accepted' }));
    cp.on('UnlockConnector', () => ({ status: 'Unlocked' }));
    cp.on('ClearCache', () => ({ status: 'Accepted' }));
    cp.on('GetConfiguration', (p: { key?: string[] }) => {
      const all = [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'MeterValueSampleInterval', readonly: false, value: String(this.opts.meterIntervalSec ?? 10) },
        { key: 'NumberOfConnectors', readonly: true, value: String(this.connectors.length - 1) },
        ...this.localList.configurationKeys(),
      ];
      // Asked for some keys: those it has, and the rest named as unknown (OCPP 1.6 GetConfiguration.conf).
      if (!p.key?.length) return { configurationKey: all };
      const unknownKey = p.key.filter((k) => !all.some((c) => c.key === k));
      return { configurationKey: all.filter((c) => p.key!.includes(c.key)), ...(unknownKey.length ? { unknownKey } : {}) };
    });
    cp.on('ChangeConfiguration', () => ({ status: 'Accepted' }));
    cp.on('TriggerMessage', (p: { requestedMessage: string; connectorId?: number }) => {
      if (p.requestedMessage === 'Heartbeat') setTimeout(() => { cp.call('Heartbeat', {}).catch(() => {}); }, 20);
      else if (p.requestedMessage === 'StatusNotification') {
        const c = p.connectorId ?? 0;
        setTimeout(() => { this.setStatus(c, this.connectors[c]?.status ?? 'Available').catch(() => {}); }, 20);
      } else return { status: 'NotImplemented' };
      return { status: 'Accepted' };
    });
    cp.on('DataTransfer', () => ({ status: 'UnknownVendorId' }));
    cp.on('SetChargingProfile', (p: { connectorId: number; csChargingProfiles: { chargingSchedule: { chargingRateUnit: string; chargingSchedulePeriod: Array<{ limit: number; numberPhases?: number }> } } }) => {
      const sched = p.csChargingProfiles.chargingSchedule;
      const limit = sched.chargingSchedulePeriod[0]?.limit ?? 0;
      const phases = sched.chargingSchedulePeriod[0]?.numberPhases ?? 3;
      const limitW = sched.chargingRateUnit === 'W' ? limit : limit * 230 * phases;
      const targets = p.connectorId === 0 ? this.connectors.slice(1) : [this.connectors[p.connectorId]].filter(Boolean) as ConnectorState[];
      for (const c of targets) c.limitW = limitW;
      this.opts.onLimitChange?.(this);
      return { status: 'Accepted' };
    });
    cp.on('ClearChargingProfile', () => {
      for (const c of this.connectors) c.limitW = undefined;
      this.opts.onLimitChange?.(this);
      return { status: 'Accepted' };
    });
    this.localList.answer(cp);
    answerOptionalProfiles(this);
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    for (const c of this.connectors) clearInterval(c.timer);
    await this.cp?.close();
  }
}
