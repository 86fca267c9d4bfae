// Logins over real HTTP: who may call what, the session cookie with its CSRF token, API tokens and
// their revocation, failed-login throttling, and staff account management.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';

interface Login { status: number; cookie?: string; csrf?: string; body: any; setCookie: string | null }

async function login(site: TestSite, username: string, password: string): Promise<Login> {
  const res = await fetch(`${site.baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.split(';')[0];
  return { status: res.status, cookie, csrf: body.csrfToken, body, setCookie };
}

/** A request as the admin page sends it: the cookie, and the CSRF header when given. */
async function withCookie(site: TestSite, path: string, cookie: string, init: { method?: string; body?: unknown; csrf?: string } = {}) {
  const headers: Record<string, string> = { cookie };
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(site.baseUrl + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('no credentials -> 401 on every non-public route; health, metrics and login stay open', async () => {
  await using site = await startTestSite();
  for (const path of ['/api/admin/chargers', '/api/admin/transactions', '/api/admin/users', '/api/admin/id-tags', '/api/logs',
    '/api/charge-points', '/api/auth/me', '/api/admin/tokens', '/api/admin/stations', '/api/admin/local-lists']) {
    const r = await site.api(path, { token: null });
    assert.equal(r.status, 401, path);
    assert.equal(r.body.error.code, 'unauthenticated', path);
  }
  const post = await site.api('/api/admin/stations', { token: null, body: { name: 'X' } });
  assert.equal(post.status, 401);
  assert.equal(site.count('station'), 0);
  assert.equal((await site.api('/api/health', { token: null })).status, 200);
  assert.equal((await fetch(`${site.baseUrl}/metrics`)).status, 200);
  assert.equal((await site.api('/api/auth/login', { token: null, body: { username: 'nobody', password: 'x' } })).status, 401);
  assert.equal((await site.api('/api/admin/chargers', { token: 'not-a-token' })).status, 401, 'an unknown token');
  assert.equal((await site.api('/api/admin/chargers', { token: null, headers: { authorization: 'Basic eDp5' } })).status, 401, 'not a Bearer token');
});

test('a viewer reads but cannot change anything (403)', async () => {
  await using site = await startTestSite();
  const viewer = site.createToken('viewer');
  await site.addCharger('CP-1');
  assert.equal((await site.api('/api/admin/chargers', { token: viewer })).status, 200);
  const attempts: Array<[string, string, unknown]> = [
    ['POST', '/api/admin/stations', { name: 'S' }],
    ['POST', '/api/admin/chargers', { chargePointId: 'CP-2' }],
    ['PUT', '/api/admin/chargers/CP-1', { name: 'x' }],
    ['DELETE', '/api/admin/chargers/CP-1', undefined],
    ['POST', '/api/admin/chargers/CP-1/reset', { type: 'Soft' }],
    ['POST', '/api/admin/users', { fullName: 'A' }],
    ['POST', '/api/admin/id-tags', { idTag: 'T' }],
    ['POST', '/api/admin/tokens', { name: 'mine' }],
    ['GET', '/api/admin/admin-users', undefined],
    ['POST', '/api/charge-points/CP-1/request', { action: 'Reset', payload: { type: 'Soft' } }],
  ];
  for (const [method, path, body] of attempts) {
    const r = await site.api(path, { method, body, token: viewer });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal(r.body.error.code, 'forbidden');
  }
  assert.equal(site.count('station') + site.count('user') + site.count('id_tag'), 0);
  assert.equal(site.domain.chargers.byChargePointId('CP-1')!.name, null);
});

test('session login: HttpOnly SameSite=Strict cookie; changes need the CSRF header; logout ends it', async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'ana', password: 'correct horse battery', role: 'admin' });
  const s = await login(site, 'ana', 'correct horse battery');
  assert.equal(s.status, 200);
  assert.deepEqual(s.body.user, { username: 'ana', role: 'admin' });
  assert.match(s.setCookie!, /^ocpp_edge_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/, 'no Secure flag on plain HTTP');
  assert.equal(site.count('admin_session'), 1);
  const stored = site.database.sqlite.prepare('SELECT id FROM admin_session').get() as { id: string };
  assert.notEqual(stored.id, s.cookie!.split('=')[1], 'the table keeps a hash, not the cookie');

  const me = await withCookie(site, '/api/auth/me', s.cookie!);
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'ana');
  assert.equal(me.body.csrfToken, s.csrf);

  const noCsrf = await withCookie(site, '/api/admin/stations', s.cookie!, { method: 'POST', body: { name: 'Depot' } });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf_missing');
  const wrongCsrf = await withCookie(site, '/api/admin/stations', s.cookie!, { method: 'POST', body: { name: 'Depot' }, csrf: 'guess' });
  assert.equal(wrongCsrf.status, 403);
  assert.equal(wrongCsrf.body.error.code, 'csrf_invalid');
  assert.equal(site.count('station'), 0);
  const ok = await withCookie(site, '/api/admin/stations', s.cookie!, { method: 'POST', body: { name: 'Depot' }, csrf: s.csrf });
  assert.equal(ok.status, 201);

  const out = await withCookie(site, '/api/auth/logout', s.cookie!, { method: 'POST', body: {}, csrf: s.csrf });
  assert.equal(out.status, 200);
  assert.equal(site.count('admin_session'), 0);
  assert.equal((await withCookie(site, '/api/auth/me', s.cookie!)).status, 401, 'the old cookie is dead');
});

test('a viewer login sees but cannot change; a disabled user cannot log in', async () => {
  await using site = await startTestSite();
  const viewer = await site.domain.adminUsers.create({ username: 'vic', password: 'viewer password 1', role: 'viewer' });
  const s = await login(site, 'vic', 'viewer password 1');
  assert.equal(s.body.user.role, 'viewer');
  assert.equal((await withCookie(site, '/api/admin/chargers', s.cookie!)).status, 200);
  const change = await withCookie(site, '/api/admin/stations', s.cookie!, { method: 'POST', body: { name: 'X' }, csrf: s.csrf });
  assert.equal(change.status, 403);
  assert.equal(change.body.error.code, 'forbidden');
  await site.domain.adminUsers.create({ username: 'boss', password: 'boss password 12', role: 'admin' });
  await site.domain.adminUsers.update(viewer.id, { disabled: true });
  assert.equal((await withCookie(site, '/api/admin/chargers', s.cookie!)).status, 401, 'disabling ends open sessions');
  assert.equal((await login(site, 'vic', 'viewer password 1')).status, 401);
});

test('API tokens: created once (stored as sha256), listed without the secret, revoked -> 401', async () => {
  await using site = await startTestSite();
  const created = await site.api('/api/admin/tokens', { body: { name: 'central office', role: 'viewer' } });
  assert.equal(created.status, 201);
  const { token, apiToken } = created.body;
  assert.match(token, /^oe_/);
  const { createHash } = await import('node:crypto');
  assert.equal(site.count('api_token', `token_hash = '${createHash('sha256').update(token).digest('hex')}'`), 1);
  assert.equal((await site.api('/api/admin/chargers', { token })).status, 200, 'the new token works');
  assert.equal((await site.api('/api/admin/stations', { token, body: { name: 'x' } })).status, 403, 'with its role');
  const list = await site.api('/api/admin/tokens');
  const listed = list.body.tokens.find((t: any) => t.id === apiToken.id);
  assert.equal(listed.name, 'central office');
  assert.ok(!('tokenHash' in listed) && !JSON.stringify(list.body).includes(token), 'no secret in the list');
  const revoked = await site.api(`/api/admin/tokens/${apiToken.id}`, { method: 'DELETE' });
  assert.equal(revoked.status, 200);
  assert.ok(revoked.body.apiToken.revokedAt);
  const after = await site.api('/api/admin/chargers', { token });
  assert.equal(after.status, 401);
  assert.equal((await site.api('/api/admin/tokens/9999', { method: 'DELETE' })).status, 404);
  assert.equal((await site.api('/api/admin/tokens', { body: { role: 'admin' } })).status, 400, 'a name is required');
});

test('failed logins lock the username for that address after maxFailedLogins, even for the right password', async () => {
  await using site = await startTestSite({ 'auth.maxFailedLogins': 3, 'auth.lockoutSec': 60 });
  await site.domain.adminUsers.create({ username: 'ana', password: 'correct horse battery', role: 'admin' });
  await site.domain.adminUsers.create({ username: 'bob', password: 'another good one', role: 'admin' });
  for (let i = 0; i < 3; i++) assert.equal((await login(site, 'ana', `wrong ${i}`)).status, 401);
  const locked = await fetch(`${site.baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'correct horse battery' }),
  });
  assert.equal(locked.status, 429);
  const retryAfter = Number(locked.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal((await locked.json()).error.code, 'too_many_failed_logins');
  assert.equal(site.count('admin_session'), 0);
  assert.equal((await login(site, 'bob', 'another good one')).status, 200, 'another username is not locked');
  // Failures below the limit are forgotten after a success.
  await login(site, 'bob', 'wrong'); await login(site, 'bob', 'wrong');
  assert.equal((await login(site, 'bob', 'another good one')).status, 200);
  await login(site, 'bob', 'wrong'); await login(site, 'bob', 'wrong');
  assert.equal((await login(site, 'bob', 'another good one')).status, 200);
});

