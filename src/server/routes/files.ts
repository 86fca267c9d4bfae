// Firmware and diagnostics files. Operators upload firmware and fetch diagnostics through /api;
// chargers download firmware from and upload diagnostics to /files/... with the token in the URL
// (chargers cannot log in). Diagnostics go over HTTP PUT or POST only: FTP is out of scope.
import { HttpError, type ApiRequest, type Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { Files, type FileKind, type StoredFile } from '../../domain/files.js';
import { firstFilePart } from '../multipart.js';
import { bodySchema, chargerFacingBaseUrl, chargerOr404, intParam } from './chargerCalls.js';

const firmwareBody = bodySchema<{ fileId?: number; location?: string; retrieveDate?: string; retries?: number; retryInterval?: number }>({
  type: 'object', additionalProperties: false,
  properties: {
    fileId: { type: 'integer' }, location: { type: 'string', pattern: '^(https?|ftps?)://' },
    retrieveDate: { type: 'string', format: 'date-time' }, retries: { type: 'integer', minimum: 0, maximum: 100 },
    retryInterval: { type: 'integer', minimum: 0 },
  },
  oneOf: [{ required: ['fileId'] }, { required: ['location'] }],
});
const diagnosticsBody = bodySchema<{ startTime?: string; stopTime?: string; retries?: number; retryInterval?: number }>({
  type: 'object', additionalProperties: false,
  properties: {
    startTime: { type: 'string', format: 'date-time' }, stopTime: { type: 'string', format: 'date-time' },
    retries: { type: 'integer', minimum: 0, maximum: 100 }, retryInterval: { type: 'integer', minimum: 0 },
  },
});

export function registerFileRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'domain' | 'blocks'>): void {
  const { domain, blocks } = deps;
  const maxBodyBytes = deps.config.files.maxUploadMiB * 1024 * 1024;
  const names = () => new Map(domain.chargers.list().map((c) => [c.id, c.chargePointId]));
  const view = (f: StoredFile, n = names()) => ({ ...f, chargePointId: f.chargerId === null ? null : n.get(f.chargerId) ?? null });
  const fileOr404 = (id: string | undefined) => {
    const f = domain.files.byId(intParam(id, 'id') ?? -1);
    if (!f) throw new HttpError(404, 'file_not_found', `no file ${id}`);
    return f;
  };
  const download = (f: StoredFile) => ({
    raw: domain.files.read(f), contentType: 'application/octet-stream',
    headers: { 'Content-Disposition': `attachment; filename="${f.name}"`, 'X-Content-SHA256': f.sha256 },
  });

  // --- operators -------------------------------------------------------------------------------
  router.post('/api/admin/files/firmware', 'admin', async (req) => {
    const name = req.query.get('name') ?? '';
    if (!Files.isSafeName(name)) throw new HttpError(400, 'invalid_name', 'name= must be 1-128 of A-Z a-z 0-9 . _ - (not starting with a dot)');
    if (req.rawBody.length === 0) throw new HttpError(400, 'empty_file', 'send the firmware image as the request body (application/octet-stream)');
    const file = await domain.uow.run(() => domain.files.save('firmware', name, null, req.rawBody));
    return { status: 201, body: { file: view(file), url: blocks.firmware.firmwareUrl(chargerFacingBaseUrl(deps, req), file) } };
  }, { maxBodyBytes, rawBody: true });

  router.get('/api/admin/files', 'viewer', (req) => {
    const kind = req.query.get('kind');
    if (kind !== null && kind !== 'firmware' && kind !== 'diagnostics') throw new HttpError(400, 'invalid_parameter', 'kind must be firmware or diagnostics');
    const cp = req.query.get('chargePointId');
    const chargerId = cp ? chargerOr404(deps, cp).id : undefined;
    const n = names();
    return { body: { files: domain.files.list({ ...(kind ? { kind: kind as FileKind } : {}), chargerId }).map((f) => view(f, n)) } };
  });

  router.get('/api/admin/files/:id/content', 'viewer', (req) => download(fileOr404(req.params.id)));

  router.delete('/api/admin/files/:id', 'admin', async (req) => {
    const f = fileOr404(req.params.id);
    await domain.uow.run(() => domain.files.remove(f));
    return { status: 204 };
  });

  router.get('/api/admin/chargers/:chargePointId/firmware', 'viewer', (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    return { body: {
      chargePointId: c.chargePointId, firmwareVersion: c.firmwareVersion, firmwareStatus: c.firmwareStatus, diagnosticsStatus: c.diagnosticsStatus,
      diagnosticsFiles: domain.files.list({ kind: 'diagnostics', chargerId: c.id }).map((f) => view(f)),
    } };
  });

  router.post('/api/admin/chargers/:chargePointId/firmware', 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    const body = firmwareBody(req.body);
    let location = body.location;
    if (body.fileId !== undefined) {
      const f = fileOr404(String(body.fileId));
      if (f.kind !== 'firmware') throw new HttpError(400, 'not_firmware', `file ${f.id} is a ${f.kind} file`);
      location = blocks.firmware.firmwareUrl(chargerFacingBaseUrl(deps, req), f);
    }
    const { fileId: _, ...rest } = body;
    return { body: await blocks.firmware.updateFirmware(c.chargePointId, { ...rest, location: location! }) };
  });

  router.post('/api/admin/chargers/:chargePointId/diagnostics', 'admin', async (req) => {
    const c = chargerOr404(deps, req.params.chargePointId);
    const body = diagnosticsBody(req.body);
    return { body: await blocks.firmware.getDiagnostics(c.chargePointId, chargerFacingBaseUrl(deps, req), body) };
  });

  // --- chargers (no login: the token in the path is the credential) ---------------------------
  router.get('/files/firmware/:token/:name', 'public', (req) => {
    const name = req.params.name ?? '';
    const f = Files.isSafeName(name) ? domain.files.byName('firmware', name, null) : undefined;
    // The token names one version: a link issued before a re-upload no longer matches.
    if (!f || !domain.files.checkVersionToken(f, req.params.token ?? '')) throw notFound(req);
    return download(f);
  });

  const receiveDiagnostics = async (req: ApiRequest) => {
    const cp = req.params.chargePointId ?? '';
    const charger = domain.chargers.byChargePointId(cp);
    if (!charger || !domain.files.checkToken(`diagnostics:${cp}`, req.params.token ?? '')) throw notFound(req);
    const part = firstFilePart(req.headers['content-type'] ?? '', req.rawBody);
    const data = part?.data ?? req.rawBody;
    if (data.length === 0) throw new HttpError(400, 'empty_file', 'no file in the request body');
    const fallback = `diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    const name = Files.sanitize(req.params.name ?? part?.filename ?? '', fallback);
    const file = await domain.uow.run(() => domain.files.save('diagnostics', name, charger.id, data));
    return { status: 201, body: { name: file.name, size: file.size, sha256: file.sha256 } };
  };
  for (const path of ['/files/diagnostics/:chargePointId/:token', '/files/diagnostics/:chargePointId/:token/:name']) {
    router.put(path, 'public', receiveDiagnostics, { maxBodyBytes, rawBody: true });
    router.post(path, 'public', receiveDiagnostics, { maxBodyBytes, rawBody: true });
  }
}

// The same answer for a wrong token and a missing file: a URL reveals nothing unless it is exact.
const notFound = (req: ApiRequest) => new HttpError(404, 'not_found', `nothing at ${req.path}`);
