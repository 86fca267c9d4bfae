// Stations: a named place that groups chargers (and may carry their tariff). Call inside uow.run.
import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { chargers, stations } from '../db/schema.js';
import { DomainError } from './errors.js';

export type Station = typeof stations.$inferSelect;
export interface StationInput { name: string; address?: string | null; latitude?: number | null; longitude?: number | null; tariffId?: number | null }

export class Stations {
  constructor(private readonly db: Db) {}

  list(): Station[] {
    return this.db.select().from(stations).orderBy(asc(stations.name), asc(stations.id)).all();
  }

  byId(id: number): Station | undefined {
    return this.db.select().from(stations).where(eq(stations.id, id)).get();
  }

  create(input: StationInput): Station {
    return this.db.insert(stations).values(input).returning().get();
  }

  update(id: number, input: Partial<StationInput>): Station | undefined {
    if (Object.keys(input).length === 0) return this.byId(id);
    return this.db.update(stations).set(input).where(eq(stations.id, id)).returning().get();
  }

  /** Chargers (archived ones included) that point at the station: while any do, it cannot go. */
  chargerCount(id: number): number {
    return this.db.select({ n: count() }).from(chargers).where(eq(chargers.stationId, id)).get()!.n;
  }

  /** Refused (station_in_use) while chargers, archived ones too, belong to it: move them first. */
  remove(id: number): void {
    const n = this.chargerCount(id);
    if (n > 0) throw new DomainError('conflict', 'station_in_use', `station ${id} still has ${n} charger(s) (archived ones count); move them first`, { chargers: n });
    this.db.delete(stations).where(eq(stations.id, id)).run();
  }
}
