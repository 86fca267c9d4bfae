// A small JSON router over uWS: explicit routes, body parsing with a size cap, uniform errors
// ({"error": {"code", "message", "details"}}, mapped in errors.ts), and the uWS rules (onAborted, cork) kept in one place.
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { HttpError, toHttpError } from './errors.js';

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Buffer;
  ip: string;
  secure: boolean;
  /** Set by the authenticate hook. */
  principal?: Principal;
}

export interface Principal { kind: 'session' | 'token' | 'setup'; name: string; role: 'admin' | 'viewer'; userId?: number; csrfToken?: string; sessionId?: string }

export interface ApiReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON. */
  raw?: string | Buffer;
  contentType?: string;
}

export type RouteHandler = (req: ApiRequest) => ApiReply | Promise<ApiReply>;

/** Who may call a route: anyone, any logged-in user, or admins only. */
export type Access = 'public' | 'viewer' | 'admin';

export { HttpError };

/** Per-route exceptions: file uploads need a bigger body and accept any content type (kept raw). */
export interface RouteOptions { maxBodyBytes?: number; rawBody?: boolean }

interface Route extends RouteOptions { method: string; path: string; pattern: RegExp; names: string[]; handler: RouteHandler; access: Access }

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
export const statusLine = (status: number) => `${status} ${STATUS_TEXT[status] ?? ''}`.trim();

export type Authenticate = (req: ApiRequest, access: Access) => void | Promise<void>;

export class Router {
  private readonly routes: Route[] = [];
  authenticate: Authenticate = () => {};
  onError: (err: unknown, req: ApiRequest) => void = () => {};

  constructor(readonly maxBodyBytes = 1024 * 1024) {}

  add(method: string, path: string, access: Access, handler: RouteHandler, opts: RouteOptions = {}): this {
    const names: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; }) + '/?$');
    this.routes.push({ method, path, pattern, names, handler, access, ...opts });
    return this;
  }

  get(path: string, access: Access, h: RouteHandler) { return this.add('GET', path, access, h); }
  post(path: string, access: Access, h: RouteHandler, opts?: RouteOptions) { return this.add('POST', path, access, h, opts); }
  put(path: string, access: Access, h: RouteHandler, opts?: RouteOptions) { return this.add('PUT', path, access, h, opts); }
  patch(path: string, access: Access, h: RouteHandler) { return this.add('PATCH', path, access, h); }
  delete(path: string, access: Access, h: RouteHandler) { return this.add('DELETE', path, access, h); }

  /** What is registered, in order (read-only: for tests that walk the whole API surface). */
  list(): Array<{ method: string; path: string; access: Access; rawBody: boolean }> {
    return this.routes.map((r) => ({ method: r.method, path: r.path, access: r.access, rawBody: r.rawBody === true }));
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | 'malformed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, string> = {};
      for (const [i, name] of route.names.entries()) {
        // Anyone can send "%E0%A4%A": a URIError here, in the uWS callback, would end the process.
        try { params[name] = decodeURIComponent(m[i + 1]!); } catch { return 'malformed'; }
      }
      return { route, params };
    }
    return pathMatched ? 'method' : undefined;
  }

  /** The uWS entry point; returns false when no route matches the path (so static files can answer). */
  handle(res: HttpResponse, req: HttpRequest, secure: boolean): boolean {
    const method = req.getCaseSensitiveMethod().toUpperCase();
    const path = req.getUrl();
    const found = this.match(method, path);
    if (!found) return false;
    const head = method === 'HEAD';
    const headers: Record<string, string> = {};
    req.forEach((k, v) => { headers[k] = v; });
    const request: ApiRequest = {
      method, path, params: {}, query: new URLSearchParams(req.getQuery() ?? ''), headers, body: undefined,
      rawBody: Buffer.alloc(0), ip: Buffer.from(res.getRemoteAddressAsText()).toString(), secure,
    };
    const state = { aborted: false };
    res.onAborted(() => { state.aborted = true; });
    if (found === 'method') {
      sendReply(res, state, errorReply(new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`)), head);
      return true;
    }
    if (found === 'malformed') {
      sendReply(res, state, errorReply(new HttpError(400, 'malformed_path', `${path} has an invalid percent-encoding`)), head);
      return true;
    }
    request.params = found.params;
    const limit = found.route.maxBodyBytes ?? this.maxBodyBytes;
    readBody(res, limit, (body, tooLarge) => {
      if (tooLarge) return sendReply(res, state, errorReply(new HttpError(413, 'body_too_large', `request body over ${limit} bytes`)), head);
      request.rawBody = body;
      void this.run(found.route, request).then((reply) => sendReply(res, state, reply, head));
    });
    return true;
  }

  private async run(route: Route, req: ApiRequest): Promise<ApiReply> {
    try {
      // Credentials first: a caller without them gets a 401 whatever the body, and learns nothing from its checks.
      await this.authenticate(req, route.access);
      if (!route.rawBody) req.body = jsonBody(req); // raw routes (uploads) read rawBody themselves
      return await route.handler(req);
    } catch (err) {
      if (!toHttpError(err)) this.onError(err, req);
      return errorReply(err);
    }
  }
}

/** The parsed JSON body; a non-empty body that is not JSON is a 415 on the methods that carry one. */
function jsonBody(req: ApiRequest): unknown {
  if (req.rawBody.length === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json') || type.includes('+json')) {
    try { return JSON.parse(req.rawBody.toString('utf8')); } catch (err) {
      throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  // Ignored rather than acted on as if empty: a form or a file sent to a JSON route is the caller's mistake.
  if (['POST', 'PUT', 'PATCH'].includes(req.method)) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  return undefined;
}

export function errorReply(err: unknown): ApiReply {
  const http = toHttpError(err);
  if (http) {
    return { status: http.status, body: { error: { code: http.code, message: http.message, ...(http.details !== undefined ? { details: http.details } : {}) } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'internal error; see the server log' } } };
}

function readBody(res: HttpResponse, limit: number, done: (body: Buffer, tooLarge: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  res.onData((chunk, isLast) => {
    if (!over) {
      size += chunk.byteLength;
      if (size > limit) over = true;
      else chunks.push(Buffer.from(chunk.slice(0))); // uWS reuses the chunk memory: copy it
    }
    if (isLast) done(Buffer.concat(chunks), over);
  });
}

/** head: the request was a HEAD, answered with the GET route's headers and no body (a body would corrupt the connection). */
export function sendReply(res: HttpResponse, state: { aborted: boolean }, reply: ApiReply, head = false): void {
  if (state.aborted) return;
  const status = reply.status ?? 200;
  const isRaw = reply.raw !== undefined;
  const body = isRaw ? reply.raw! : reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.cork(() => {
    res.writeStatus(statusLine(status));
    res.writeHeader('Content-Type', reply.contentType ?? (isRaw ? 'text/plain; charset=utf-8' : 'application/json'));
    res.writeHeader('Cache-Control', 'no-store');
    res.writeHeader('X-Content-Type-Options', 'nosniff');
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.writeHeader(k, v);
    if (head) res.writeHeader('Content-Length', String(Buffer.byteLength(body))).endWithoutBody();
    else res.end(body);
  });
}
