// Security whitepaper certificate management: the site CA, chargers' signing requests, the CA
// certificates a charger trusts, extended triggers, security logs and signed firmware.
import { summarize } from '../../pki/siteCa.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema, chargerFacingBaseUrl, chargerOr404 } from './chargerCalls.js';
import type { RouteDeps } from './index.js';

const certificateType = { enum: ['CentralSystemRootCertificate', 'ManufacturerRootCertificate'] };
const pem = { type: 'string', minLength: 1, maxLength: 5500, pattern: '-----BEGIN CERTIFICATE-----' };
type TrustedType = 'CentralSystemRootCertificate' | 'ManufacturerRootCertificate';

const installBody = bodySchema<{ certificateType: TrustedType; certificate?: string }>({
  type: 'object', additionalProperties: false, required: ['certificateType'],
  properties: { certificateType, certificate: pem }, // no certificate: the site CA's
});
const listBody = bodySchema<{ certificateType: TrustedType }>({
  type: 'object', additionalProperties: false, required: ['certificateType'], properties: { certificateType },
});
const hashData = {
  type: 'object', additionalProperties: false, required: ['hashAlgorithm', 'issuerNameHash', 'issuerKeyHash', 'serialNumber'],
  properties: {
    hashAlgorithm: { enum: ['SHA256', 'SHA384', 'SHA512'] }, issuerNameHash: { type: 'string', maxLength: 128 },
    issuerKeyHash: { type: 'string', maxLength: 128 }, serialNumber: { type: 'string', maxLength: 40 },
  },
};
type HashData = { hashAlgorithm: 'SHA256' | 'SHA384' | 'SHA512'; issuerNameHash: string; issuerKeyHash: string; serialNumber: string };
const deleteBody = bodySchema<{ certificateHashData: HashData }>({
  type: 'object', additionalProperties: false, required: ['certificateHashData'], properties: { certificateHashData: hashData },
});
const TRIGGERS = ['BootNotification', 'LogStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'SignChargePointCertificate', 'StatusNotification'] as const;
const triggerBody = bodySchema<{ requestedMessage: (typeof TRIGGERS)[number]; connectorId?: number }>({
  type: 'object', additionalProperties: false, required: ['requestedMessage'],
  properties: { requestedMessage: { enum: TRIGGERS }, connectorId: { type: 'integer', minimum: 1, maximum: 100 } },
});
const getLogBody = bodySchema<{ logType: 'DiagnosticsLog' | 'SecurityLog'; oldestTimestamp?: string; latestTimestamp?: string; retries?: number; retryInterval?: number }>({
  type: 'object', additionalProperties: false, required: ['logType'],
  properties: {
    logType: { enum: ['DiagnosticsLog', 'SecurityLog'] }, oldestTimestamp: { type: 'string', format: 'date-time' },
    latestTimestamp: { type: 'string', format: 'date-time' }, retries: { type: 'integer', minimum: 0, maximum: 100 }, retryInterval: { type: 'integer', minimum: 0 },
  },
});
const signedFirmwareBody = bodySchema<{ fileId?: number; location?: string; retrieveDateTime?: string; installDateTime?: string; signingCertificate: string; signature: string; retries?: number; retryInterval?: number }>({
  type: 'object', additionalProperties: false, required: ['signingCertificate', 'signature'],
  properties: {
    fileId: { type: 'integer' }, location: { type: 'string', pattern: '^(https?|ftps?)://', maxLength: 512 },
    retrieveDateTime: { type: 'string', format: 'date-time' }, installDateTime: { type: 'string', format: 'date-time' },
    signingCertificate: pem, signature: { type: 'string', minLength: 1, maxLength: 800 },
    retries: { type: 'integer', minimum: 0, maximum: 100 }, retryInterval: { type: 'integer', minimum: 0 },
  },
  oneOf: [{ required: ['fileId'] }, { required: ['location'] }],
});

export function registerCertificateRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'domain' | 'blocks'>): void {
  const { domain, blocks } = deps;
  const desk = blocks.certificates;
  const base = '/api/admin/chargers/:chargePointId';
  const caView = () => {
    const ca = desk.ca.certificate();
    return { ca: ca ? { ...summarize(ca), pem: ca.toString() } : null };
  };

  router.get('/api/admin/pki', 'viewer', () => ({ body: caView() }));
  // Made once; a configured CA (pki.caCertFile) or an existing one is kept.
  router.post('/api/admin/pki/ca', 'admin', async () => {
    await desk.ca.ensure();
    return { status: 201, body: caView() };
  });

  router.get(`${base}/certificate-requests`, 'viewer', (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    const requests = domain.certificateRequests.list(c.id).map(({ csr: _csr, certificateChain, ...r }) => ({ ...r, hasCertificate: certificateChain !== null }));
    return { body: { requests } };
  });

  router.post(`${base}/certificates/install`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    const body = installBody(req.body);
    return { body: await desk.install(c.chargePointId, body.certificateType, body.certificate) };
  });

  router.post(`${base}/certificates/installed`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    return { body: await desk.installed(c.chargePointId, listBody(req.body).certificateType) };
  });

  router.post(`${base}/certificates/delete`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    return { body: await desk.remove(c.chargePointId, deleteBody(req.body).certificateHashData) };
  });

  router.post(`${base}/extended-trigger`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    return { body: await desk.trigger(c.chargePointId, triggerBody(req.body)) };
  });

  router.post(`${base}/logs`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    return { body: await desk.getLog(c.chargePointId, chargerFacingBaseUrl(deps, req), getLogBody(req.body)) };
  });

  router.post(`${base}/signed-firmware`, 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    const { fileId, location, retrieveDateTime, installDateTime, signingCertificate, signature, retries, retryInterval } = signedFirmwareBody(req.body);
    let url = location;
    if (fileId !== undefined) {
      const f = domain.files.byId(fileId);
      if (!f || f.kind !== 'firmware') throw new HttpError(400, 'not_firmware', `file ${fileId} is not an uploaded firmware image`);
      url = blocks.firmware.firmwareUrl(chargerFacingBaseUrl(deps, req), f);
    }
    return {
      body: await desk.signedUpdateFirmware(c.chargePointId, {
        firmware: { location: url!, retrieveDateTime: retrieveDateTime ?? new Date().toISOString(), signingCertificate, signature, ...(installDateTime ? { installDateTime } : {}) },
        ...(retries !== undefined ? { retries } : {}), ...(retryInterval !== undefined ? { retryInterval } : {}),
      }),
    };
  });
}
