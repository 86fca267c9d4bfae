// The operator's side of chargers: edit, list with archived ones, and removal that never orphans rows.
// A charger with any history is archived (archived_at set: hidden, refused at connect, history kept);
// one that never did anything is deleted with its bookkeeping rows. Call inside uow.run.
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import {
  chargerConfiguration, chargers, chargingProfiles, connectors, dataTransfers, files, localListVersions, meterValues,
  reservations, securityEvents, statusHistory, transactions,
} from '../db/schema.js';
import type { Charger } from './chargers.js';

export interface ChargerEdit {
  name?: string | null; stationId?: number | null; tariffId?: number | null; maxCurrentA?: number | null;
  registrationStatus?: 'Accepted' | 'Pending' | 'Rejected';
}

// Rows that are the charger's history: any of them means archive, not delete.
const HISTORY = { transactions, meterValues, statusHistory, reservations, securityEvents, dataTransfers, files } as const;

export class ChargerRegistry {
  constructor(private readonly db: Db) {}

  list(opts: { includeArchived?: boolean } = {}): Charger[] {
    return this.db.select().from(chargers).where(opts.includeArchived ? undefined : isNull(chargers.archivedAt))
      .orderBy(asc(chargers.chargePointId)).all();
  }

  /** By chargePointId first (what the admin page uses), then by numeric id; archived ones included. */
  find(idOrChargePointId: string): Charger | undefined {
    const byCpId = this.db.select().from(chargers).where(eq(chargers.chargePointId, idOrChargePointId)).get();
    if (byCpId) return byCpId;
    if (!/^\d+$/.test(idOrChargePointId)) return undefined;
    return this.db.select().from(chargers).where(eq(chargers.id, Number(idOrChargePointId))).get();
  }

  update(id: number, edit: ChargerEdit): Charger {
    if (Object.keys(edit).length > 0) this.db.update(chargers).set(edit).where(eq(chargers.id, id)).run();
    return this.db.select().from(chargers).where(eq(chargers.id, id)).get()!;
  }

  /** Registering an archived chargePointId again brings the charger (and its history) back. */
  restore(id: number, edit: ChargerEdit): Charger {
    this.db.update(chargers).set({ archivedAt: null }).where(eq(chargers.id, id)).run();
    return this.update(id, edit);
  }

  runningTransactions(id: number): number {
    return this.db.select({ n: count() }).from(transactions).where(and(eq(transactions.chargerId, id), eq(transactions.status, 'RUNNING'))).get()!.n;
  }

  hasHistory(id: number): boolean {
    return Object.values(HISTORY).some((table) => this.db.select({ n: count() }).from(table).where(eq(table.chargerId, id)).get()!.n > 0);
  }

  /** Archives when there is history, else deletes; says which it did. */
  remove(id: number, now = new Date()): 'archived' | 'deleted' {
    if (this.hasHistory(id)) {
      this.db.update(chargers).set({ archivedAt: now.toISOString() }).where(eq(chargers.id, id)).run();
      return 'archived';
    }
    for (const table of [connectors, chargerConfiguration, chargingProfiles, localListVersions]) {
      this.db.delete(table).where(eq(table.chargerId, id)).run();
    }
    this.db.delete(chargers).where(eq(chargers.id, id)).run();
    return 'deleted';
  }
}
