// The domain, assembled: every service shares one database handle, one unit of work and one event bus.
// Callers (ocpp, server, cli) get the services, never the handles: what they need from a table is a method here.
import type { Db, Sqlite } from '../db/index.js';
import { UnitOfWork } from '../db/unitOfWork.js';
import type { Config } from '../config.js';
import { EventBus } from './events.js';
import { Chargers } from './chargers.js';
import { IdTagAuthorization } from './idTagAuthorization.js';
import { MessageLog } from './messageLog.js';
import { MeterValues } from './meterValues.js';
import { Outbox } from './outbox.js';
import { Transactions } from './transactions.js';
import { ChargingProfiles } from './chargingProfiles.js';
import { Files } from './files.js';
import { LocalLists } from './localLists.js';
import { Reservations } from './reservations.js';
import { SecurityEvents } from './securityEvents.js';
import { CertificateRequests } from './certificateRequests.js';
import { Tariffs } from './tariffs.js';
import { Wallets } from './wallets.js';
import { WalletSettlement } from './settlement.js';
import { AdminUsers } from './adminUsers.js';
import { AdminSessions } from './adminSessions.js';
import { ApiTokens } from './apiTokens.js';
import { Stations } from './stations.js';
import { Users } from './users.js';
import { IdTagRegistry } from './idTagRegistry.js';
import { IdTagRevision } from './idTagRevision.js';
import { SiteSettings } from './siteSettings.js';
import { Compatibility } from './compatibility.js';
import { ChargerSettings } from './chargerSettings.js';
import { DataTransfers } from './dataTransfers.js';
import { TransactionQueries } from './transactionQueries.js';
import { Retention } from './retention.js';
import { LoadSessions } from './loadSessions.js';
import { GridMeterInput } from './gridMeterInput.js';
import { Statistics } from './statistics.js';

export interface Domain {
  /** Makes a set of service calls one atomic, durable step: uow.run(() => …) resolves after COMMIT. */
  uow: UnitOfWork;
  /** Committed changes, announced after COMMIT. */
  events: EventBus;
  /** Whether the database answers a query now (health). */
  databaseAnswers(): boolean;
  /** Chargers: registered, edited and removed by the operator, reporting over OCPP. */
  chargers: Chargers;
  /** Whether an idTag may charge now, as an OCPP idTagInfo. */
  authorization: IdTagAuthorization;
  messageLog: MessageLog;
  meterValues: MeterValues;
  outbox: Outbox;
  transactions: Transactions;
  /** Read-only views of sessions: the admin lists, totals, CSV export, what runs where. */
  transactionQueries: TransactionQueries;
  /** What each charger reported of its configuration (GetConfiguration) and connectors. */
  chargerSettings: ChargerSettings;
  dataTransfers: DataTransfers;
  retention: Retention;
  chargingProfiles: ChargingProfiles;
  files: Files;
  localLists: LocalLists;
  reservations: Reservations;
  securityEvents: SecurityEvents;
  /** Chargers' CSRs (SignCertificate) and what the site CA made of them. */
  certificateRequests: CertificateRequests;
  tariffs: Tariffs;
  wallets: Wallets;
  settlement: WalletSettlement;
  adminUsers: AdminUsers;
  adminSessions: AdminSessions;
  apiTokens: ApiTokens;
  stations: Stations;
  users: Users;
  /** The idTags themselves: list, look up, add, change, remove. */
  idTagRegistry: IdTagRegistry;
  /** Moved by every idTag change, in any process (the CLI too): the server watches it. */
  idTagRevision: IdTagRevision;
  /** The sessions that hold a share of the site's limit (the load balancer's input). */
  loadSessions: LoadSessions;
  /** The site's total consumption as the grid meter last reported it (fed by src/sync/gridMeter.ts). */
  gridMeter: GridMeterInput;
  /** Energy, sessions and revenue of completed sessions by day/week/month, charger or driver. */
  statistics: Statistics;
  /** Settings stored by the first-run setup (site name, site id, MQTT broker), over the config file. */
  settings: SiteSettings;
  /** Repairs the OCPP compatibility layer made per charger, and messages kept for review. */
  compatibility: Compatibility;
}

export function createDomain(db: Db, sqlite: Sqlite, config: Config, onError: (err: unknown) => void = () => {}): Domain {
  const uow = new UnitOfWork(sqlite, onError);
  const events = new EventBus();
  const meterValues = new MeterValues(sqlite, uow);
  const outbox = new Outbox(sqlite, uow, events);
  const chargers = new Chargers(db, uow, events, outbox);
  // Authorization asks the wallets about money (settlement is created below, before any call arrives).
  const authorization = new IdTagAuthorization(sqlite, config.ocpp, (userId, chargerId, policy, now) => settlement.canStart(userId, chargerId, policy, now));
  const transactions = new Transactions(db, sqlite, uow, events, meterValues, outbox, { maxPowerW: config.sessions.maxPowerW });
  const transactionQueries = new TransactionQueries(db);
  // Sessions are priced and paid from wallets; authorization asks the same place about money.
  const tariffs = new Tariffs(db, sqlite);
  const idTagRevision = new IdTagRevision(db);
  const wallets = new Wallets(db, sqlite, uow, events, outbox);
  const messageLog = new MessageLog(sqlite, uow, events);
  const settlement = new WalletSettlement(db, tariffs, wallets, (id) => chargers.byId(id));
  transactions.settlement = settlement;
  settlement.withLive = (tx) => transactions.live.withLive(tx);
  transactionQueries.withLive = (tx) => transactions.live.withLive(tx);
  transactionQueries.writeLive = () => { void transactions.live.flush(); };
  return {
    uow, events,
    databaseAnswers: () => { try { sqlite.prepare('SELECT 1').get(); return true; } catch { return false; } },
    chargers,
    authorization,
    messageLog,
    meterValues,
    outbox,
    transactions,
    transactionQueries,
    chargerSettings: new ChargerSettings(db),
    dataTransfers: new DataTransfers(db),
    retention: new Retention({ sqlite, uow, messageLog, meterValues, outbox }),
    chargingProfiles: new ChargingProfiles(db),
    files: new Files(db, uow, config.dataDir),
    localLists: new LocalLists(db, (userId, chargerId, now) => settlement.canStart(userId, chargerId, config.ocpp, now)),
    reservations: new Reservations(db),
    securityEvents: new SecurityEvents(db),
    certificateRequests: new CertificateRequests(db, uow, events),
    tariffs, wallets, settlement,
    adminUsers: new AdminUsers(db, uow),
    adminSessions: new AdminSessions(db, uow),
    apiTokens: new ApiTokens(db, uow),
    stations: new Stations(db),
    users: new Users(db),
    idTagRegistry: new IdTagRegistry(db, uow, events, idTagRevision),
    idTagRevision,
    loadSessions: new LoadSessions(transactionQueries),
    gridMeter: new GridMeterInput(),
    statistics: new Statistics(sqlite),
    settings: new SiteSettings(db, uow),
    compatibility: new Compatibility(sqlite),
  };
}
