// What we asked a charger to be (connector availability) and what it told us about itself (configuration
// keys). Call inside uow.run: every write here is synchronous.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { chargerConfiguration, connectors } from '../db/schema.js';
import type { KeyValue } from '../protocol/ocpp16/index.js';

export type ConfigurationRow = typeof chargerConfiguration.$inferSelect;

/** Keys whose value is a secret: kept out of the configuration table (the charger never reports it either). */
export const SECRET_CONFIGURATION_KEYS = new Set(['AuthorizationKey']);

export class ChargerSettings {
  constructor(private readonly db: Db) {}

  /**
   * Records the availability the charger agreed to. `scheduled` means it will switch once its running
   * session ends. Connector 0 is the whole charger, so every connector we know of takes the same state.
   */
  setAvailability(chargerId: number, connectorId: number, availability: 'Operative' | 'Inoperative', scheduled: boolean): void {
    const values = { availability, availabilityScheduled: scheduled };
    this.db.insert(connectors).values({ chargerId, connectorId, ...values })
      .onConflictDoUpdate({ target: [connectors.chargerId, connectors.connectorId], set: values }).run();
    if (connectorId === 0) this.db.update(connectors).set(values).where(eq(connectors.chargerId, chargerId)).run();
  }

  /** Stores what GetConfiguration returned (upsert per key; keys not reported are left as they were). */
  recordReported(chargerId: number, keys: KeyValue[], at = new Date()): void {
    for (const k of keys) {
      if (SECRET_CONFIGURATION_KEYS.has(k.key)) continue;
      this.upsert(chargerId, k.key, k.value ?? null, k.readonly, at);
    }
  }

  /** After an accepted ChangeConfiguration: the value we sent is the value now. */
  recordChanged(chargerId: number, key: string, value: string, at = new Date()): void {
    if (SECRET_CONFIGURATION_KEYS.has(key)) return;
    const existing = this.db.select().from(chargerConfiguration)
      .where(and(eq(chargerConfiguration.chargerId, chargerId), eq(chargerConfiguration.key, key))).get();
    this.upsert(chargerId, key, value, existing?.readonly ?? false, at);
  }

  configuration(chargerId: number): ConfigurationRow[] {
    return this.db.select().from(chargerConfiguration).where(eq(chargerConfiguration.chargerId, chargerId))
      .orderBy(asc(chargerConfiguration.key)).all();
  }

  private upsert(chargerId: number, key: string, value: string | null, readonly: boolean, at: Date): void {
    const set = { value, readonly, updatedAt: at.toISOString() };
    this.db.insert(chargerConfiguration).values({ chargerId, key, ...set })
      .onConflictDoUpdate({ target: [chargerConfiguration.chargerId, chargerConfiguration.key], set }).run();
  }
}
