// Security profile 3: TLS with client certificates. uWebSockets.js verifies no client certificate and
// shows none to JavaScript, so this listener is Node's TLS: it accepts only certificates the site CA
// issued (a missing or foreign one fails the handshake), and hands the connection to a loopback-only
// uWS listener with the certificate's CN, the charger's address and a per-process secret added to the
// upgrade request. Admission then checks the CN against the charge point id (src/ocpp/admission.ts).
import { timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../log.js';

export const FRONT_HEADERS = { secret: 'x-ocpp-edge-front', clientCn: 'x-ocpp-edge-client-cn', clientIp: 'x-ocpp-edge-client-ip' } as const;
const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_TIMEOUT_MS = 10_000;

export interface MtlsFront { port: number; close(): void }

/** True when the request came through this process's front (the secret is never sent anywhere else). */
export function fromFront(secret: string | undefined, presented: string): boolean {
  if (!secret || presented.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(secret));
}

/** Adds the front's headers after the request line; drops any the client sent under the same names. */
export function rewriteHead(head: string, added: Record<string, string>): string {
  const [requestLine, ...lines] = head.split('\r\n');
  const ours = new Set(Object.values(FRONT_HEADERS));
  const kept = lines.filter((l) => !ours.has(l.slice(0, l.indexOf(':')).trim().toLowerCase() as never));
  return [requestLine, ...Object.entries(added).map(([k, v]) => `${k}: ${v}`), ...kept].join('\r\n');
}

export function startMtlsFront(opts: {
  host: string; port: number; certPem: Buffer; keyPem: Buffer; caPem: string; innerPort: number; secret: string; logger: Logger;
}): Promise<MtlsFront> {
  const { secret } = opts;
  const server = tls.createServer({ cert: opts.certPem, key: opts.keyPem, ca: opts.caPem, requestCert: true, rejectUnauthorized: true });
  server.on('tlsClientError', (err, socket) => {
    opts.logger.warn({ ip: socket.remoteAddress, reason: err.message }, 'profile-3 connection refused: no client certificate the site CA issued');
  });
  server.on('secureConnection', (client) => {
    const cn = (client.getPeerCertificate()?.subject as { CN?: string | string[] } | undefined)?.CN;
    const clientCn = Array.isArray(cn) ? cn[0] : cn;
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => client.destroy(), HEAD_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD_BYTES) client.destroy();
        return;
      }
      client.off('data', onData);
      client.pause();
      clearTimeout(timer);
      // Header values cannot carry CR/LF: a CN with them (or none) is passed as absent.
      const safeCn = clientCn && !/[\r\n]/.test(clientCn) ? clientCn : '';
      const head = rewriteHead(buffered.subarray(0, end).toString('latin1'), {
        [FRONT_HEADERS.secret]: secret, [FRONT_HEADERS.clientCn]: safeCn, [FRONT_HEADERS.clientIp]: client.remoteAddress ?? '',
      });
      const inner = net.connect(opts.innerPort, '127.0.0.1', () => {
        inner.write(Buffer.concat([Buffer.from(head, 'latin1'), buffered.subarray(end)]));
        client.pipe(inner).pipe(client);
        client.resume();
      });
      const closeBoth = () => { client.destroy(); inner.destroy(); };
      inner.on('error', closeBoth).on('close', closeBoth);
      client.on('error', closeBoth).on('close', closeBoth);
    };
    client.on('data', onData);
    client.on('error', () => { clearTimeout(timer); client.destroy(); });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => server.close() });
    });
  });
}
