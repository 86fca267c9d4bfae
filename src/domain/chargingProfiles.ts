// Charging profiles as sent to each charger (Smart Charging profile), so the page and the load
// balancer know what every charger was told. A charger replaces a profile with the same
// chargingProfileId, or with the same purpose and stack level on the same connector; we mirror that.
import { and, eq, ne, desc } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { chargingProfiles } from '../db/schema.js';
import type { ChargingProfile, ClearChargingProfileRequest } from '../protocol/ocpp16/index.js';
import { chargingProfileStatements } from '../db/queries/tariffs.js';

export type StoredChargingProfile = typeof chargingProfiles.$inferSelect;
export type ClearCriteria = ClearChargingProfileRequest;

export class ChargingProfiles {
  private readonly q: ReturnType<typeof chargingProfileStatements>;

  constructor(private readonly db: Db) {
    this.q = chargingProfileStatements(db);
  }

  list(chargerId: number, opts: { includeCleared?: boolean } = {}): StoredChargingProfile[] {
    const where = opts.includeCleared ? eq(chargingProfiles.chargerId, chargerId)
      : and(eq(chargingProfiles.chargerId, chargerId), ne(chargingProfiles.status, 'Cleared'));
    return this.db.select().from(chargingProfiles).where(where).orderBy(desc(chargingProfiles.id)).all();
  }

  /** Records what was sent and the charger's answer; an Accepted profile supersedes the ones it replaces. */
  record(chargerId: number, connectorId: number, profile: ChargingProfile, status: string, source: 'api' | 'load-balancer', at = new Date()): StoredChargingProfile {
    const updatedAt = at.toISOString();
    if (status === 'Accepted') {
      for (const p of this.list(chargerId)) {
        const sameId = p.chargingProfileId === profile.chargingProfileId;
        const sameSlot = p.connectorId === connectorId && p.purpose === profile.chargingProfilePurpose && p.stackLevel === profile.stackLevel;
        if (sameId || sameSlot) this.db.update(chargingProfiles).set({ status: 'Cleared', updatedAt }).where(eq(chargingProfiles.id, p.id)).run();
      }
    }
    return this.db.insert(chargingProfiles).values({
      chargerId, connectorId, chargingProfileId: profile.chargingProfileId, purpose: profile.chargingProfilePurpose,
      stackLevel: profile.stackLevel, transactionId: profile.transactionId ?? null, profile: JSON.stringify(profile),
      status, source, updatedAt,
    }).returning().get();
  }

  /** ClearChargingProfile was Accepted: mark what it matched (no criteria = every profile). */
  clear(chargerId: number, c: ClearCriteria, at = new Date()): number {
    let n = 0;
    for (const p of this.list(chargerId)) {
      if (c.id !== undefined && p.chargingProfileId !== c.id) continue;
      if (c.id === undefined) {
        if (c.connectorId !== undefined && p.connectorId !== c.connectorId) continue;
        if (c.chargingProfilePurpose !== undefined && p.purpose !== c.chargingProfilePurpose) continue;
        if (c.stackLevel !== undefined && p.stackLevel !== c.stackLevel) continue;
      }
      this.db.update(chargingProfiles).set({ status: 'Cleared', updatedAt: at.toISOString() }).where(eq(chargingProfiles.id, p.id)).run();
      n++;
    }
    return n;
  }

  /** TxProfiles end with their transaction. */
  endTransaction(chargerId: number, transactionId: number, at = new Date()): void {
    this.q.clearOfTransaction.run({ chargerId, transactionId, at: at.toISOString() });
  }
}
