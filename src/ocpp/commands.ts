// Server-initiated OCPP commands as typed functions. The session validates both directions, logs every
// frame and rejects with ChargerOfflineError / CallTimeoutError / CallRejectedError; this file adds what
// the site must remember about an answer (availability, reported configuration, a rotated password).
import type { Domain } from '../domain/index.js';
import type { ChargerSettings } from '../domain/chargerSettings.js';
import type { ChargerHub } from './hub.js';
import type { ChargingProfile, DataTransferRequest, CentralActions } from '../protocol/ocpp16/index.js';

type Res<A extends keyof CentralActions> = CentralActions[A]['response'];

export type Availability = 'Operative' | 'Inoperative';
export type TriggerableMessage = 'BootNotification' | 'DiagnosticsStatusNotification' | 'FirmwareStatusNotification'
  | 'Heartbeat' | 'MeterValues' | 'StatusNotification';

export class ChargerCommands {
  private readonly settings: ChargerSettings;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub) {
    this.settings = domain.chargerSettings;
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
   * Changes one key; Accepted and RebootRequired are stored (RebootRequired applies after a reboot).
   * AuthorizationKey is the charger's password and is never stored in clear: see rotatePassword.
   */
  async changeConfiguration(cpId: string, key: string, value: string): Promise<Res<'ChangeConfiguration'>> {
    if (key === 'AuthorizationKey') return this.rotatePassword(cpId, value);
    const res = await this.hub.call(cpId, 'ChangeConfiguration', { key, value });
    if (res.status === 'Accepted' || res.status === 'RebootRequired') {
      const chargerId = this.chargerId(cpId);
      await this.domain.uow.run(() => this.settings.recordChanged(chargerId, key, value));
    }
    return res;
  }

  /**
   * AuthorizationKey rotation (security profile 1/2 Basic-auth password). Accepted: the charger uses the
   * new key from now on, the old one stops working. RebootRequired, or no usable answer (timeout, lost
   * connection, CALLERROR, a malformed reply): the charger has the key or may have it, and switches
   * later; both keys open a connection until it first connects with the new one (ChargerPasswords).
   * Rejected or NotSupported: nothing changes.
   */
  private async rotatePassword(cpId: string, value: string): Promise<Res<'ChangeConfiguration'>> {
    const newHash = this.domain.chargers.passwords.hash(value);
    const chargerId = this.chargerId(cpId);
    const passwords = this.domain.chargers.passwords;
    // Valid before the call goes out: a charger that switches and reconnects before its answer reaches
    // us is let in. Not when it is offline: then nothing is sent.
    if (this.hub.get(cpId)) await this.domain.uow.run(() => passwords.beginRotation(chargerId, newHash));
    const res = await this.hub.call(cpId, 'ChangeConfiguration', { key: 'AuthorizationKey', value });
    if (res.status === 'Accepted') await this.domain.uow.run(() => passwords.switchTo(chargerId, newHash));
    else if (res.status !== 'RebootRequired') await this.domain.uow.run(() => passwords.abandonRotation(chargerId, newHash));
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
