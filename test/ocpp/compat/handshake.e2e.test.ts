// Handshake tolerance against the real server: raw HTTP upgrades as real chargers send them. A registered,
// authenticated charger is admitted as OCPP 1.6 and what was tolerated is counted; unknown ids stay refused,
// and a charger in strict mode gets today's refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startTestSite } from '../../support/testSite.js';

interface UpgradeReply { status: number; protocol?: string }

/** Sends a WebSocket upgrade with exactly these headers; resolves with the status (and closes at once). */
function upgrade(port: number, path: string, headers: Record<string, string>): Promise<UpgradeReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers,
    } });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode!, protocol: res.headers['sec-websocket-protocol'] as string | undefined }); });
    req.on('response', (res) => { res.resume(); resolve({ status: res.statusCode! }); });
    req.on('error', reject);
    req.end();
  });
}

const CASES: Array<{ what: string; path: string; protocol?: string; answered?: string; kinds: string[]; source?: string }> = [
  // Grizzl-E Smart sends no Sec-WebSocket-Protocol: https://github.com/lbbrhzn/ocpp/issues/442, https://github.com/steve-community/steve/issues/1109
  { what: 'no subprotocol header', path: '/ocpp/CP-HS', kinds: ['no_subprotocol'] },
  // An empty header value: https://github.com/dallmann-consulting/OCPP.Core/issues/43
  { what: 'empty subprotocol header', path: '/ocpp/CP-HS', protocol: '', kinds: ['no_subprotocol'] },
  // A list the server must split and trim (reported from a simulator): https://github.com/lbbrhzn/ocpp/issues/497
  { what: 'a list with spaces', path: '/ocpp/CP-HS', protocol: 'ocpp1.6 , ocpp1.5', answered: 'ocpp1.6', kinds: [] },
  // No public report found (research/cases.md "No source found"): leading comma, other case.
  { what: 'a leading comma', path: '/ocpp/CP-HS', protocol: ',ocpp1.6', answered: 'ocpp1.6', kinds: ['subprotocol_list_malformed'] },
  { what: 'upper case', path: '/ocpp/CP-HS', protocol: 'OCPP1.6', answered: 'OCPP1.6', kinds: ['subprotocol_list_malformed'] },
  { what: 'a trailing slash', path: '/ocpp/CP-HS/', protocol: 'ocpp1.6', answered: 'ocpp1.6', kinds: ['trailing_slash'] },
  { what: 'the id repeated', path: '/ocpp/CP-HS/CP-HS', protocol: 'ocpp1.6', answered: 'ocpp1.6', kinds: ['repeated_id'] },
  // SETEC puts an extra segment before the id: https://github.com/steve-community/steve/issues/689
  { what: 'an extra path segment', path: '/ocpp/4/CP-HS', protocol: 'ocpp1.6', answered: 'ocpp1.6', kinds: ['extra_path_segment'] },
];

test('a registered, authenticated charger is admitted through every tolerated handshake deviation, and each is counted', async () => {
  await using site = await startTestSite({ 'ocpp.requirePassword': true });
  const chargerId = await site.addCharger('CP-HS', 'hs-password-1');
  const auth = { Authorization: 'Basic ' + Buffer.from('CP-HS:hs-password-1').toString('base64') };
  for (const c of CASES) {
    const headers: Record<string, string> = { ...auth, ...(c.protocol === undefined ? {} : { 'Sec-WebSocket-Protocol': c.protocol }) };
    const reply = await upgrade(site.server.port, c.path, headers);
    assert.equal(reply.status, 101, c.what);
    assert.equal(reply.protocol, c.answered, `${c.what}: answered subprotocol`);
  }
  const counts = site.database.sqlite.prepare(`SELECT kind, count FROM compat_repair WHERE charger_id = ? AND action = 'Handshake' ORDER BY kind`).all(chargerId);
  assert.deepEqual(counts, [
    { kind: 'extra_path_segment', count: 1 }, { kind: 'no_subprotocol', count: 2 }, { kind: 'repeated_id', count: 1 },
    { kind: 'subprotocol_list_malformed', count: 2 }, { kind: 'trailing_slash', count: 1 },
  ]);
  const metrics = await fetch(`${site.baseUrl}/metrics`).then((r) => r.text());
  assert.match(metrics, /ocpp_edge_compat_repairs_total\{action="Handshake",kind="no_subprotocol"\} 2/);

  // Still refused: a wrong password, an unknown id (however the path is written), another protocol only.
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-HS/', { Authorization: 'Basic ' + Buffer.from('CP-HS:wrong-pass').toString('base64') })).status, 401);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-NOBODY', auth)).status, 404);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-HS/CP-NOBODY', auth)).status, 404);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-HS', { ...auth, 'Sec-WebSocket-Protocol': 'ocpp2.0.1' })).status, 400);
});

test('under the pending policy an id read from an unusual path is never auto-registered', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  assert.equal((await upgrade(site.server.port, '/ocpp/x/CP-GUESS', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })).status, 404);
  assert.equal(site.count('charger', "charge_point_id = 'CP-GUESS'"), 0);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-GUESS', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })).status, 101, 'the plain path still registers it');
});

test('a charger in strict mode is refused for a handshake deviation and admitted for a conforming handshake', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-STRICT', undefined, 'strict');
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-STRICT', {})).status, 400);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-STRICT/', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })).status, 400);
  assert.equal((await upgrade(site.server.port, '/ocpp/CP-STRICT', { 'Sec-WebSocket-Protocol': 'ocpp1.6' })).status, 101);
});
