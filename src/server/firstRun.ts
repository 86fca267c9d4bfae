// First run: while no admin login exists, the server makes a one-time setup token, keeps only its
// sha256 (setting "setup.tokenHash") and prints the link http://<host>:<port>/#/setup?token=… once.
// POST /api/setup spends it (routes/setup.ts). A restart before setup makes a new token (the old one dies).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { Domain } from '../domain/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

export const SETUP_TOKEN_KEY = 'setup.tokenHash';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const setupRequired = (domain: Pick<Domain, 'adminUsers'>) => domain.adminUsers.count() === 0;

/** True when token is the current setup token. */
export function setupTokenMatches(domain: Pick<Domain, 'settings'>, token: string): boolean {
  const stored = domain.settings.get<string>(SETUP_TOKEN_KEY);
  if (!stored) return false;
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An address people on the LAN can open: the configured host, else this machine's first IPv4 address. */
function reachableHost(config: Config): string {
  const host = config.http.host;
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const addrs of Object.values(os.networkInterfaces())) {
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return 'localhost';
}

/** With no admin yet: a fresh token, stored as a hash, and its link (logged once). Otherwise undefined. */
export async function announceFirstRun(domain: Domain, config: Config, logger: Logger, server: { port: number; tlsPort?: number }): Promise<string | undefined> {
  if (!setupRequired(domain)) {
    if (domain.settings.get(SETUP_TOKEN_KEY) !== undefined) await domain.uow.run(() => domain.settings.delete(SETUP_TOKEN_KEY));
    return undefined;
  }
  const token = randomBytes(24).toString('base64url');
  await domain.uow.run(() => domain.settings.set(SETUP_TOKEN_KEY, sha256(token)));
  // Plain HTTP when it is served (the page on a LAN), else the TLS port.
  const [scheme, port] = server.port ? ['http', server.port] : ['https', server.tlsPort];
  const link = `${scheme}://${reachableHost(config)}:${port}/#/setup?token=${token}`;
  // The one place the token appears: it opens setup only while no admin exists, and dies when used.
  logger.warn({ setupLink: link }, `first run: no admin login yet; open ${link} to set up this site ` +
    '(or: ocpp-edge admin create --username <name>)');
  // On a terminal the link stands out: a framed block in bold, away from the log lines.
  if (process.stderr.isTTY) {
    const bold = (s: string) => (process.stderr.hasColors?.() ? `\x1b[1;33m${s}\x1b[0m` : s);
    const rule = '='.repeat(Math.min(Math.max(link.length + 4, 60), 120));
    process.stderr.write(`\n${rule}\n  FIRST RUN: open this link to create the admin login and set up the site:\n\n  ${bold(link)}\n\n${rule}\n\n`);
  }
  return link;
}
