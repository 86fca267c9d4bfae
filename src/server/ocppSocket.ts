// The OCPP-J WebSocket endpoint: /ocpp/{chargePointId}, subprotocol ocpp1.6, Basic auth (security
// profiles 1 and 2), then frames straight into the charger's OcppSession.
import type { TemplatedApp, WebSocket, HttpResponse, us_socket_context_t } from 'uWebSockets.js';
import type { Logger } from '../log.js';
import type { AdmitCharger, AdmittedCharger, ConnectionFacts } from '../ocpp/admission.js';
import type { ChargerHub } from '../ocpp/hub.js';
import type { OcppSession } from '../ocpp/session.js';
import { statusLine } from './http.js';
import { FRONT_HEADERS, fromFront } from './mtlsFront.js';
import { chargePointIdFromPath, pickSubprotocol, SUBPROTOCOL } from '../ocpp/compat/handshake.js';

export const OCPP_PATH_PREFIX = '/ocpp/';

interface SocketData { charger: AdmittedCharger; session?: OcppSession; closed: boolean; ip: string }

export interface OcppSocketOptions {
  /** Decides who may connect (registered id, password); see src/ocpp/admission.ts. */
  admit: AdmitCharger;
  hub: ChargerHub;
  logger: Logger;
  maxFrameBytes: number;
  /** StopTransaction/MeterValues/DataTransfer may be this large (see src/ocpp/compat/frameLimits.ts). */
  maxTransactionFrameBytes?: number;
  pingIntervalSec: number;
  /** Whether this listener is the TLS one (wss://): profile 2/3 chargers are admitted only there. */
  secure?: boolean;
  /** Set on the loopback listener behind the profile-3 front (mtlsFront.ts): only its requests are taken. */
  frontSecret?: string;
}

/**
 * Parses "Basic base64(user:password)"; undefined when absent or malformed. passwordBytes are the raw
 * bytes: a whitepaper charger sends its hex AuthorizationKey decoded (OCTT TC_085_CS), not valid UTF-8.
 */
export function parseBasicAuth(header: string): { username: string; password: string; passwordBytes: Buffer } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64');
  const colon = decoded.indexOf(0x3a); // the id has no colon; the key's bytes may
  if (colon < 0) return undefined;
  const passwordBytes = decoded.subarray(colon + 1);
  return { username: decoded.subarray(0, colon).toString('utf8'), password: passwordBytes.toString('utf8'), passwordBytes };
}

// What the upgrade needs from the request: uWS lets us read it only synchronously, inside the callback.
interface UpgradeRequest { url: string; key: string; protocols: string; extensions: string; authorization: string; ip: string; front?: { secret: string; clientCn: string; clientIp: string } }
// done: answered or upgraded, so nothing else may touch res.
interface UpgradeState { aborted: boolean; done: boolean }
const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="ocpp-edge"' };
// Admissions under way at once (each waits for the database, a legacy scrypt hash, a Pending registration):
// beyond this an upgrade is answered 503 at once, so a reconnect storm is served in waves the chargers retry
// (with jitter, Retry-After), instead of every handshake queueing past the chargers' own timeouts.
export const MAX_PENDING_ADMISSIONS = 64;

function refuse(res: HttpResponse, state: UpgradeState, status: number, message: string, extra: Record<string, string> = {}): void {
  if (state.aborted || state.done) return;
  state.done = true;
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('Content-Type', 'text/plain; charset=utf-8');
    for (const [k, v] of Object.entries(extra)) res.writeHeader(k, v);
    res.end(message, true);
  });
}

