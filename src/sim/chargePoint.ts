// A charge point's side of OCPP-J 1.6 over a real WebSocket: used by the simulator, the benchmark,
// demo mode and the tests. Knows nothing of the server's internals.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface ChargePointOptions {
  /** e.g. ws://localhost:8080/ocpp */
  baseUrl: string;
  id: string;
  password?: string;
  protocols?: string[];
  callTimeoutMs?: number;
  /** For wss:// with a private or self-signed CA (security profile 2). */
  ca?: string | Buffer;
  /** Appended to the URL after the id (a quirky charger's trailing slash; src/sim/quirks.ts). */
  pathSuffix?: string;
  /** Rewrites each call's payload before it is sent (a quirky charger's deviations; src/sim/quirks.ts). */
  rewrite?: (action: string, payload: object) => object;
  /** The Basic-auth password as raw bytes (a whitepaper charger sends its hex AuthorizationKey decoded); wins over password. */
  passwordBytes?: Buffer;
  /** Client certificate and key (PEM) for security profile 3. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Source address to connect from (tests of per-address throttling use 127.0.0.x). */
  localAddress?: string;
}

export class CallErrorReply extends Error {
  constructor(readonly code: string, readonly description: string, readonly details: unknown) {
    super(`${code}: ${description}`);
  }
}

export type IncomingHandler = (payload: any, action: string) => object | Promise<object>;

export class ChargePoint {
  private ws!: WebSocket;
  private readonly pending = new Map<string, { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout | undefined }>();
  /** Answers to the CSMS's calls, by action; an action without one is answered NotImplemented. */
  readonly handlers = new Map<string, IncomingHandler>();
  /** Every call the CSMS sent us, in order. */
  readonly received: Array<{ action: string; payload: any }> = [];
  closeCode: number | undefined;
  private closedWaiters: Array<(code: number) => void> = [];

  private constructor(readonly opts: ChargePointOptions) {}

  static async connect(opts: ChargePointOptions): Promise<ChargePoint> {
    const cp = new ChargePoint(opts);
    await cp.open();
    return cp;
  }

  get url(): string { return `${this.opts.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(this.opts.id)}${this.opts.pathSuffix ?? ''}`; }

  private open(): Promise<void> {
    const headers: Record<string, string> = {};
    const secret = this.opts.passwordBytes ?? (this.opts.password === undefined ? undefined : Buffer.from(this.opts.password));
    if (secret) headers.authorization = 'Basic ' + Buffer.concat([Buffer.from(`${this.opts.id}:`), secret]).toString('base64');
    const { ca, cert, key, localAddress } = this.opts;
    this.ws = new WebSocket(this.url, this.opts.protocols ?? ['ocpp1.6'], {
      headers, perMessageDeflate: false, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(localAddress ? { localAddress } : {}),
    });
    this.ws.on('message', (data) => this.onMessage(data.toString()));
    this.ws.on('close', (code) => {
      this.closeCode = code;
      for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new Error(`connection closed (${code})`)); }
      this.pending.clear();
      for (const w of this.closedWaiters.splice(0)) w(code);
    });
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c; });
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, headers: res.headers })));
      });
      this.ws.once('error', reject);
    });
  }

  /** Sends a CALL and resolves with the CALLRESULT payload; rejects with CallErrorReply on a CALLERROR. */
  call<T = any>(action: string, payload: object, id: string = randomUUID()): Promise<T> {
    const sent = this.opts.rewrite ? this.opts.rewrite(action, payload) : payload;
    return this.sendRaw(JSON.stringify([2, id, action, sent]), id);
  }

  /** Sends any text and waits for the reply carrying `id` (for malformed-frame tests). */
  sendRaw<T = any>(text: string, id: string): Promise<T> {
    return new Promise((resolve, reject) => {
      // callTimeoutMs 0: no timer per call (the benchmark sends thousands a second and watches for itself).
      const timeoutMs = this.opts.callTimeoutMs ?? 10_000;
      const timer = timeoutMs > 0 ? setTimeout(() => { this.pending.delete(id); reject(new Error(`no reply to ${id}`)); }, timeoutMs) : undefined;
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(text);
    });
  }

  /** Fire and forget (for frames that get no answer). */
  sendText(text: string): void { this.ws.send(text); }

  on(action: string, handler: IncomingHandler): this {
    this.handlers.set(action, handler);
    return this;
  }

  private async onMessage(text: string): Promise<void> {
    let msg: any;
    try { msg = JSON.parse(text); } catch { return; }
    const [type, id] = msg;
    if (type === 3 || type === 4) {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (type === 3) p.resolve(msg[2]);
      else p.reject(new CallErrorReply(msg[2], msg[3], msg[4]));
      return;
    }
    if (type === 2) {
      const [, , action, payload] = msg;
      this.received.push({ action, payload });
      const handler = this.handlers.get(action);
      if (!handler) return this.ws.send(JSON.stringify([4, id, 'NotImplemented', `${action} not implemented by simulator`, {}]));
      try {
        const result = await handler(payload, action);
        if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify([3, id, result]));
      } catch (err) {
        this.ws.send(JSON.stringify([4, id, 'InternalError', (err as Error).message, {}]));
      }
    }
  }

  get isOpen(): boolean { return this.ws.readyState === WebSocket.OPEN; }

  waitClosed(): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  close(code = 1000): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(this.closeCode ?? code);
    const done = this.waitClosed();
    this.ws.close(code);
    return done;
  }

  /** Drops the TCP connection without a close frame (power cut, lost network). */
  terminate(): void { this.ws.terminate(); }
}
