// The domain, assembled: every service shares one database handle, one unit of work and one event bus.
import type { Db, Sqlite } from '../db/index.js';
import { UnitOfWork } from '../db/unitOfWork.js';
import type { Config } from '../config.js';
import { EventBus } from './events.js';
import { Chargers } from './chargers.js';
import { IdTags } from './idTags.js';
import { MessageLog } from './messageLog.js';
import { MeterValues } from './meterValues.js';
import { Outbox } from './outbox.js';
import { Transactions } from './transactions.js';
import { ChargingProfiles } from './chargingProfiles.js';
import { Files } from './files.js';
import { LocalLists } from './localLists.js';
import { Reservations } from './reservations.js';
import { SecurityEvents } from './securityEvents.js';

export interface Domain {
  db: Db;
  sqlite: Sqlite;
  uow: UnitOfWork;
  events: EventBus;
  config: Config;
  chargers: Chargers;
  idTags: IdTags;
  messageLog: MessageLog;
  meterValues: MeterValues;
  outbox: Outbox;
  transactions: Transactions;
  chargingProfiles: ChargingProfiles;
  files: Files;
  localLists: LocalLists;
  reservations: Reservations;
  securityEvents: SecurityEvents;
}

export function createDomain(db: Db, sqlite: Sqlite, config: Config, onError: (err: unknown) => void = () => {}): Domain {
  const uow = new UnitOfWork(sqlite, onError);
  const events = new EventBus();
  const meterValues = new MeterValues(sqlite);
  const outbox = new Outbox(sqlite, uow, events);
  return {
    db, sqlite, uow, events, config,
    chargers: new Chargers(db, uow, events),
    idTags: new IdTags(db, config.ocpp),
    messageLog: new MessageLog(sqlite, events),
    meterValues,
    outbox,
    transactions: new Transactions(db, sqlite, uow, events, meterValues, outbox),
    chargingProfiles: new ChargingProfiles(db),
    files: new Files(db, config.dataDir),
    localLists: new LocalLists(db),
    reservations: new Reservations(db),
    securityEvents: new SecurityEvents(db),
  };
}
