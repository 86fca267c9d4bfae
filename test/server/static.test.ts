// The admin page's files over real HTTP: SPA fallback, caching, gzip, content types, security headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import uWS, { type UWS } from '../../src/server/uws.js';
import { createLogger } from '../../src/log.js';
import { createStaticServer } from '../../src/server/static.js';
import { startTestSite } from '../support/testSite.js';

/** Raw GET (fetch would hide Content-Encoding by decoding it). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('the admin page is served from source: index for page routes, hashed assets cached, gzip, CSP', async () => {
  await using site = await startTestSite();
  const index = await get(`${site.baseUrl}/`);
  assert.equal(index.status, 200);
  assert.match(String(index.headers['content-type']), /^text\/html/);
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(String(index.headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(index.headers['content-security-policy']), /script-src 'self';/);
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  const html = index.body.toString();
  const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
  const style = /href="(\/assets\/main-[A-Z0-9]+\.css)"/.exec(html)?.[1];
  assert.ok(script && style, `index.html names hashed assets: ${html}`);

  const route = await get(`${site.baseUrl}/chargers/CP-1`);
  assert.equal(route.status, 200, 'a page route gets index.html');
  assert.equal(route.body.toString(), html);

  const js = await get(site.baseUrl + script, { 'accept-encoding': 'gzip, deflate' });
  assert.equal(js.status, 200);
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.headers['content-encoding'], 'gzip');
  const plainJs = zlib.gunzipSync(js.body);
  assert.ok(plainJs.length > js.body.length, 'gzip makes it smaller');
  const identity = await get(site.baseUrl + script);
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.deepEqual(identity.body, plainJs);

  const css = await get(site.baseUrl + style);
  assert.match(String(css.headers['content-type']), /^text\/css/);

  const again = await get(`${site.baseUrl}/`, { 'if-none-match': String(index.headers.etag) });
  assert.equal(again.status, 304);

  // Asked for by browsers and phones whatever the page links (issue 16): the PNG icon, public, with the
  // same revalidation and security headers as the other fixed-name files.
  const favicon = await get(`${site.baseUrl}/favicon.ico`);
  assert.equal(favicon.status, 200);
  assert.match(String(favicon.headers['content-type']), /^image\//);
  assert.ok(favicon.body.length > 0, 'favicon has a body');
  assert.deepEqual(favicon.body.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a real PNG');
  assert.equal(favicon.headers['cache-control'], 'no-cache');
  assert.equal(favicon.headers['content-security-policy'], index.headers['content-security-policy']);
  assert.equal(favicon.headers['x-content-type-options'], 'nosniff');
  assert.equal((await get(`${site.baseUrl}/favicon.ico`, { 'if-none-match': String(favicon.headers.etag) })).status, 304);

  const missingAsset = await get(`${site.baseUrl}/assets/nope-123.js`);
  assert.equal(missingAsset.status, 404);
  const api = await get(`${site.baseUrl}/api/no-such-route`);
  assert.equal(api.status, 404);
  assert.match(String(api.headers['content-type']), /application\/json/, 'API paths never get the page');
});

/** A bare uWS app with only the static hook, as the production bundle would run it. */
async function serveOnly(serveStatic: ReturnType<typeof createStaticServer>) {
  const app = uWS.App();
  app.any('/*', (res, req) => { if (!serveStatic(res, req)) res.cork(() => res.writeStatus('404 Not Found').end('none')); });
  const socket = await new Promise<UWS.us_listen_socket>((resolve, reject) => app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('listen')))));
  return { base: `http://127.0.0.1:${uWS.us_socket_local_port(socket)}`, close: () => uWS.us_listen_socket_close(socket) };
}

test('a built bundle (npm run build:web) is served from its directory; a missing one says how to build it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-web-'));
  try {
    // @ts-expect-error: plain .mjs build script without types
    const { buildWeb } = await import('../../scripts/build-web.mjs');
    const sizes = await buildWeb(dir);
    assert.ok(sizes.totalGzipBytes < 60 * 1024, `admin page within its 60 KB gzip budget (${sizes.totalGzipBytes} B)`);
    const built = await serveOnly(createStaticServer({ logger: createLogger('silent'), webDir: dir, fromSource: false }));
    try {
      const index = await get(`${built.base}/transactions/12`);
      assert.equal(index.status, 200);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body.toString())![1]!;
      assert.ok(fs.existsSync(path.join(dir, script)), 'index.html points at a file that was written');
      assert.equal((await get(built.base + script)).status, 200);
      const favicon = await get(`${built.base}/favicon.ico`);
      assert.equal(favicon.status, 200, 'the built bundle answers /favicon.ico too');
      assert.equal(favicon.headers['content-type'], 'image/png');
    } finally { built.close(); }

    const missing = await serveOnly(createStaticServer({ logger: createLogger('silent'), webDir: path.join(dir, 'nope'), fromSource: false }));
    try {
      const r = await get(`${missing.base}/`);
      assert.equal(r.status, 503);
      assert.match(r.body.toString(), /admin page not built.*npm run build:web/);
      assert.equal((await get(`${missing.base}/api/x`)).status, 404, 'API paths are not answered by the page');
    } finally { missing.close(); }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
