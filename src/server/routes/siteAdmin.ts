// Site name, site id and MQTT broker after the first-run setup, without editing the config file.
// GET /api/admin/site (staff): what GET /api/site shows plus the MQTT broker URL (credentials masked)
// and whether a restart is pending. PUT /api/admin/site (admin): stores the values (setting table,
// like the setup form) and applies them to the running config. The site name shows at once; the site
// id and the broker are read when the MQTT sync starts, so changing them answers restartRequired.
import type { SiteSettingValues } from '../../domain/siteSettings.js';
import { maskUrlCredentials } from '../../config.js';
import { setupRequired } from '../firstRun.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import type { RouteDeps } from './index.js';

/** What GET /api/site answers (public: no broker, no secrets). */
export function siteSummary(deps: Pick<RouteDeps, 'config' | 'domain'>) {
  const { config, domain } = deps;
  return {
    siteName: config.siteName, siteId: config.siteId, demo: config.demo,
    currency: domain.settings.currency(),
    setupRequired: setupRequired(domain),
  };
}

const siteBody = bodySchema<SiteSettingValues>({
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    siteName: { type: 'string', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' },
    siteId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
    // null turns the sync off; the host part must be there (mqtt.js would otherwise try localhost)
    mqttUrl: { type: ['string', 'null'], maxLength: 500, pattern: '^(mqtts?|wss?)://[^\\s/?#]+' },
  },
});

export function registerSiteAdminRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'logger' | 'domain'>): void {
  const { config, domain, logger } = deps;
  // The sync and its topics were started with these (site.ts starts it before routes are
  // registered); a difference from them is what a restart would change.
  const brokerOf = () => (config.mqtt.enabled ? config.mqtt.url : null);
  const running = { siteId: config.siteId, broker: brokerOf() };
  const restartRequired = () => config.siteId !== running.siteId || brokerOf() !== running.broker;

  const adminView = () => {
    const broker = brokerOf();
    return { ...siteSummary(deps), mqttUrl: broker === null ? null : maskUrlCredentials(broker), restartRequired: restartRequired() };
  };

  router.get('/api/admin/site', 'viewer', () => ({ body: adminView() }));

  router.put('/api/admin/site', 'admin', async (req) => {
    const body = siteBody(req.body);
    const values: SiteSettingValues = { ...body };
    if (typeof body.mqttUrl === 'string') {
      const current = brokerOf();
      // The form shows the masked URL: sent back unchanged it means "keep the stored one".
      if (current !== null && body.mqttUrl === maskUrlCredentials(current)) values.mqttUrl = current;
      else if (body.mqttUrl.includes("****@")) {
        throw new HttpError(400, 'masked_credentials', 'the MQTT URL still has the masked ****@ part; type the user name and password again, or leave the URL as it was');
      } else if (!hostOf(body.mqttUrl)) {
        throw new HttpError(400, 'invalid_body', 'invalid request body: /mqttUrl is not a URL with a host', { problems: ['/mqttUrl is not a URL with a host'] });
      }
    }
    await domain.settings.saveSite(values, config);
    const view = adminView();
    logger.info({ by: req.principal?.name, siteName: view.siteName, siteId: view.siteId, mqttUrl: view.mqttUrl, restartRequired: view.restartRequired }, 'site settings changed');
    return { body: view };
  });
}

function hostOf(url: string): string {
  try { return new URL(url).hostname; } catch { return ''; }
}
