// Who is calling: a Bearer API token or the admin page's session cookie (with its CSRF token on
// state-changing requests). Every route except 'public' needs a principal; 'admin' routes need the
// admin role. Installed as router.authenticate, which the SSE stream uses too.
import { timingSafeEqual } from 'node:crypto';
import type { Domain } from '../domain/index.js';
import { HttpError, type Access, type ApiRequest, type Authenticate, type Principal } from './http.js';

export const SESSION_COOKIE = 'ocpp_edge_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, maxAgeSec: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSec))}${secure ? '; Secure' : ''}`;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a); const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The principal behind the request's credentials, or undefined when it has none; throws on bad ones. */
export function identify(domain: Pick<Domain, 'apiTokens' | 'adminSessions'>, req: ApiRequest): Principal | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new HttpError(401, 'unauthenticated', 'Authorization must be "Bearer <API token>"');
    const token = domain.apiTokens.lookup(m[1]!);
    if (!token) throw new HttpError(401, 'unauthenticated', 'the API token is unknown or revoked');
    return { kind: 'token', name: token.name, role: token.role as Principal['role'] };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (cookie === undefined) return undefined;
  const session = domain.adminSessions.lookup(cookie);
  if (!session) throw new HttpError(401, 'session_expired', 'the login session has expired or ended; log in again');
  return { kind: 'session', name: session.username, role: session.role, userId: session.userId, csrfToken: session.csrfToken, sessionId: session.sessionId };
}

export function createAuthenticator(domain: Pick<Domain, 'apiTokens' | 'adminSessions'>): Authenticate {
  return (req: ApiRequest, access: Access) => {
    if (access === 'public') {
      // Public routes still learn who is calling when they can (logout, login page), but never fail on it.
      try { req.principal = identify(domain, req); } catch { /* anonymous */ }
      return;
    }
    const principal = identify(domain, req);
    if (!principal) throw new HttpError(401, 'unauthenticated', 'log in, or send an API token as "Authorization: Bearer <token>"');
    // A browser sends the cookie by itself; only our own page can read the CSRF token and send it back.
    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (!sent) throw new HttpError(403, 'csrf_missing', `a state-changing request with a session cookie needs the ${CSRF_HEADER} header`);
      if (!sameText(sent, principal.csrfToken!)) throw new HttpError(403, 'csrf_invalid', `the ${CSRF_HEADER} header does not match this session`);
    }
    if (access === 'admin' && principal.role !== 'admin') {
      throw new HttpError(403, 'forbidden', `${principal.name} is a viewer; this needs the admin role`);
    }
    req.principal = principal;
  };
}
