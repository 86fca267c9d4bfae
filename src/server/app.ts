// The one uWS app: OCPP WebSocket, JSON API, metrics and the admin page's static files.
import uWS, { type UWS } from './uws.js';
import type { Logger } from '../log.js';
import type { Config } from '../config.js';
import { registerOcppSocket, type OcppSocketOptions } from './ocppSocket.js';
import { errorReply, HttpError, Router, sendReply } from './http.js';
import { checkTlsFiles } from './tlsFiles.js';
import { StartupError } from '../startupError.js';
import { startMtlsFront, type MtlsFront } from './mtlsFront.js';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

export interface HttpServer {
  port: number;
  tlsPort?: number;
  /** The profile-3 listener (client certificates), when http.tls.mtlsPort is set. */
  mtlsPort?: number;
  /** Stops accepting; open connections stay (chargers are closed with 1001 by the hub first). */
  close(): void;
  /** Ends every connection still open (idle keep-alive HTTP, sockets that did not close): the last step of a stop. */
  terminate(): void;
}

export interface ServerParts {
  config: Config;
  logger: Logger;
  router: Router;
  ocpp: Omit<OcppSocketOptions, 'logger'>;
  /** Serves the admin page; returns false when it has nothing for the path. */
  serveStatic?: (res: UWS.HttpResponse, req: UWS.HttpRequest) => boolean;
  /** Streaming routes (e.g. GET /api/events) registered on the uWS app ahead of the catch-all. */
  registerStreams?: (app: UWS.TemplatedApp, secure: boolean) => void;
  /** The CA whose certificates the profile-3 listener accepts (the site CA), as PEM. */
  clientCaPem?: () => Promise<string>;
}

function buildApp(app: UWS.TemplatedApp, parts: ServerParts, secure: boolean): UWS.TemplatedApp {
  registerOcppSocket(app, { ...parts.ocpp, logger: parts.logger, secure });
  parts.registerStreams?.(app, secure);
  app.any('/*', (res, req) => {
    if (parts.router.handle(res, req, secure)) return;
    if (parts.serveStatic?.(res, req)) return;
    const head = req.getCaseSensitiveMethod().toUpperCase() === 'HEAD'; // a body after a HEAD reply would be read as the next reply
    sendReply(res, { aborted: false }, errorReply(new HttpError(404, 'not_found', `nothing at ${req.getUrl()}`)), head);
  });
  return app;
}

function listen(app: UWS.TemplatedApp, host: string, port: number): Promise<UWS.us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => {
      if (socket) resolve(socket);
      else reject(new StartupError(`cannot listen on ${host}:${port} (in use, or a privileged port without the capability)`));
    });
  });
}

export async function startHttpServer(parts: ServerParts): Promise<HttpServer> {
  const { http } = parts.config;
  const sockets: UWS.us_listen_socket[] = [];
  const apps: UWS.TemplatedApp[] = [];
  let port = 0;
  let tlsPort: number | undefined;
  // Checked before anything listens, so a bad certificate path leaves no half-started server behind.
  if (http.tls.enabled) {
    const cert = checkTlsFiles(http.tls.certFile, http.tls.keyFile);
    if (cert.daysLeft < 14) parts.logger.warn({ subject: cert.subject, validTo: cert.validTo }, `TLS certificate expires in ${cert.daysLeft} days`);
  }
  if (!http.tls.enabled || http.tls.plainHttp) {
    const app = buildApp(uWS.App(), parts, false);
    apps.push(app);
    const socket = await listen(app, http.host, http.port);
    sockets.push(socket);
    port = uWS.us_socket_local_port(socket);
  }
  if (http.tls.enabled) {
    const app = uWS.SSLApp({ cert_file_name: http.tls.certFile, key_file_name: http.tls.keyFile });
    apps.push(app);
    const socket = await listen(buildApp(app, parts, true), http.host, http.tls.port);
    sockets.push(socket);
    tlsPort = uWS.us_socket_local_port(socket);
  }
  let front: MtlsFront | undefined;
  if (http.tls.enabled && http.tls.mtlsPort !== undefined && parts.clientCaPem) {
    // Profile 3: Node's TLS checks the client certificate, then hands the upgrade to a loopback-only uWS
    // listener that serves nothing but OCPP and takes only requests carrying the front's secret.
    const secret = randomBytes(24).toString('hex');
    const inner = uWS.App();
    registerOcppSocket(inner, { ...parts.ocpp, logger: parts.logger, secure: true, frontSecret: secret });
    inner.any('/*', (res) => sendReply(res, { aborted: false }, errorReply(new HttpError(404, 'not_found', 'this port serves OCPP only'))));
    apps.push(inner);
    const innerSocket = await listen(inner, '127.0.0.1', 0);
    sockets.push(innerSocket);
    front = await startMtlsFront({
      host: http.host, port: http.tls.mtlsPort, certPem: fs.readFileSync(http.tls.certFile!), keyPem: fs.readFileSync(http.tls.keyFile!),
      caPem: await parts.clientCaPem(), innerPort: uWS.us_socket_local_port(innerSocket), secret, logger: parts.logger,
    });
  }
  return {
    port, tlsPort, ...(front ? { mtlsPort: front.port } : {}),
    close: () => { front?.close(); for (const s of sockets) uWS.us_listen_socket_close(s); sockets.length = 0; },
    terminate: () => { for (const app of apps.splice(0)) app.close(); },
  };
}
