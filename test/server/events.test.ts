// GET /api/events over a real uWS socket: auth through the Router's hook, committed domain events
// pushed as SSE, keep-alive comments, clean close on shutdown and on client abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import uWS, { type UWS } from '../../src/server/uws.js';
import { EventBus } from '../../src/domain/events.js';
import { createLogger } from '../../src/log.js';
import { HttpError, Router } from '../../src/server/http.js';
import { LiveEvents } from '../../src/server/events.js';
import { startTestSite } from '../support/testSite.js';

async function startStream(opts: { keepAliveMs?: number } = {}) {
  const events = new EventBus();
  const router = new Router();
  const valid = new Set(['Bearer good']);
  router.authenticate = (req, access) => {
    if (!valid.has(req.headers.authorization ?? '')) throw new HttpError(401, 'unauthenticated', 'log in first');
    req.principal = { kind: 'token', name: 'tester', role: 'viewer' };
    assert.equal(access, 'viewer');
  };
  const live = new LiveEvents({ events, router, logger: createLogger('silent'), keepAliveMs: opts.keepAliveMs });
  const app = uWS.App();
  live.register(app, false);
  const socket = await new Promise<UWS.us_listen_socket>((resolve, reject) => app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('listen')))));
  const port = uWS.us_socket_local_port(socket);
  return { events, live, port, valid, close: () => { live.close(); uWS.us_listen_socket_close(socket); } };
}

/** Opens the stream and collects its text; resolves `until` when the text matches. */
function openStream(port: number, headers: Record<string, string>) {
  let text = '';
  let waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  const ended = { value: false };
  let abort = () => {};
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events', headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; waiters = waiters.filter((w) => (w.re.test(text) ? (w.resolve(), false) : true)); });
      res.on('end', () => { ended.value = true; });
      resolve(res);
    });
    req.on('error', reject);
    abort = () => req.destroy();
  });
  const stream = {
    response, ended, abort: () => abort(),
    get text() { return text; },
    until(re: RegExp, ms = 5000): Promise<void> {
      if (re.test(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`stream never showed ${re}; got: ${text}`)), ms);
        waiters.push({ re, resolve: () => { clearTimeout(t); resolve(); } });
      });
    },
  };
  return stream;
}

test('a stream without valid credentials gets the router’s 401 JSON error', async () => {
  const s = await startStream();
  try {
    const stream = openStream(s.port, {});
    const res = await stream.response;
    assert.equal(res.statusCode, 401);
    await stream.until(/"code":"unauthenticated"/);
    assert.equal(s.live.clientCount, 0);
  } finally { s.close(); }
});

test('domain events arrive as SSE messages; keep-alives flow; abort and shutdown release clients', async () => {
  const s = await startStream({ keepAliveMs: 50 });
  try {
    const stream = openStream(s.port, { authorization: 'Bearer good' });
    const res = await stream.response;
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    await stream.until(/"type":"hello","data":\{"role":"viewer","user":"tester"\}/);
    s.events.emit('connector.status', { chargePointId: 'CP-9', connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    await stream.until(/data: \{"type":"connector.status","data":\{"chargePointId":"CP-9","connectorId":1,"status":"Charging"/);
    await stream.until(/: keep-alive\n\n/);
    assert.equal(s.live.clientCount, 1);
    stream.abort();
    for (let i = 0; i < 100 && s.live.clientCount > 0; i++) { s.events.emit('idTags.changed', {}); await new Promise((r) => setTimeout(r, 10)); }
    assert.equal(s.live.clientCount, 0, 'an aborted client is forgotten');

    const second = openStream(s.port, { authorization: 'Bearer good' });
    await second.until(/"type":"hello"/);
    s.live.close();
    for (let i = 0; i < 100 && !second.ended.value; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(second.ended.value, true, 'close() ends open streams');
  } finally { s.close(); }
});

test('on the real site, a charger connecting is pushed to /api/events', async () => {
  await using site = await startTestSite();
  const token = site.createToken('viewer');
  const stream = openStream(site.server.port, { authorization: `Bearer ${token}` });
  assert.equal((await stream.response).statusCode, 200);
  await stream.until(/"type":"hello"/);
  await site.connectCharger('CP-LIVE');
  await stream.until(/"type":"charger.connected","data":\{"chargePointId":"CP-LIVE"\}/);
});

test('a credential that stops being valid ends its stream at the next keep-alive; valid ones stay', async () => {
  const s = await startStream({ keepAliveMs: 50 });
  try {
    s.valid.add('Bearer other');
    const doomed = openStream(s.port, { authorization: 'Bearer good' });
    const kept = openStream(s.port, { authorization: 'Bearer other' });
    await doomed.until(/"type":"hello"/);
    await kept.until(/"type":"hello"/);
    s.valid.delete('Bearer good'); // e.g. revoked by the CLI in another process: no event reaches us
    for (let i = 0; i < 200 && !doomed.ended.value; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(doomed.ended.value, true, 'the stream of the revoked credential ended');
    assert.equal(kept.ended.value, false);
    assert.equal(s.live.clientCount, 1);
  } finally { s.close(); }
});

test('on the real site, revoking a token or logging out ends the streams they opened at once', async () => {
  await using site = await startTestSite();
  const created = await site.api('/api/admin/tokens', { body: { name: 'dashboard screen', role: 'viewer' } });
  assert.equal(created.status, 201);
  const stream = openStream(site.server.port, { authorization: `Bearer ${created.body.token}` });
  await stream.until(/"type":"hello"/);
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'viewer' });
  const login = await site.api('/api/auth/login', { body: { username: 'staff', password: 'correct horse battery' }, token: null });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const browser = openStream(site.server.port, { cookie });
  await browser.until(/"type":"hello","data":\{"role":"viewer","user":"staff"\}/);

  // The default keep-alive is 25 s: ending within 2 s means the revocation itself ended it.
  assert.equal((await site.api(`/api/admin/tokens/${created.body.apiToken.id}`, { method: 'DELETE' })).status, 200);
  for (let i = 0; i < 200 && !stream.ended.value; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(stream.ended.value, true, 'the revoked token\'s stream was closed');
  assert.equal(browser.ended.value, false, 'other streams stay open');
  const again = openStream(site.server.port, { authorization: `Bearer ${created.body.token}` });
  assert.equal((await again.response).statusCode, 401);

  assert.equal((await site.api('/api/auth/logout', { body: {}, token: null, headers: { cookie } })).status, 200);
  for (let i = 0; i < 200 && !browser.ended.value; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(browser.ended.value, true, 'the logged-out session\'s stream was closed');
});
