// The transaction table's statements, built by Drizzle and prepared by SQLite once, when the site starts.
// StartTransaction/StopTransaction/MeterValues run them on every message: building a query and
// preparing it per call cost about 40% of those messages' CPU (issue #12).
import { and, desc, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../index.js';
import { transactions } from '../schema.js';
import { plainColumns, type PlainAll, type PlainGet } from './plainColumns.js';

const p = sql.placeholder;
/** A column takes a bound value: `set`/`values` accept SQL, so the statement can be prepared once. */
const bound = (name: string) => sql`${p(name)}`;
const OPEN = ['RUNNING', 'INTERRUPTED'];

export type TransactionStatements = ReturnType<typeof transactionStatements>;
type Transaction = typeof transactions.$inferSelect;

/** What MeterValues reads of its session: better-sqlite3's cost grows with the columns (29: ~15 µs a row, 9: ~5). */
export type MeteredSession = Pick<typeof transactions.$inferSelect,
  'id' | 'status' | 'connectorId' | 'meterStart' | 'idUsedAt' | 'flags' | 'lastMeterWh' | 'lastPowerW' | 'lastMeterAt'>;

export function transactionStatements(db: Db, sqlite: Sqlite) {
  const t = transactions;
  const meteredOf = sqlite.prepare(`SELECT id, status, connector_id AS connectorId, meter_start AS meterStart, id_used_at AS idUsedAt, flags,
    last_meter_wh AS lastMeterWh, last_power_w AS lastPowerW, last_meter_at AS lastMeterAt FROM "transaction" WHERE id = ? AND charger_id = ?`);
  // Plain statements (plainColumns.ts) for the row reads every StartTransaction and StopTransaction makes.
  const row = `SELECT ${plainColumns(t)} FROM "transaction"`;
  const running = eq(t.status, 'RUNNING');
  const onConnector = and(eq(t.chargerId, p('chargerId')), eq(t.connectorId, p('connectorId')), running);
  return {
    byId: sqlite.prepare(`${row} WHERE id = @id`) as PlainGet<Transaction>,
    ofCharger: sqlite.prepare(`${row} WHERE id = @id AND charger_id = @chargerId`) as PlainGet<Transaction>,
    /** The charger's session a MeterValues names, only the columns it reads (run on every MeterValues). */
    meteredOf: (id: number, chargerId: number) => meteredOf.get(id, chargerId) as MeteredSession | undefined,
    runningOn: db.select().from(t).where(and(eq(t.chargerId, p('chargerId')), running)).prepare(),
    runningOnConnector: sqlite.prepare(`${row} WHERE charger_id = @chargerId AND connector_id = @connectorId AND status = 'RUNNING'`) as PlainAll<Transaction>,
    allRunning: db.select().from(t).where(running).prepare(),
    /**
     * Retried starts of a session still open (the caller takes the newest): startedAt is the stored UTC time
     * (utc) or an older row's raw text (raw). `IN` and no ORDER BY: with `OR` and `ORDER BY id DESC LIMIT 1`
     * SQLite walked the table by id instead of the dedupe index, 70–120 µs a StartTransaction instead of 9.
     */
    startRetries: sqlite.prepare(`${row} WHERE charger_id = @chargerId AND connector_id = @connectorId AND id_tag = @idTag
      AND started_at IN (@utc, @raw) AND meter_start = @meterStart AND status IN (${OPEN.map((s) => `'${s}'`).join(', ')})`) as PlainAll<Transaction>,
    orphanRetry: db.select().from(t).where(and(
      eq(t.chargerId, p('chargerId')), eq(t.status, 'ORPHAN_STOP'),
      eq(t.reportedTransactionId, p('reportedId')), eq(t.meterStop, p('meterStop')),
      or(eq(t.stoppedAt, p('utc')), eq(t.stoppedAt, p('raw'))),
    )).limit(1).prepare(),
    /** Completed sessions a stop without an id (-1/0) may be a retry for. */
    completedAt: db.select().from(t).where(and(eq(t.chargerId, p('chargerId')), eq(t.status, 'COMPLETED'),
      eq(t.meterStop, p('meterStop')), or(eq(t.stoppedAt, p('utc')), eq(t.stoppedAt, p('raw'))))).orderBy(desc(t.id)).prepare(),
    /** Open sessions of a charger started by (utc); idTag filtered by the caller (any case). */
    openStartedBy: db.select().from(t).where(and(eq(t.chargerId, p('chargerId')), inArray(t.status, OPEN), lte(t.startedAt, p('utc')))).prepare(),
    idleOn: db.select().from(t).where(and(eq(t.chargerId, p('chargerId')), running, isNotNull(t.connectorIdleSince),
      lte(t.connectorIdleSince, p('cutoff')))).prepare(),
    /** RUNNING sessions of a blocked tag (idTag, or a tag in its group) or of a blocked user (userId); either may be null. */
    runningOfBlocked: db.select().from(t).where(and(running, sql`((${p('idTag')} IS NOT NULL AND (lower(${t.idTag}) = lower(${p('idTag')})
        OR lower(${t.idTag}) IN (SELECT lower(id_tag) FROM id_tag WHERE lower(parent_id_tag) = lower(${p('idTag')}))))
      OR (${p('userId')} IS NOT NULL AND (${t.userId} = ${p('userId')}
        OR lower(${t.idTag}) IN (SELECT lower(id_tag) FROM id_tag WHERE user_id = ${p('userId')}))))`)).prepare(),
    insertRunning: db.insert(t).values({
      chargerId: bound('chargerId'), connectorId: bound('connectorId'), idTag: bound('idTag'), userId: bound('userId'),
      reservationId: bound('reservationId'), status: 'RUNNING', authStatus: bound('authStatus'),
      meterStart: bound('meterStart'), lastMeterWh: bound('meterStart'), startedAt: bound('startedAt'), startReceivedAt: bound('receivedAt'),
      tariffId: bound('tariffId'), tariffSnapshot: bound('tariffSnapshot'), currency: bound('currency'),
    }).returning().prepare(),
    insertOrphanStop: db.insert(t).values({
      chargerId: bound('chargerId'), connectorId: 0, idTag: bound('idTag'), status: 'ORPHAN_STOP', authStatus: 'Invalid',
      meterStart: bound('meterStop'), meterStop: bound('meterStop'), energyWh: 0, startedAt: bound('stoppedAt'), startReceivedAt: bound('receivedAt'),
      stoppedAt: bound('stoppedAt'), stopReceivedAt: bound('receivedAt'), stopReason: bound('reason'), stopIdTag: bound('stopIdTag'),
      reportedTransactionId: bound('reportedId'),
    }).returning().prepare(),
    complete: db.update(t).set({
      status: 'COMPLETED', meterStop: bound('meterStop'), lastMeterWh: bound('meterStop'), lastPowerW: 0, energyWh: bound('energyWh'),
      stoppedAt: bound('stoppedAt'), stopReceivedAt: bound('receivedAt'), stopReason: bound('reason'), stopIdTag: bound('stopIdTag'),
      idUsedAt: bound('idUsedAt'), connectorIdleSince: null, flags: bound('flags'),
    }).where(eq(t.id, p('id'))).returning().prepare(),
    /** The charger's stop after an operator's close: its figures replace the operator's (status stays COMPLETED). */
    correct: db.update(t).set({
      meterStop: bound('meterStop'), lastMeterWh: bound('meterStop'), energyWh: bound('energyWh'),
      stoppedAt: bound('stoppedAt'), stopReceivedAt: bound('receivedAt'), stopReason: bound('reason'), stopIdTag: bound('stopIdTag'),
      idUsedAt: bound('idUsedAt'), flags: bound('flags'),
    }).where(eq(t.id, p('id'))).returning().prepare(),
    setCost: db.update(t).set({ costAmount: bound('costAmount'), currency: bound('currency') })
      .where(eq(t.id, p('id'))).returning().prepare(),
    /** In doubt (INTERRUPTED) or back to RUNNING, with the flags that say why. */
    setDoubt: db.update(t).set({ status: bound('status'), interruptedAt: sql`coalesce(${p('at')}, ${t.interruptedAt})`, connectorIdleSince: null, flags: bound('flags') })
      .where(eq(t.id, p('id'))).returning().prepare(),
    markIdle: db.update(t).set({ connectorIdleSince: sql`coalesce(${t.connectorIdleSince}, ${p('at')})` })
      .where(and(onConnector, lte(t.startReceivedAt, p('at')))).prepare(),
    clearIdle: db.update(t).set({ connectorIdleSince: null }).where(and(onConnector, isNotNull(t.connectorIdleSince))).prepare(),
    /** The live figures kept in memory (liveMeters.ts) reach an open session's row; a stopped one keeps its stop's. */
    setLiveMeter: db.update(t).set({ lastMeterWh: bound('wh'), lastPowerW: bound('w'), lastMeterAt: bound('at') })
      .where(and(eq(t.id, p('id')), inArray(t.status, OPEN))).prepare(),
    /** The first time the charger names the id (MeterValues): from then on an identical start is a new session. */
    markIdUsed: db.update(t).set({ idUsedAt: sql`coalesce(${t.idUsedAt}, ${p('now')})` }).where(eq(t.id, p('id'))).prepare(),
  };
}
