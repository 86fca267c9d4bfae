// UpdateFirmware and GetDiagnostics, with the Pi itself as the file server: firmware is downloaded
// from /files/firmware/<token>/<name>, diagnostics are uploaded (HTTP PUT or POST; FTP is not offered)
// to /files/diagnostics/<chargePointId>/<token>/[<name>]. Tokens are HMACs, so URLs survive restarts.
// A firmware token names the file's version (its sha256): after a re-upload the old link answers 404
// rather than handing a charger bytes other than those it was told to install.
import type { Domain } from '../domain/index.js';
import type { StoredFile } from '../domain/files.js';
import type { ChargerHub } from './hub.js';

export interface FirmwareRequest { location: string; retrieveDate?: string; retries?: number; retryInterval?: number }
export interface DiagnosticsRequest { startTime?: string; stopTime?: string; retries?: number; retryInterval?: number }

export class FirmwareDesk {
  constructor(private readonly domain: Domain, private readonly hub: ChargerHub) {}

  firmwareUrl(baseUrl: string, file: StoredFile): string {
    return `${baseUrl}/files/firmware/${this.domain.files.versionToken(file)}/${encodeURIComponent(file.name)}`;
  }

  diagnosticsUrl(baseUrl: string, chargePointId: string): string {
    return `${baseUrl}/files/diagnostics/${encodeURIComponent(chargePointId)}/${this.domain.files.token(`diagnostics:${chargePointId}`)}/`;
  }

  async updateFirmware(chargePointId: string, req: FirmwareRequest): Promise<{ location: string; retrieveDate: string }> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const retrieveDate = new Date(req.retrieveDate ?? Date.now()).toISOString();
    await this.hub.call(chargePointId, 'UpdateFirmware', {
      location: req.location, retrieveDate,
      ...(req.retries !== undefined ? { retries: req.retries } : {}), ...(req.retryInterval !== undefined ? { retryInterval: req.retryInterval } : {}),
    });
    // Until the charger's first FirmwareStatusNotification, the page shows that we asked.
    await this.domain.uow.run(() => this.domain.chargers.setFirmwareStatus(charger.id, 'Requested'));
    return { location: req.location, retrieveDate };
  }

  async getDiagnostics(chargePointId: string, baseUrl: string, req: DiagnosticsRequest): Promise<{ location: string; fileName: string | null }> {
    const charger = this.domain.chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    const location = this.diagnosticsUrl(baseUrl, chargePointId);
    const res = await this.hub.call(chargePointId, 'GetDiagnostics', { location, ...req });
    await this.domain.uow.run(() => this.domain.chargers.setDiagnosticsStatus(charger.id, res.fileName ? 'Requested' : 'NoFile'));
    return { location, fileName: res.fileName ?? null };
  }
}