test('staff accounts: create, role change, last admin protected, password rules, bad bodies', async () => {
  await using site = await startTestSite();
  const first = await site.domain.adminUsers.create({ username: 'root', password: 'first admin pass', role: 'admin' });
  const made = await site.api('/api/admin/admin-users', { body: { username: 'eve', password: 'eve password 99', role: 'viewer' } });
  assert.equal(made.status, 201);
  assert.ok(!('passwordHash' in made.body.adminUser));
  assert.equal((await login(site, 'eve', 'eve password 99')).body.user.role, 'viewer');
  assert.equal((await site.api('/api/admin/admin-users', { body: { username: 'eve', password: 'eve password 99', role: 'viewer' } })).status, 409);
  const weak = await site.api('/api/admin/admin-users', { body: { username: 'weak', password: 'short', role: 'viewer' } });
  assert.equal(weak.status, 422);
  assert.equal(weak.body.error.code, 'weak_password');
  assert.equal((await site.api('/api/admin/admin-users', { body: { username: 'x', password: 'long enough pass', role: 'root' } })).status, 400);
  const demote = await site.api(`/api/admin/admin-users/${first.id}`, { method: 'PUT', body: { role: 'viewer' } });
  assert.equal(demote.status, 409, 'the last admin cannot be demoted');
  assert.equal((await site.api(`/api/admin/admin-users/${first.id}`, { method: 'DELETE' })).status, 409, 'nor deleted');
  const promote = await site.api(`/api/admin/admin-users/${made.body.adminUser.id}`, { method: 'PUT', body: { role: 'admin' } });
  assert.equal(promote.body.adminUser.role, 'admin');
  assert.equal((await site.api(`/api/admin/admin-users/${first.id}`, { method: 'DELETE' })).status, 204);
  const names = (await site.api('/api/admin/admin-users')).body.adminUsers.map((u: any) => u.username);
  assert.deepEqual(names, ['eve']);
  const newPass = await site.api(`/api/admin/admin-users/${made.body.adminUser.id}`, { method: 'PUT', body: { password: 'a brand new one' } });
  assert.equal(newPass.status, 200);
  assert.equal((await login(site, 'eve', 'eve password 99')).status, 401);
  assert.equal((await login(site, 'eve', 'a brand new one')).status, 200);
});

test('staff change their own password with the current one', async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'ana', password: 'correct horse battery', role: 'viewer' });
  const s = await login(site, 'ana', 'correct horse battery');
  const wrong = await withCookie(site, '/api/auth/password', s.cookie!, { method: 'PUT', csrf: s.csrf, body: { currentPassword: 'nope', newPassword: 'another long one' } });
  assert.equal(wrong.status, 403);
  const ok = await withCookie(site, '/api/auth/password', s.cookie!, { method: 'PUT', csrf: s.csrf, body: { currentPassword: 'correct horse battery', newPassword: 'another long one' } });
  assert.equal(ok.status, 200);
  assert.equal((await login(site, 'ana', 'another long one')).status, 200);
});
