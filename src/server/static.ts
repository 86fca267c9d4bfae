// The admin page's files: held in memory with their gzip form computed once, served with long caching
// for content-hashed assets, no-cache for index.html (every page route gets it: the app routes itself),
// and security headers that allow only this origin.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import type { Logger } from '../log.js';
import { statusLine } from './http.js';

interface StaticFile { body: Buffer; gzip?: Buffer; type: string; etag: string; immutable: boolean }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Paths the page never owns: the API, the charger socket and metrics answer (or 404) themselves. */
const NOT_PAGE = /^\/(api|ocpp|metrics)(\/|$)/;

export class StaticSite {
  private readonly files = new Map<string, StaticFile>();

  /** names are URL paths without the leading slash ("index.html", "assets/main-X.js"). */
  constructor(files: Map<string, Buffer>) {
    for (const [name, body] of files) {
      const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
      const compressible = /^(text\/|application\/(manifest\+)?json|image\/svg)/.test(type);
      const gz = compressible ? zlib.gzipSync(body, { level: 9 }) : undefined;
      this.files.set('/' + name, {
        body, type, gzip: gz && gz.length < body.length ? gz : undefined,
        etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`,
        immutable: name.startsWith('assets/'),
      });
    }
    if (!this.files.has('/index.html')) throw new Error('admin page bundle has no index.html');
    // Browsers and phones ask for /favicon.ico whatever the page links; the PNG icon answers it as
    // image/png (every browser reads a PNG there), so that request is not a 404 in every log.
    const png = this.files.get('/icon-192.png');
    if (png && !this.files.has('/favicon.ico')) this.files.set('/favicon.ico', png);
  }

  static fromDir(dir: string): StaticSite {
    const files = new Map<string, Buffer>();
    const walk = (rel: string) => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const name = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(name);
        else files.set(name, fs.readFileSync(path.join(dir, name)));
      }
    };
    walk('');
    return new StaticSite(files);
  }

  /** The file for a GET path: an exact file, or index.html for an extension-less page route. */
  lookup(urlPath: string): StaticFile | undefined {
    if (NOT_PAGE.test(urlPath)) return undefined;
    const exact = this.files.get(urlPath === '/' ? '/index.html' : urlPath);
    if (exact) return exact;
    return path.posix.extname(urlPath) === '' ? this.files.get('/index.html') : undefined;
  }
}

export interface StaticRequest { method: string; path: string; acceptEncoding: string; ifNoneMatch: string }

export function readStaticRequest(req: HttpRequest): StaticRequest {
  return {
    method: req.getCaseSensitiveMethod().toUpperCase(), path: req.getUrl(),
    acceptEncoding: req.getHeader('accept-encoding'), ifNoneMatch: req.getHeader('if-none-match'),
  };
}

export function writeStaticFile(res: HttpResponse, r: StaticRequest, file: StaticFile): void {
  const gzip = file.gzip && /\bgzip\b/.test(r.acceptEncoding);
  const notModified = r.ifNoneMatch !== '' && r.ifNoneMatch === file.etag;
  res.cork(() => {
    res.writeStatus(statusLine(notModified ? 304 : 200));
    res.writeHeader('Content-Type', file.type);
    res.writeHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.writeHeader('ETag', file.etag);
    res.writeHeader('Vary', 'Accept-Encoding');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.writeHeader(k, v);
    if (notModified) { res.endWithoutBody(); return; }
    if (gzip) res.writeHeader('Content-Encoding', 'gzip');
    const body = gzip ? file.gzip! : file.body;
    // uWS finishes a response only with endWithoutBody() without arguments: given a length it leaves the
    // request unanswered and the process aborts. The length goes in as a header instead.
    if (r.method === 'HEAD') res.writeHeader('Content-Length', String(body.length)).endWithoutBody();
    else res.end(body);
  });
}

function writeText(res: HttpResponse, r: StaticRequest, status: number, text: string): void {
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('Content-Type', 'text/plain; charset=utf-8').writeHeader('Cache-Control', 'no-store');
    if (r.method === 'HEAD') res.writeHeader('Content-Length', String(Buffer.byteLength(text))).endWithoutBody();
    else res.end(text);
  });
}

export interface StaticOptions {
  logger: Logger;
  /** A built bundle (npm run build:web). Default: `web/` beside the running bundle (dist/web). */
  webDir?: string;
  /** Build web/ in memory on first request instead (default when running from TypeScript source). */
  fromSource?: boolean;
}

const runningFromSource = import.meta.url.endsWith('.ts');

/**
 * The ServerParts.serveStatic hook. From source, the page is bundled by esbuild in memory on the first
 * request (about a second), so tests and `npm start` always serve the current web/ with no build step.
 */
export function createStaticServer(opts: StaticOptions): (res: HttpResponse, req: HttpRequest) => boolean {
  let site: StaticSite | undefined;
  let loading: Promise<StaticSite> | undefined;
  let failure: string | undefined;
  let load: (() => Promise<StaticSite>) | undefined;
  if (opts.fromSource ?? runningFromSource) {
    // Lazily, on the first page request: most test sites never ask for the page.
    load = () => loading ??= (async () => {
      // Computed URL: keeps the packaging bundler from pulling esbuild into the production bundle.
      const buildScript = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/build-web.mjs')).href;
      const { bundleWeb } = await import(buildScript) as { bundleWeb: (o?: object) => Promise<Map<string, Buffer>> };
      return new StaticSite(await bundleWeb());
    })().then((s) => { site = s; return s; }, (err) => {
      failure = `admin page build failed: ${(err as Error).message}`;
      opts.logger.error({ err }, 'admin page build failed');
      throw err;
    });
  } else {
    const dir = opts.webDir ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'web');
    if (fs.existsSync(path.join(dir, 'index.html'))) site = StaticSite.fromDir(dir);
    else {
      failure = `admin page not built: no ${path.join(dir, 'index.html')} (run npm run build:web)`;
      opts.logger.warn(failure);
    }
  }

  return (res, req) => {
    const r = readStaticRequest(req);
    if (r.method !== 'GET' && r.method !== 'HEAD') return false;
    if (site) {
      const file = site.lookup(r.path);
      if (!file) return false;
      writeStaticFile(res, r, file);
      return true;
    }
    if (NOT_PAGE.test(r.path)) return false;
    if (failure || !load) { writeText(res, r, 503, failure ?? 'admin page unavailable'); return true; }
    let aborted = false;
    res.onAborted(() => { aborted = true; });
    load().then((s) => {
      if (aborted) return;
      const file = s.lookup(r.path);
      if (file) writeStaticFile(res, r, file);
      else writeText(res, r, 404, `nothing at ${r.path}`);
    }, () => { if (!aborted) writeText(res, r, 503, failure ?? 'admin page build failed'); });
    return true;
  };
}