export function registerOcppSocket(app: TemplatedApp, opts: OcppSocketOptions): void {
  const { admit: admitCharger, hub, logger } = opts;
  // uWS closes a socket on a frame above maxPayloadLength; we allow more so the session can answer
  // an oversized CALL with a CALLERROR instead, and only truly huge frames drop the connection.
  // This is the hard cap a hostile frame cannot pass: uWS drops the connection before buffering more.
  const hardLimit = Math.max(opts.maxFrameBytes * 4, opts.maxTransactionFrameBytes ?? 0, 256 * 1024);
  const idleTimeout = Math.min(960, Math.max(8, opts.pingIntervalSec * 2 || 960));
  let pendingAdmissions = 0;

  /** Decides whether the charger may connect; a throw or rejection here is answered by the caller. */
  async function admit(res: HttpResponse, state: UpgradeState, context: us_socket_context_t, r: UpgradeRequest): Promise<void> {
    // How real chargers name themselves and their protocol is tolerated here (src/ocpp/compat/handshake.ts);
    // admission decides, knowing the charger, whether its mode allows what was tolerated.
    let path: ReturnType<typeof chargePointIdFromPath>;
    try { path = chargePointIdFromPath(r.url.slice(OCPP_PATH_PREFIX.length)); } catch {
      return refuse(res, state, 400, 'charge point id is not valid URL encoding');
    }
    if (!path) return refuse(res, state, 404, `no charger at ${r.url}`);
    const chargePointId = path.id;
    const subprotocol = pickSubprotocol(r.protocols);
    if (!subprotocol) {
      logger.warn({ chargePointId, ip: r.ip, offered: r.protocols }, 'connection refused: ocpp1.6 subprotocol not offered');
      return refuse(res, state, 400, `this Central System speaks only the ${SUBPROTOCOL} subprotocol`);
    }
    const tolerated = [...path.tolerated, ...subprotocol.tolerated];
    let connection: ConnectionFacts = { tls: opts.secure === true };
    if (opts.frontSecret !== undefined) {
      // The profile-3 listener: the front verified the certificate; anything else reaching this port is refused.
      if (!r.front || !fromFront(opts.frontSecret, r.front.secret)) return refuse(res, state, 403, 'this port only serves the client-certificate listener');
      connection = { tls: true, ...(r.front.clientCn ? { clientCertificateCn: r.front.clientCn } : {}) };
      r = { ...r, ip: r.front.clientIp || r.ip };
    }
    const admission = await admitCharger(chargePointId, parseBasicAuth(r.authorization), r.ip, tolerated, connection);
    if (state.aborted || state.done) return;
    if (!admission.admitted) return refuse(res, state, admission.status, admission.reason, admission.status === 401 ? BASIC_CHALLENGE : admission.headers ?? {});
    const { charger } = admission;
    state.done = true;
    // Not inside res.cork(): uWS then misreads the upgraded socket as an HTTP response and now and then
    // closes it right after open (uWebSockets issue #1928, fixed upstream in PR #1929).
    // No protocol in the answer when the charger offered none (RFC 6455: only one it offered may be named).
    res.upgrade<SocketData>({ charger, closed: false, ip: r.ip }, r.key, subprotocol.protocol, r.extensions, context);
  }

  app.ws<SocketData>(OCPP_PATH_PREFIX + '*', {
    compression: 0,
    maxPayloadLength: hardLimit,
    maxBackpressure: 4 * 1024 * 1024,
    idleTimeout,
    sendPingsAutomatically: opts.pingIntervalSec > 0,

    // Never throws: an exception escaping a uWS callback would end the process, so whatever goes wrong
    // while admitting a charger (storage trouble, a bug) is logged and answered 503; the charger retries.
    upgrade: (res, req, context: us_socket_context_t) => {
      const state: UpgradeState = { aborted: false, done: false };
      const failed = (err: unknown) => {
        logger.error({ err, url: request?.url, ip: request?.ip }, 'connection refused: internal error while admitting a charger');
        try { refuse(res, state, 503, 'the central system cannot admit this charger right now; retry later', { 'Retry-After': '30' }); } catch { /* socket gone */ }
      };
      let request: UpgradeRequest | undefined;
      try {
        res.onAborted(() => { state.aborted = true; });
        if (pendingAdmissions >= MAX_PENDING_ADMISSIONS) {
          return refuse(res, state, 503, 'the central system is admitting many chargers; retry later', { 'Retry-After': String(5 + Math.floor(Math.random() * 10)) });
        }
        request = {
          url: req.getUrl(), key: req.getHeader('sec-websocket-key'), protocols: req.getHeader('sec-websocket-protocol'),
          extensions: req.getHeader('sec-websocket-extensions'), authorization: req.getHeader('authorization'),
          ip: Buffer.from(res.getRemoteAddressAsText()).toString(),
          ...(opts.frontSecret !== undefined ? { front: {
            secret: req.getHeader(FRONT_HEADERS.secret), clientCn: req.getHeader(FRONT_HEADERS.clientCn), clientIp: req.getHeader(FRONT_HEADERS.clientIp),
          } } : {}),
        };
        pendingAdmissions++;
        admit(res, state, context, request).catch(failed).finally(() => { pendingAdmissions--; });
      } catch (err) {
        failed(err);
      }
    },

    open: (ws: WebSocket<SocketData>) => {
      const data = ws.getUserData();
      data.session = hub.attach(data.charger, {
        send: (text) => { if (!data.closed) ws.cork(() => ws.send(text, false)); },
        close: (code, reason) => { if (!data.closed) { data.closed = true; ws.end(code, reason); } },
      });
      logger.info({ chargePointId: data.charger.chargePointId, ip: data.ip }, 'charger connected');
    },

    message: (ws: WebSocket<SocketData>, message: ArrayBuffer) => {
      ws.getUserData().session?.onMessage(Buffer.from(message).toString('utf8'), message.byteLength);
    },

    // OCPP-J makes Heartbeat optional (1.6 §4.6: WebSocket pings keep the link), so a charger that
    // answers our pings is alive even if it sends no frame for hours.
    pong: (ws: WebSocket<SocketData>) => {
      const session = ws.getUserData().session;
      if (session) session.lastSeenAt = Date.now();
    },

    close: (ws: WebSocket<SocketData>, code: number) => {
      const data = ws.getUserData();
      data.closed = true;
      if (data.session) hub.detach(data.session);
      logger.info({ chargePointId: data.charger.chargePointId, code }, 'charger disconnected');
    },
  });
}
