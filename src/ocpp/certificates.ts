// Certificate management of the security whitepaper, Central System side: a stored CSR (SignCertificate)
// is signed by the site CA and delivered with CertificateSigned; operators install, list and delete the
// CA certificates a charger trusts, ask it for a new certificate (ExtendedTriggerMessage), fetch its
// security log (GetLog, uploaded to this Pi like diagnostics) and send signed firmware.
import type { Domain } from '../domain/index.js';
import type { Logger } from '../log.js';
import { CsrRefused, SiteCa } from '../pki/siteCa.js';
import type { CentralActions, ExtendedTriggerMessageRequest, GetLogRequest, SignedUpdateFirmwareRequest } from '../protocol/ocpp16/index.js';
import type { FirmwareDesk } from './firmware.js';
import type { ChargerHub } from './hub.js';

type Res<A extends keyof CentralActions> = CentralActions[A]['response'];
export type TrustedCertificateType = 'CentralSystemRootCertificate' | 'ManufacturerRootCertificate';

export class CertificateDesk {
  private readonly unsubscribe: () => void;
  private nextRequestId = Date.now() % 1_000_000;

  constructor(
    private readonly domain: Domain, private readonly hub: ChargerHub, readonly ca: SiteCa,
    private readonly firmware: FirmwareDesk, private readonly logger: Logger,
  ) {
    // Outcomes are stored on the request; only a write that cannot happen (database closed) is left to the log.
    this.unsubscribe = domain.events.on('certificate.requested', ({ chargePointId, requestId }) => {
      this.signAndDeliver(chargePointId, requestId).catch((err) => logger.error({ err, chargePointId, requestId }, 'certificate request not settled'));
    });
  }

  /** Signs a stored CSR and sends the chain; every outcome is stored on the request, none throws. */
  async signAndDeliver(chargePointId: string, requestId: number): Promise<void> {
    const request = this.domain.certificateRequests.byId(requestId);
    if (!request) return;
    const { certificateRequests, uow } = this.domain;
    let chainPem: string;
    try {
      const signed = await this.ca.sign(request.csr, chargePointId);
      chainPem = signed.chainPem;
      await uow.run(() => certificateRequests.signed(requestId, signed.certificate, chainPem));
    } catch (err) {
      const reason = err instanceof CsrRefused ? err.message : `the site CA could not sign it: ${(err as Error).message}`;
      this.logger.warn({ chargePointId, requestId, reason }, 'certificate signing request refused');
      await uow.run(() => certificateRequests.settle(requestId, err instanceof CsrRefused ? 'Refused' : 'Failed', reason));
      return;
    }
    try {
      const res = await this.hub.call(chargePointId, 'CertificateSigned', { certificateChain: chainPem });
      await uow.run(() => certificateRequests.settle(requestId, res.status === 'Accepted' ? 'Installed' : 'RejectedByCharger',
        res.status === 'Accepted' ? undefined : 'the charger refused the signed certificate (CertificateSigned Rejected)'));
      this.logger.info({ chargePointId, requestId, status: res.status }, 'signed certificate delivered');
    } catch (err) {
      // It asks again after its CertSigningWaitMinimum; the signed certificate stays on the request.
      await uow.run(() => certificateRequests.settle(requestId, 'Failed', `not delivered: ${(err as Error).message}`));
    }
  }

  /** Default: the site CA, so the charger can check this Central System (profile 2/3). */
  async install(cpId: string, certificateType: TrustedCertificateType, certificatePem?: string): Promise<Res<'InstallCertificate'>> {
    const certificate = certificatePem ?? (await this.ca.ensure()).toString();
    return this.hub.call(cpId, 'InstallCertificate', { certificateType, certificate });
  }

  async installed(cpId: string, certificateType: TrustedCertificateType): Promise<Res<'GetInstalledCertificateIds'>> {
    return this.hub.call(cpId, 'GetInstalledCertificateIds', { certificateType });
  }

  async remove(cpId: string, certificateHashData: CentralActions['DeleteCertificate']['request']['certificateHashData']): Promise<Res<'DeleteCertificate'>> {
    return this.hub.call(cpId, 'DeleteCertificate', { certificateHashData });
  }

  async trigger(cpId: string, req: ExtendedTriggerMessageRequest): Promise<Res<'ExtendedTriggerMessage'>> {
    return this.hub.call(cpId, 'ExtendedTriggerMessage', req);
  }

  /** The log is uploaded to this Pi, to the same place as diagnostics (listed under files). */
  async getLog(cpId: string, baseUrl: string, req: Omit<GetLogRequest, 'requestId' | 'log'> & { oldestTimestamp?: string; latestTimestamp?: string }): Promise<Res<'GetLog'> & { requestId: number; remoteLocation: string }> {
    const charger = this.requireCharger(cpId);
    const requestId = this.newRequestId();
    const remoteLocation = this.firmware.diagnosticsUrl(baseUrl, cpId);
    const { oldestTimestamp, latestTimestamp, ...rest } = req;
    const res = await this.hub.call(cpId, 'GetLog', {
      ...rest, requestId, log: { remoteLocation, ...(oldestTimestamp ? { oldestTimestamp } : {}), ...(latestTimestamp ? { latestTimestamp } : {}) },
    });
    if (res.status !== 'Rejected') await this.domain.uow.run(() => this.domain.chargers.setDiagnosticsStatus(charger.id, 'Requested'));
    return { ...res, requestId, remoteLocation };
  }

  async signedUpdateFirmware(cpId: string, req: Omit<SignedUpdateFirmwareRequest, 'requestId'>): Promise<Res<'SignedUpdateFirmware'> & { requestId: number }> {
    const charger = this.requireCharger(cpId);
    const requestId = this.newRequestId();
    const res = await this.hub.call(cpId, 'SignedUpdateFirmware', { ...req, requestId });
    if (res.status === 'Accepted' || res.status === 'AcceptedCanceled') await this.domain.uow.run(() => this.domain.chargers.setFirmwareStatus(charger.id, 'Requested'));
    return { ...res, requestId };
  }

  stop(): void {
    this.unsubscribe();
  }

  private newRequestId(): number {
    this.nextRequestId = (this.nextRequestId + 1) % 2_000_000_000;
    return this.nextRequestId;
  }

  private requireCharger(cpId: string) {
    const charger = this.domain.chargers.byChargePointId(cpId);
    if (!charger) throw new Error(`unknown charger ${cpId}`);
    return charger;
  }
}
