// Logins: POST /api/auth/login sets the session cookie and returns the CSRF token, /api/auth/me tells
// the page who it is, /api/auth/logout ends the session. Installs the router's authenticate hook.
import { createAuthenticator, readCookie, SESSION_COOKIE, sessionCookie } from '../auth.js';
import { LoginThrottle } from '../loginThrottle.js';
import { errorReply, HttpError, type ApiReply, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import type { RouteDeps } from './index.js';

const loginBody = bodySchema<{ username: string; password: string }>({
  type: 'object', additionalProperties: false, required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 1000 } },
});
const passwordBody = bodySchema<{ currentPassword: string; newPassword: string }>({
  type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'],
  properties: { currentPassword: { type: 'string', maxLength: 1000 }, newPassword: { type: 'string', maxLength: 1000 } },
});

export function registerAuthRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'logger' | 'domain'>): void {
  const { domain, config, logger } = deps;
  router.authenticate = createAuthenticator(domain);
  const throttle = new LoginThrottle({ maxFailures: config.auth.maxFailedLogins, lockoutSec: config.auth.lockoutSec });
  // First run (no admin yet) is firstRun.ts + routes/setup.ts: a one-time setup link, or `ocpp-edge admin create`.

  router.post('/api/auth/login', 'public', async (req): Promise<ApiReply> => {
    const { username, password } = loginBody(req.body);
    const locked = throttle.lockedFor(username, req.ip);
    if (locked > 0) {
      const err = errorReply(new HttpError(429, 'too_many_failed_logins', `too many failed logins for ${username}; try again in ${locked} s`, { retryAfterSec: locked }));
      return { ...err, headers: { 'Retry-After': String(locked) } };
    }
    const user = await domain.adminUsers.verify(username, password);
    if (!user) {
      throttle.failed(username, req.ip);
      logger.warn({ username, ip: req.ip }, 'failed login');
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    throttle.succeeded(username, req.ip);
    const session = await domain.adminSessions.create(user.id, config.auth.sessionHours);
    logger.info({ username, ip: req.ip }, 'login');
    return {
      headers: { 'Set-Cookie': sessionCookie(session.cookieValue, config.auth.sessionHours * 3600, req.secure) },
      body: { user: { username: user.username, role: user.role }, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
    };
  });

  // Public so a stale or half-broken cookie can always be cleared.
  router.post('/api/auth/logout', 'public', async (req) => {
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = cookie ? domain.adminSessions.lookup(cookie) : undefined;
    if (session) {
      await domain.adminSessions.remove(session.sessionId);
      domain.events.emit('access.changed', {}); // its live stream ends now
    }
    return { headers: { 'Set-Cookie': sessionCookie('', 0, req.secure) }, body: { loggedOut: true } };
  });

  router.get('/api/auth/me', 'viewer', (req) => {
    const p = req.principal!;
    return { body: { user: { username: p.name, role: p.role, kind: p.kind }, csrfToken: p.csrfToken ?? null } };
  });

  // Staff change their own password (their other sessions end, this one too: log in again).
  router.put('/api/auth/password', 'viewer', async (req) => {
    const p = req.principal!;
    if (p.kind !== 'session') throw new HttpError(400, 'not_a_login', 'an API token has no password; log in as a user');
    const { currentPassword, newPassword } = passwordBody(req.body);
    if (!(await domain.adminUsers.verify(p.name, currentPassword))) throw new HttpError(403, 'invalid_credentials', 'the current password is wrong');
    await domain.adminUsers.update(p.userId!, { password: newPassword });
    domain.events.emit('access.changed', {});
    return { headers: { 'Set-Cookie': sessionCookie('', 0, req.secure) }, body: { changed: true } };
  });
}
