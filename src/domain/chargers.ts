// Chargers and their connectors, both sides: what the operator registers, edits and removes, and what the
// charger reports over OCPP (boot, heartbeat, status) with the live picture. Removal never orphans rows: a
// charger with any history is archived (archived_at set: hidden, refused at connect, history kept); one that
// never did anything is deleted with its bookkeeping rows.
import { and, asc, count, eq, isNull, desc, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import {
  chargerConfiguration, chargers, chargingProfiles, connectors, dataTransfers, files, localListVersions, meterValues,
  reservations, securityEvents, statusHistory, transactions,
  compatRepairs, compatReviews,
} from '../db/schema.js';
import type { BootNotificationRequest, StatusNotificationRequest } from '../protocol/ocpp16/index.js';
import type { EventBus } from './events.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { ChargerPasswords } from './chargerPasswords.js';
import { utcIso } from './chargerTime.js';
import { DomainError } from './errors.js';
import type { Outbox } from './outbox.js';
import { chargerStatements, type ChargerStatements } from '../db/queries/chargers.js';
import { LastSeenTimes } from './lastSeen.js';
import type { CompatMode } from './compatibility.js';

export type Charger = typeof chargers.$inferSelect;
export type Connector = typeof connectors.$inferSelect;

export interface ChargerInput {
  chargePointId: string; name?: string | null; stationId?: number | null; tariffId?: number | null;
  password?: string | null; maxCurrentA?: number | null; registrationStatus?: 'Accepted' | 'Pending' | 'Rejected';
  compatMode?: CompatMode;
  securityProfile?: SecurityProfile;
}
/** Security whitepaper profile: 1 Basic auth over ws:// or wss://, 2 Basic auth over TLS only, 3 TLS with a client certificate. */
export type SecurityProfile = 1 | 2 | 3;

export interface ChargerEdit {
  name?: string | null; stationId?: number | null; tariffId?: number | null; maxCurrentA?: number | null;
  registrationStatus?: 'Accepted' | 'Pending' | 'Rejected';
  /** tolerant (default): known charger deviations repaired; strict: the official schemas only (conformance tests). */
  compatMode?: CompatMode;
  securityProfile?: SecurityProfile;
}

// Rows that are the charger's history: any of them means archive, not delete.
const HISTORY = { transactions, meterValues, statusHistory, reservations, securityEvents, dataTransfers, files, compatRepairs, compatReviews } as const;

export class Chargers {
  /** Basic-auth passwords and AuthorizationKey rotation. */
  readonly passwords: ChargerPasswords;

  // Prepared once: these run for every message a charger sends.
  private readonly byIdQuery;
  private readonly byChargePointIdQuery;
  private readonly q: ChargerStatements;
  /** Last-seen and heartbeat times, written in the background (lastSeen.ts). */
  readonly lastSeen: LastSeenTimes;

  constructor(private readonly db: Db, private readonly uow: UnitOfWork, private readonly events: EventBus, private readonly outbox?: Outbox) {
    this.passwords = new ChargerPasswords(db, uow);
    this.q = chargerStatements(db);
    this.lastSeen = new LastSeenTimes(uow, this.q);
    // The central office learns when a charger goes on or off line (charger-status v1, event connected/disconnected).
    if (outbox) {
      events.on('charger.connected', ({ chargePointId }) => this.recordConnection(chargePointId, 'connected'));
      events.on('charger.disconnected', ({ chargePointId }) => this.recordConnection(chargePointId, 'disconnected'));
    }
    this.byIdQuery = db.select().from(chargers).where(eq(chargers.id, sql.placeholder('id'))).prepare();
    this.byChargePointIdQuery = db.select().from(chargers)
      .where(and(eq(chargers.chargePointId, sql.placeholder('cpId')), isNull(chargers.archivedAt))).prepare();
  }

  byChargePointId(chargePointId: string): Charger | undefined {
    return this.lastSeen.withTimes(this.byChargePointIdQuery.get({ cpId: chargePointId }));
  }

  byId(id: number): Charger | undefined {
    return this.lastSeen.withTimes(this.byIdQuery.get({ id }));
  }

  list(opts: { includeArchived?: boolean } = {}): Charger[] {
    return this.db.select().from(chargers).where(opts.includeArchived ? undefined : isNull(chargers.archivedAt))
      .orderBy(asc(chargers.chargePointId)).all().map((row) => this.lastSeen.withTimes(row));
  }

  /** By chargePointId first (what the admin page uses), then by numeric id; archived ones included. */
  find(idOrChargePointId: string): Charger | undefined {
    const byCpId = this.db.select().from(chargers).where(eq(chargers.chargePointId, idOrChargePointId)).get();
    if (byCpId) return this.lastSeen.withTimes(byCpId);
    if (!/^\d+$/.test(idOrChargePointId)) return undefined;
    return this.lastSeen.withTimes(this.db.select().from(chargers).where(eq(chargers.id, Number(idOrChargePointId))).get());
  }

  /** Call inside uow.run (so are restore and remove). */
  update(id: number, edit: ChargerEdit): Charger {
    if (Object.keys(edit).length > 0) this.db.update(chargers).set(edit).where(eq(chargers.id, id)).run();
    return this.lastSeen.withTimes(this.db.select().from(chargers).where(eq(chargers.id, id)).get()!);
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

  /** Archives when there is history, else deletes; says which it did. Refused while a session runs on it. */
  remove(id: number, now = new Date()): 'archived' | 'deleted' {
    const running = this.runningTransactions(id);
    if (running > 0) {
      const cpId = this.byId(id)?.chargePointId ?? id;
      throw new DomainError('conflict', 'charger_busy', `charger ${cpId} has ${running} running session(s); stop them first (admin page, or at the charger)`, { running });
    }
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

  connectorsOf(chargerId: number): Connector[] {
    return this.db.select().from(connectors).where(eq(connectors.chargerId, chargerId)).orderBy(connectors.connectorId).all();
  }

  async create(input: ChargerInput): Promise<Charger> {
    const passwordHash = input.password ? this.passwords.hash(input.password) : null;
    return this.uow.run(() => this.db.insert(chargers).values({
      chargePointId: input.chargePointId, name: input.name ?? null, stationId: input.stationId ?? null,
      tariffId: input.tariffId ?? null, passwordHash, maxCurrentA: input.maxCurrentA ?? null,
      registrationStatus: input.registrationStatus ?? 'Accepted', compatMode: input.compatMode ?? 'tolerant',
      securityProfile: input.securityProfile ?? 1,
    }).returning().get());
  }

  async setPassword(chargerId: number, password: string | null): Promise<void> {
    const passwordHash = password ? this.passwords.hash(password) : null;
    await this.uow.run(() => this.passwords.set(chargerId, passwordHash));
  }

  /** Security profile 1/2: Basic auth password against the stored hash (and a pending rotation's). */
  checkPassword(charger: Charger, password: string | undefined, passwordBytes?: Buffer): Promise<boolean> {
    return this.passwords.check(charger, password, passwordBytes);
  }

  /**
   * An unknown charger that connected while the policy is "pending": known from now on, not yet trusted.
   * Undefined when the id belongs to an archived (operator-removed) charger: that one is refused, not
   * revived, because bringing it back is the operator's decision (POST /api/admin/chargers restores it)
   * and a device reusing a removed id must not reappear on its own.
   */
  registerPending(chargePointId: string): Promise<Charger | undefined> {
    return this.uow.run(() => {
      const existing = this.db.select().from(chargers).where(eq(chargers.chargePointId, chargePointId)).get();
      if (existing) return existing.archivedAt ? undefined : existing; // archived, or registered by a racing connect
      return this.db.insert(chargers).values({ chargePointId, registrationStatus: 'Pending' }).returning().get();
    });
  }

  /** Records a BootNotification; 'charger.booted' follows the COMMIT (the reply goes out right after it). */
  boot(chargerId: number, req: BootNotificationRequest, at: Date): Charger {
    // A reboot ends every session, so a Scheduled availability change is in effect now (it survives reboots).
    this.q.endScheduledAvailability.run({ chargerId });
    const charger = this.lastSeen.withTimes(this.q.boot.get({
      id: chargerId, vendor: req.chargePointVendor, model: req.chargePointModel, serialNumber: req.chargePointSerialNumber ?? null,
      chargeBoxSerialNumber: req.chargeBoxSerialNumber ?? null, firmwareVersion: req.firmwareVersion ?? null,
      iccid: req.iccid ?? null, imsi: req.imsi ?? null, meterType: req.meterType ?? null, meterSerialNumber: req.meterSerialNumber ?? null,
      at: at.toISOString(),
    })!);
    this.uow.onCommit(() => this.events.emit('charger.booted', { chargePointId: charger.chargePointId }));
    return charger;
  }

  /** In memory now, on the row within seconds (lastSeen.ts): no page written per Heartbeat. */
  heartbeat(chargerId: number, at: Date): void {
    this.lastSeen.seen(chargerId, at, true);
  }

  touch(chargerId: number, at: Date): void {
    this.lastSeen.seen(chargerId, at);
  }

  /** Stores the status per connector (0 = the charger) and appends it to the history. */
  status(charger: Charger, req: StatusNotificationRequest, at: Date): void {
    const receivedAt = at.toISOString();
    // UTC like session times: the idle fee compares these with them (a raw leap second was NaN there).
    const timestamp = req.timestamp === undefined ? null : utcIso(req.timestamp);
    const reported = {
      chargerId: charger.id, connectorId: req.connectorId, status: req.status, errorCode: req.errorCode,
      info: req.info ?? null, vendorErrorCode: req.vendorErrorCode ?? null,
    };
    this.q.upsertConnectorStatus.run({ ...reported, statusAt: timestamp ?? receivedAt });
    if (req.connectorId === 0) this.q.setLatestStatus.run({ id: charger.id, status: req.status });
    // A Scheduled availability change has happened once the connector reports the state it asked for.
    const applied = req.status === 'Available' ? 'Operative' : req.status === 'Unavailable' ? 'Inoperative' : undefined;
    if (applied) this.q.availabilityApplied.run({ chargerId: charger.id, connectorId: req.connectorId, applied });
    this.q.appendStatusHistory.run({ ...reported, timestamp, receivedAt });
    this.outbox?.add('chargers', {
      event: 'status', chargePointId: charger.chargePointId, connectorId: req.connectorId, status: req.status,
      errorCode: req.errorCode, info: req.info ?? null, vendorErrorCode: req.vendorErrorCode ?? null,
      timestamp, receivedAt,
    }, at);
    this.uow.onCommit(() => this.events.emit('connector.status', {
      chargePointId: charger.chargePointId, connectorId: req.connectorId, status: req.status, errorCode: req.errorCode,
    }));
  }

  private recordConnection(chargePointId: string, event: 'connected' | 'disconnected'): void {
    const at = new Date();
    this.uow.run(() => this.outbox!.add('chargers', { event, chargePointId, receivedAt: at.toISOString() }, at)).catch(() => {});
  }

  statusHistory(chargerId: number, limit = 100) {
    return this.db.select().from(statusHistory).where(eq(statusHistory.chargerId, chargerId)).orderBy(desc(statusHistory.id)).limit(limit).all();
  }

  setFirmwareStatus(chargerId: number, status: string): void {
    this.db.update(chargers).set({ firmwareStatus: status }).where(eq(chargers.id, chargerId)).run();
  }

  setDiagnosticsStatus(chargerId: number, status: string): void {
    this.db.update(chargers).set({ diagnosticsStatus: status }).where(eq(chargers.id, chargerId)).run();
  }
}
