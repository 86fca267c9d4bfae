// The JSON router under hostile paths: nothing a client sends may end the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestSite } from '../support/testSite.js';

test('a path with broken percent-encoding gets a 400 and the server keeps serving', async () => {
  await using site = await startTestSite();
  for (const path of ['/api/admin/chargers/%E0%A4%A', '/api/admin/users/%', '/api/admin/chargers/CP%ZZ']) {
    const res = await fetch(`${site.baseUrl}${path}`); // no login: it must not matter
    assert.equal(res.status, 400, path);
    const body = await res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'malformed_path');
    assert.match(body.error.message, /invalid percent-encoding/);
  }
  const health = await fetch(`${site.baseUrl}/api/health`);
  assert.equal(health.status, 200, 'still up');
  site.addIdTag('ÄÖ TAG');
  const encoded = await site.api(`/api/admin/id-tags/${encodeURIComponent('ÄÖ TAG')}`);
  assert.equal(encoded.status, 200, 'well-formed encoding still decodes');
});

/** Sends raw HTTP/1.1 bytes on one connection and returns everything the server wrote before closing. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d) => { out += d.toString('latin1'); });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test('HEAD on the admin page and on an API route: headers with the length, no body, and the connection goes on', async () => {
  await using site = await startTestSite();
  await fetch(`${site.baseUrl}/`); // the page is bundled on first request; HEAD then finds it loaded
  // uWS aborted the whole process on HEAD / (endWithoutBody with a length never finishes the response).
  const out = await exchange(site.server.port, 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /api/health HTTP/1.1\r\nHost: x\r\n\r\n'
    + 'HEAD /api/nothing HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nothing.js HTTP/1.1\r\nHost: x\r\n\r\n'
    + 'GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const replies = out.split(/(?=HTTP\/1\.1 )/);
  assert.equal(replies.length, 5, out);
  const [page, headHealth, apiMissing, fileMissing, getHealth] = replies as [string, string, string, string, string];
  for (const missing of [apiMissing, fileMissing]) {
    assert.match(missing, /^HTTP\/1\.1 404/);
    assert.ok(missing.endsWith('\r\n\r\n'), `no body on a HEAD 404: ${missing}`);
  }
  assert.match(page, /^HTTP\/1\.1 200/);
  assert.match(page, /\r\nContent-Length: [1-9]\d*\r\n/);
  assert.ok(page.endsWith('\r\n\r\n'), 'no body after the headers');
  assert.match(headHealth, /^HTTP\/1\.1 200/);
  assert.ok(headHealth.endsWith('\r\n\r\n'), `no body on HEAD of a JSON route: ${headHealth}`);
  const length = Number(/\r\nContent-Length: (\d+)\r\n/.exec(headHealth)?.[1]);
  const body = getHealth.slice(getHealth.indexOf('\r\n\r\n') + 4);
  assert.equal(JSON.parse(body).status, 'ok', 'the GET after two HEADs is read intact');
  assert.ok(Math.abs(length - Buffer.byteLength(body)) < 10, `HEAD reports the GET's length (${length} vs ${body.length}; uptime may differ)`);
  assert.equal((await fetch(`${site.baseUrl}/api/health`)).status, 200, 'still up');
});

test('credentials are checked before the body: no token is a 401 whatever is sent; a JSON route refuses other content types', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1');
  for (const [type, body] of [['application/json', '{"type":'], ['text/plain', 'x'], ['multipart/form-data; boundary=b', '--b--\r\n'], ['application/octet-stream', 'x']]) {
    const anonymous = await fetch(`${site.baseUrl}/api/admin/chargers/CP-1/reset`, { method: 'POST', headers: { 'content-type': type! }, body });
    assert.equal(anonymous.status, 401, `${type} without a token`);
  }
  // A form or a file sent to a JSON route used to be dropped and the route run as if the body were empty.
  for (const type of ['multipart/form-data; boundary=b', 'application/octet-stream', 'text/plain']) {
    const res = await site.api('/api/admin/chargers/CP-1/clear-cache', { method: 'POST', headers: { 'content-type': type }, body: undefined });
    assert.equal(res.status, 409, 'an empty body is fine (the charger is offline)');
    const sent = await fetch(`${site.baseUrl}/api/admin/chargers/CP-1/clear-cache`, {
      method: 'POST', headers: { authorization: `Bearer ${site.createToken()}`, 'content-type': type }, body: '--b--\r\n',
    });
    assert.equal(sent.status, 415, type);
    assert.equal((await sent.json() as { error: { code: string } }).error.code, 'unsupported_media_type');
  }
});

test('stopping the site ends idle keep-alive connections too (they would hold the process until they time out)', async () => {
  const http = await import('node:http');
  const site = await startTestSite();
  const agent = new http.Agent({ keepAlive: true });
  // Resolves once the response is read; `closed` settles when the (idle, kept-alive) socket closes.
  const { closed } = await new Promise<{ closed: Promise<void> }>((resolve, reject) => {
    http.get(`${site.baseUrl}/api/health`, { agent }, (res) => {
      const socket = res.socket; // back in the agent's pool (and off res) once the body is read
      const closed = new Promise<void>((done) => socket.once('close', () => done()));
      res.resume();
      res.on('end', () => resolve({ closed }));
    }).on('error', reject);
  });
  await site.stop();
  const closedInTime = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  agent.destroy();
  assert.equal(closedInTime, true, 'the idle keep-alive socket was closed by the stop');
});
