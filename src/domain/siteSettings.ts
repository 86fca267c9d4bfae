// Site settings an operator sets in the page (first-run setup) rather than in the config file:
// stored in the setting table (JSON values) and laid over the config at start, so they win over the
// file's values. Call the sync methods inside uow.run.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { settings, tariffs } from '../db/schema.js';
import type { Config } from '../config.js';
import type { UnitOfWork } from '../db/unitOfWork.js';

/** Keys the setup form writes, and where each lands in the config. */
export interface SiteSettingValues { siteName?: string; siteId?: string; mqttUrl?: string | null }

const KEYS = { siteName: 'site.name', siteId: 'site.id', mqttUrl: 'mqtt.url' } as const;
/** The currency entered at setup (ISO 4217): stored even when no tariff is made, so free sites keep it. */
export const CURRENCY_KEY = 'site.currency';

export class SiteSettings {
  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {}

  get<T>(key: string): T | undefined {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  set(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    this.db.insert(settings).values({ key, value: json }).onConflictDoUpdate({ target: settings.key, set: { value: json } }).run();
  }

  delete(key: string): void {
    this.db.delete(settings).where(eq(settings.key, key)).run();
  }

  /** The site settings as stored (only those that were set). */
  site(): SiteSettingValues {
    const out: SiteSettingValues = {};
    for (const [name, key] of Object.entries(KEYS) as Array<[keyof SiteSettingValues, string]>) {
      const v = this.get<string | null>(key);
      if (v !== undefined) (out as Record<string, unknown>)[name] = v;
    }
    return out;
  }

  /**
   * The site's currency: the one stored at setup, else the default tariff's (sites set up before the
   * key existed), else null. New tariffs and wallets take it when none is given.
   */
  currency(): string | null {
    const stored = this.get<string>(CURRENCY_KEY);
    if (stored) return stored;
    const tariff = this.db.select({ currency: tariffs.currency }).from(tariffs)
      .where(eq(tariffs.isDefault, true)).orderBy(asc(tariffs.id)).get();
    return tariff?.currency ?? null;
  }

  /** Stores the values given (a null mqttUrl turns MQTT off) and applies them to the running config. */
  async saveSite(values: SiteSettingValues, config?: Config): Promise<void> {
    await this.uow.run(() => {
      for (const [name, key] of Object.entries(KEYS) as Array<[keyof SiteSettingValues, string]>) {
        if (values[name] !== undefined) this.set(key, values[name]);
      }
    });
    if (config) applySiteSettings(config, values);
  }
}

/**
 * Lays stored settings over the config. siteName shows at once; siteId and the MQTT broker take
 * effect when the sync starts (at start, so after setup the server says to restart for MQTT).
 */
export function applySiteSettings(config: Config, values: SiteSettingValues): void {
  if (values.siteName !== undefined) config.siteName = values.siteName;
  if (values.siteId !== undefined) config.siteId = values.siteId;
  if (values.mqttUrl !== undefined) {
    config.mqtt.enabled = values.mqttUrl !== null;
    if (values.mqttUrl !== null) config.mqtt.url = values.mqttUrl;
  }
}
