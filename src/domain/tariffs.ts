// Tariffs: what a kWh, a session and a minute cost, and which tariff a charger uses.
// Resolution: the charger's own tariff, else its station's, else the default tariff, else none (free).
// A transaction keeps a JSON snapshot of the tariff it started under, so editing a tariff never re-prices history.
import { asc, count, eq, ne } from 'drizzle-orm';
import type { Db, Sqlite } from '../db/index.js';
import { chargers, stations, tariffs, transactions } from '../db/schema.js';
import type { Charger } from './chargers.js';
import type { TariffSnapshot } from './pricing.js';
import { DomainError } from './errors.js';
import { tariffStatements, type TariffStatements } from '../db/queries/tariffs.js';

export type Tariff = typeof tariffs.$inferSelect;

export interface TariffInput {
  name: string;
  currency: string;
  pricePerKwh: number;
  sessionFee?: number;
  pricePerMinute?: number;
  idleFeePerMinute?: number;
  taxPercent?: number;
  isDefault?: boolean;
}

export class TariffInUseError extends DomainError {
  constructor(readonly tariffId: number, readonly usedBy: { chargers: number; stations: number; transactions: number }) {
    super('conflict', 'tariff_in_use', `tariff ${tariffId} is used by ${usedBy.chargers} charger(s), ${usedBy.stations} station(s) and ${usedBy.transactions} transaction(s)`, usedBy);
  }
}

/** Call inside uow.run: every write here is synchronous. */
export class Tariffs {
  private readonly q: TariffStatements;

  constructor(private readonly db: Db, sqlite: Sqlite) {
    this.q = tariffStatements(sqlite);
  }

  list(): Tariff[] {
    return this.db.select().from(tariffs).orderBy(asc(tariffs.id)).all();
  }

  byId(id: number): Tariff | undefined {
    return this.q.byId.get({ id });
  }

  create(input: TariffInput): Tariff {
    const row = this.db.insert(tariffs).values({ ...input, isDefault: false }).returning().get();
    if (input.isDefault) this.makeDefault(row.id);
    return this.byId(row.id)!;
  }

  update(id: number, input: Partial<TariffInput>): Tariff | undefined {
    const { isDefault, ...fields } = input;
    if (Object.keys(fields).length > 0) this.db.update(tariffs).set(fields).where(eq(tariffs.id, id)).run();
    if (isDefault === true) this.makeDefault(id);
    if (isDefault === false) this.db.update(tariffs).set({ isDefault: false }).where(eq(tariffs.id, id)).run();
    return this.byId(id);
  }

  /** Refused while anything points at the tariff: history keeps its foreign key, chargers need a price. */
  delete(id: number): boolean {
    const usedBy = {
      chargers: this.db.select({ n: count() }).from(chargers).where(eq(chargers.tariffId, id)).get()!.n,
      stations: this.db.select({ n: count() }).from(stations).where(eq(stations.tariffId, id)).get()!.n,
      transactions: this.db.select({ n: count() }).from(transactions).where(eq(transactions.tariffId, id)).get()!.n,
    };
    if (usedBy.chargers + usedBy.stations + usedBy.transactions > 0) throw new TariffInUseError(id, usedBy);
    return this.db.delete(tariffs).where(eq(tariffs.id, id)).run().changes > 0;
  }

  /** One default at most: making one the default clears the flag everywhere else. */
  private makeDefault(id: number): void {
    this.db.update(tariffs).set({ isDefault: false }).where(ne(tariffs.id, id)).run();
    this.db.update(tariffs).set({ isDefault: true }).where(eq(tariffs.id, id)).run();
  }

  assignToCharger(chargerId: number, tariffId: number | null): void {
    this.db.update(chargers).set({ tariffId }).where(eq(chargers.id, chargerId)).run();
  }

  assignToStation(stationId: number, tariffId: number | null): void {
    this.db.update(stations).set({ tariffId }).where(eq(stations.id, stationId)).run();
  }

  /** The tariff that prices a session started on this charger now, and where it came from. */
  resolve(charger: Pick<Charger, 'tariffId' | 'stationId'>): { tariff: Tariff; source: 'charger' | 'station' | 'default' } | undefined {
    if (charger.tariffId !== null) {
      const own = this.byId(charger.tariffId);
      if (own) return { tariff: own, source: 'charger' };
    }
    if (charger.stationId !== null) {
      const station = this.q.tariffOfStation.get({ stationId: charger.stationId });
      const ofStation = station?.tariffId != null ? this.byId(station.tariffId) : undefined;
      if (ofStation) return { tariff: ofStation, source: 'station' };
    }
    const fallback = this.q.defaultTariff.get();
    return fallback ? { tariff: fallback, source: 'default' } : undefined;
  }
}

export function snapshotOf(t: Tariff): TariffSnapshot {
  return {
    id: t.id, name: t.name, currency: t.currency, pricePerKwh: t.pricePerKwh, sessionFee: t.sessionFee,
    pricePerMinute: t.pricePerMinute, idleFeePerMinute: t.idleFeePerMinute, taxPercent: t.taxPercent,
  };
}
