// The transaction table's statements, built by Drizzle and prepared by SQLite once, when the site starts.
// StartTransaction/StopTransaction/MeterValues run them on every message: building a query and
// preparing it per call cost about 40% of those messages' CPU (issue #12).
import { and, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { transactions } from '../schema.js';

const p = sql.placeholder;
/** A column takes a bound value: `set`/`values` accept SQL, so the statement can be prepared once. */
const bound = (name: string) => sql`${p(name)}`;

export type TransactionStatements = ReturnType<typeof transactionStatements>;

export function transactionStatements(db: Db) {
  const running = eq(transactions.status, 'RUNNING');
  return {
    byId: db.select().from(transactions).where(eq(transactions.id, p('id'))).prepare(),
    ofCharger: db.select().from(transactions)
      .where(and(eq(transactions.id, p('id')), eq(transactions.chargerId, p('chargerId')))).prepare(),
    runningOn: db.select().from(transactions).where(and(eq(transactions.chargerId, p('chargerId')), running)).prepare(),
    /** A retried start: startedAt is the stored UTC time (utc) or the raw text of an older row (raw). */
    startRetry: db.select().from(transactions).where(and(
      eq(transactions.chargerId, p('chargerId')), eq(transactions.connectorId, p('connectorId')), eq(transactions.idTag, p('idTag')),
      or(eq(transactions.startedAt, p('utc')), eq(transactions.startedAt, p('raw'))), eq(transactions.meterStart, p('meterStart')),
    )).limit(1).prepare(),
    orphanRetry: db.select().from(transactions).where(and(
      eq(transactions.chargerId, p('chargerId')), eq(transactions.status, 'ORPHAN_STOP'),
      eq(transactions.reportedTransactionId, p('reportedId')), eq(transactions.meterStop, p('meterStop')),
      or(eq(transactions.stoppedAt, p('utc')), eq(transactions.stoppedAt, p('raw'))),
    )).limit(1).prepare(),
    interruptCharger: db.update(transactions).set({ status: 'INTERRUPTED', interruptedAt: bound('at') })
      .where(and(eq(transactions.chargerId, p('chargerId')), running)).returning().prepare(),
    interruptConnector: db.update(transactions).set({ status: 'INTERRUPTED', interruptedAt: bound('at') })
      .where(and(eq(transactions.chargerId, p('chargerId')), running, eq(transactions.connectorId, p('connectorId')))).returning().prepare(),
    insertRunning: db.insert(transactions).values({
      chargerId: bound('chargerId'), connectorId: bound('connectorId'), idTag: bound('idTag'), userId: bound('userId'),
      reservationId: bound('reservationId'), status: 'RUNNING', authStatus: bound('authStatus'),
      meterStart: bound('meterStart'), lastMeterWh: bound('meterStart'), startedAt: bound('startedAt'), startReceivedAt: bound('receivedAt'),
      tariffId: bound('tariffId'), tariffSnapshot: bound('tariffSnapshot'), currency: bound('currency'),
    }).returning().prepare(),
    insertOrphanStop: db.insert(transactions).values({
      chargerId: bound('chargerId'), connectorId: 0, idTag: bound('idTag'), status: 'ORPHAN_STOP', authStatus: 'Invalid',
      meterStart: bound('meterStop'), meterStop: bound('meterStop'), energyWh: 0, startedAt: bound('stoppedAt'), startReceivedAt: bound('receivedAt'),
      stoppedAt: bound('stoppedAt'), stopReceivedAt: bound('receivedAt'), stopReason: bound('reason'), stopIdTag: bound('stopIdTag'),
      reportedTransactionId: bound('reportedId'),
    }).returning().prepare(),
    complete: db.update(transactions).set({
      status: 'COMPLETED', meterStop: bound('meterStop'), lastMeterWh: bound('meterStop'), lastPowerW: 0, energyWh: bound('energyWh'),
      stoppedAt: bound('stoppedAt'), stopReceivedAt: bound('receivedAt'), stopReason: bound('reason'), stopIdTag: bound('stopIdTag'),
    }).where(eq(transactions.id, p('id'))).returning().prepare(),
    setCost: db.update(transactions).set({ costAmount: bound('costAmount'), currency: bound('currency') })
      .where(eq(transactions.id, p('id'))).returning().prepare(),
    updateMeter: db.update(transactions).set({
      lastMeterWh: sql`coalesce(${p('energyWh')}, ${transactions.lastMeterWh})`,
      lastPowerW: sql`coalesce(${p('powerW')}, ${transactions.lastPowerW})`,
    }).where(eq(transactions.id, p('id'))).prepare(),
  };
}
