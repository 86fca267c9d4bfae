// First-run setup and what the page needs before anyone logs in.
// GET /api/site (public): site name and id, currency, demo flag, whether setup is still open.
// POST /api/setup (public, needs the one-time token the server printed): creates the first admin,
// stores site name/id, currency and MQTT broker (setting table), makes the default tariff and voids
// the token, all in one uow.run (all or nothing), then logs the new admin in. 409 once an admin
// exists, 403 for a wrong token.
import { MIN_PASSWORD_LENGTH } from '../../domain/adminUsers.js';
import { applySiteSettings, CURRENCY_KEY, type SiteSettingValues } from '../../domain/siteSettings.js';
import { sessionCookie } from '../auth.js';
import { SETUP_TOKEN_KEY, setupRequired, setupTokenMatches } from '../firstRun.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import { siteSummary } from './siteAdmin.js';
import type { RouteDeps } from './index.js';

interface SetupBody {
  token: string; username: string; password: string; siteName?: string; siteId?: string; currency: string;
  tariff?: { name?: string; pricePerKwh: number; sessionFee?: number; taxPercent?: number };
  mqttUrl?: string | null;
}

const setupBody = bodySchema<SetupBody>({
  type: 'object', additionalProperties: false, required: ['token', 'username', 'password', 'currency'],
  properties: {
    token: { type: 'string', maxLength: 200 },
    username: { type: 'string', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' },
    password: { type: 'string', minLength: MIN_PASSWORD_LENGTH, maxLength: 1000 },
    siteName: { type: 'string', minLength: 1, maxLength: 100 },
    siteId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    tariff: {
      type: 'object', additionalProperties: false, required: ['pricePerKwh'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        pricePerKwh: { type: 'integer', minimum: 0, maximum: 100_000 },
        sessionFee: { type: 'integer', minimum: 0, maximum: 100_000 },
        taxPercent: { type: 'number', minimum: 0, maximum: 100 },
      },
    },
    // the host part must be there (mqtt.js would otherwise try localhost), as in PUT /api/admin/site
    mqttUrl: { type: ['string', 'null'], maxLength: 500, pattern: '^(mqtts?|wss?|tcp|ssl)://[^\\s/?#]+' },
  },
});

export function registerSetupRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'logger' | 'domain'>): void {
  const { domain, config, logger } = deps;
  let busy = false; // two submits of the form must not make two first admins

  router.get('/api/site', 'public', () => ({ body: siteSummary(deps) }));

  router.post('/api/setup', 'public', async (req) => {
    if (!setupRequired(domain) || busy) throw new HttpError(409, 'setup_done', 'this site is already set up; log in (a lost password: ocpp-edge admin reset-password)');
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !setupTokenMatches(domain, token)) {
      logger.warn({ ip: req.ip }, 'setup attempt with a wrong token');
      throw new HttpError(403, 'invalid_setup_token', 'the setup token is wrong or expired; use the link the server printed at its last start (journalctl -u ocpp-edge)');
    }
    const body = setupBody(req.body);
    busy = true;
    try {
      const newAdmin = await domain.adminUsers.prepare({ username: body.username, password: body.password, role: 'admin' });
      const site: SiteSettingValues = {
        ...(body.siteName !== undefined ? { siteName: body.siteName } : {}),
        ...(body.siteId !== undefined ? { siteId: body.siteId } : {}),
        ...(body.mqttUrl !== undefined ? { mqttUrl: body.mqttUrl || null } : {}),
      };
      // One savepoint for all of it: a failure anywhere leaves no admin, no settings and the token valid.
      const { user, tariff } = await domain.uow.run(() => {
        const user = domain.adminUsers.insert(newAdmin);
        domain.settings.delete(SETUP_TOKEN_KEY);
        domain.settings.set('setup.completedAt', new Date().toISOString());
        domain.settings.set(CURRENCY_KEY, body.currency);
        if (site.siteName !== undefined) domain.settings.set('site.name', site.siteName);
        if (site.siteId !== undefined) domain.settings.set('site.id', site.siteId);
        if (site.mqttUrl !== undefined) domain.settings.set('mqtt.url', site.mqttUrl);
        const tariff = body.tariff ? domain.tariffs.create({
          name: body.tariff.name ?? 'Standard', currency: body.currency, pricePerKwh: body.tariff.pricePerKwh,
          sessionFee: body.tariff.sessionFee ?? 0, taxPercent: body.tariff.taxPercent ?? 0, isDefault: true,
        }) : undefined;
        return { user, tariff };
      });
      const mqttChanged = site.mqttUrl !== undefined || (site.siteId !== undefined && site.siteId !== config.siteId);
      applySiteSettings(config, site);
      logger.info({ username: user.username, siteId: config.siteId }, 'first-run setup done');
      const session = await domain.adminSessions.create(user.id, config.auth.sessionHours);
      return {
        status: 201,
        headers: { 'Set-Cookie': sessionCookie(session.cookieValue, config.auth.sessionHours * 3600, req.secure) },
        body: {
          user: { username: user.username, role: user.role }, csrfToken: session.csrfToken,
          site: { siteName: config.siteName, siteId: config.siteId, currency: body.currency, tariffId: tariff?.id ?? null },
          restartNeeded: mqttChanged ? 'restart the service for the MQTT settings to take effect (sudo systemctl restart ocpp-edge)' : null,
        },
      };
    } finally {
      busy = false;
    }
  });
}
