// Server-initiated OCPP commands as typed functions. The session validates both directions, logs every
// frame and rejects with ChargerOfflineError / CallTimeoutError / CallRejectedError; this file adds what
// the site must remember about an answer (availability, reported configuration, a rotated password).
import type { Domain } from '../domain/index.js';
import { ChargerSettings } from '../domain/chargerSettings.js';
import { hashPassword } from '../domain/passwords.js';
import type { ChargerHub } from './hub.js';
import type { ChargingProfile, DataTransferRequest, OutboundActions } from './types.js';

type Res<A extends keyof OutboundActions> = OutboundActions[A]['res'];

export type Availability = 'Operative' | 'Inoperative';
export type TriggerableMessage = 'BootNotification' | 'DiagnosticsStatusNotification' | 'FirmwareStatusNotification'
  | 'Heartbeat' | 'MeterValues' | 'StatusNotification';

export class ChargerCommands {
  private readonly settings: ChargerSettings;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub) {
    this.settings = new ChargerSettings(domain.db);
  }

  async remoteStart(cpId: string, req: { idTag: string; connectorId?: number; chargingProfile?: ChargingProfile }): Promise<Res<'RemoteStartTransaction'>> {
    return this.hub.call(cpId, 'RemoteStartTransaction', req);
  }

  async remoteStop(cpId: string, transactionId: number): Promise<Res<'RemoteStopTransaction'>> {
    return this.hub.call(cpId, 'RemoteStopTransaction', { transactionId });
  }

  /** Accepted: switched now; Scheduled: switches when the running session ends. Both are remembered. */
  async changeAvailability(cpId: string, connectorId: number, type: Availability): Promise<Res<'ChangeAvailability'>> {
    const res = await this.hub.call(cpId, 'ChangeAvailability', { connectorId, type });
    if (res.status !== 'Rejected') {
      const chargerId = this.chargerId(cpId);
      await this.domain.uow.run(() => this.settings.setAvailability(chargerId, connectorId, type, res.status === 'Scheduled'));
    }
    return res;
  }

  async reset(cpId: string, type: 'Hard' | 'Soft'): Promise<Res<'Reset'>> {
    return this.hub.call(cpId, 'Reset', { type });
  }

  async unlock(cpId: string, connectorId: number): Promise<Res<'UnlockConnector'>> {
    return this.hub.call(cpId, 'UnlockConnector', { connectorId });
  }

  /** Asks for some or all keys and stores what the charger reported. */
  async getConfiguration(cpId: string, keys?: string[]): Promise<Res<'GetConfiguration'>> {
    const res = await this.hub.call(cpId, 'GetConfiguration', keys?.length ? { key: keys } : {});
    const chargerId = this.chargerId(cpId);
    await this.domain.uow.run(() => this.settings.recordReported(chargerId, res.configurationKey ?? []));
    return res;
  }

  /**
   * Changes one key. AuthorizationKey is the charger's Basic-auth password (security profile 1/2): once
   * the charger accepts it, only the new one opens a connection. Rejected or NotSupported changes nothing
   * here; RebootRequired is stored (the charger has it, it applies after a reboot).
   */
  async changeConfiguration(cpId: string, key: string, value: string): Promise<Res<'ChangeConfiguration'>> {
    // Hashed before sending: a charger that reconnects right after accepting must find the new hash stored.
    const newHash = key === 'AuthorizationKey' ? await hashPassword(value) : undefined;
    const res = await this.hub.call(cpId, 'ChangeConfiguration', { key, value });
    const chargerId = this.chargerId(cpId);
    if (newHash !== undefined) {
      if (res.status === 'Accepted') await this.domain.uow.run(() => this.domain.chargerRegistry.setPasswordHash(chargerId, newHash));
    } else if (res.status === 'Accepted' || res.status === 'RebootRequired') {
      await this.domain.uow.run(() => this.settings.recordChanged(chargerId, key, value));
    }
    return res;
  }

  async clearCache(cpId: string): Promise<Res<'ClearCache'>> {
    return this.hub.call(cpId, 'ClearCache', {});
  }

  async triggerMessage(cpId: string, requestedMessage: TriggerableMessage, connectorId?: number): Promise<Res<'TriggerMessage'>> {
    return this.hub.call(cpId, 'TriggerMessage', connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId });
  }

  async dataTransfer(cpId: string, req: DataTransferRequest): Promise<Res<'DataTransfer'>> {
    return this.hub.call(cpId, 'DataTransfer', req);
  }

  configuration(chargerId: number) {
    return this.settings.configuration(chargerId);
  }

  private chargerId(cpId: string): number {
    const id = this.hub.get(cpId)?.chargerId ?? this.domain.chargers.byChargePointId(cpId)?.id;
    if (id === undefined) throw new Error(`unknown charger ${cpId}`);
    return id;
  }
}
