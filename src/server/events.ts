// GET /api/events: the domain's committed events pushed to the admin page as Server-Sent Events.
// A streaming reply cannot go through the JSON Router (it answers whole replies), so this registers
// its own uWS route; it asks the Router's authenticate hook, so the cookie/token rules are the same.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { EventBus } from '../domain/events.js';
import type { Logger } from '../log.js';
import { errorReply, sendReply, statusLine, type ApiRequest, type Router } from './http.js';

/** `request` is kept so its credential can be asked again while the stream is open. */
interface Client { res: HttpResponse; request: ApiRequest; aborted: boolean; stalledSince?: number }

export interface LiveEventsOptions {
  events: EventBus;
  router: Router;
  logger: Logger;
  /**
   * A comment line this often keeps proxies and NAT from dropping an idle stream; each time, every
   * stream's credential is checked again (an expired login or a token revoked by another process).
   */
  keepAliveMs?: number;
  /** A client that has not taken data for this long is dropped (it reconnects and reloads). */
  stallLimitMs?: number;
}

export const EVENTS_PATH = '/api/events';

/**
 * One SSE message: {"type": <event name>, "data": ...} on one line. Unnamed (no `event:` field) so the
 * page's single onmessage sees every kind, including kinds added to the bus later.
 */
export const sseFrame = (type: string, data: unknown) => `data: ${JSON.stringify({ type, data })}\n\n`;

export class LiveEvents {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly keepAlive: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: LiveEventsOptions) {
    // Serialize only when someone listens: every OCPP frame raises an event.
    const forward = opts.events.onAny((name, data) => {
      if (this.clients.size > 0 && name !== 'access.changed') this.broadcast(sseFrame(name, data));
    });
    // A logout, a revoked token or a disabled user ends the streams it opened now, not at the next keep-alive.
    const recheck = opts.events.on('access.changed', () => this.recheck());
    this.unsubscribe = () => { forward(); recheck(); };
    this.keepAlive = setInterval(() => { this.broadcast(': keep-alive\n\n'); this.recheck(); }, opts.keepAliveMs ?? 25_000);
    this.keepAlive.unref();
  }

  get clientCount(): number { return this.clients.size; }

  /** Registers the stream route on a uWS app (call before its catch-all route). */
  register(app: TemplatedApp, secure: boolean): void {
    app.get(EVENTS_PATH, (res, req) => this.open(res, req, secure));
  }

  private open(res: HttpResponse, req: HttpRequest, secure: boolean): void {
    const headers: Record<string, string> = {};
    req.forEach((k, v) => { headers[k] = v; });
    const request: ApiRequest = {
      method: 'GET', path: EVENTS_PATH, params: {}, query: new URLSearchParams(req.getQuery() ?? ''), headers,
      body: undefined, rawBody: Buffer.alloc(0), ip: Buffer.from(res.getRemoteAddressAsText()).toString(), secure,
    };
    const client: Client = { res, request, aborted: false };
    res.onAborted(() => { client.aborted = true; this.clients.delete(client); });
    const shuttingDown = { status: 503, body: { error: { code: 'shutting_down', message: 'the server is shutting down' } } };
    if (this.closed) return sendReply(res, client, shuttingDown);
    void (async () => {
      try {
        await this.opts.router.authenticate(request, 'viewer');
      } catch (err) {
        return sendReply(res, client, errorReply(err));
      }
      if (this.closed) return sendReply(res, client, shuttingDown);
      if (client.aborted) return;
      res.cork(() => {
        res.writeStatus(statusLine(200));
        res.writeHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.writeHeader('Cache-Control', 'no-store');
        res.writeHeader('X-Content-Type-Options', 'nosniff');
        res.writeHeader('X-Accel-Buffering', 'no');
        // retry: how soon the browser reconnects by itself after a drop.
        res.write(`retry: 3000\n\n${sseFrame('hello', { role: request.principal?.role ?? null, user: request.principal?.name ?? null })}`);
      });
      this.clients.add(client);
    })();
  }

  private broadcast(frame: string): void {
    const now = Date.now();
    for (const client of this.clients) {
      if (client.aborted) { this.clients.delete(client); continue; }
      if (client.stalledSince !== undefined && now - client.stalledSince > (this.opts.stallLimitMs ?? 30_000)) {
        this.end(client);
        continue;
      }
      let ok = true;
      client.res.cork(() => { ok = client.res.write(frame); });
      if (!ok && client.stalledSince === undefined) {
        client.stalledSince = now;
        client.res.onWritable(() => { client.stalledSince = undefined; return true; });
      }
    }
  }

  /**
   * Asks the Router's authenticate hook again for every open stream and ends those it now refuses. The
   * browser then reconnects by itself, gets the 401, and the page goes back to its login form.
   */
  recheck(): void {
    for (const client of [...this.clients]) {
      void (async () => { await this.opts.router.authenticate(client.request, 'viewer'); })().catch(() => {
        this.opts.logger.debug({ user: client.request.principal?.name }, 'live stream ended: its login or token is no longer valid');
        this.end(client);
      });
    }
  }

  private end(client: Client): void {
    this.clients.delete(client);
    if (client.aborted) return;
    client.aborted = true;
    try { client.res.cork(() => client.res.end()); } catch { /* already gone */ }
  }

  /** Ends every stream (on shutdown: open streams would keep the process alive). */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.keepAlive);
    for (const client of [...this.clients]) this.end(client);
  }
}
