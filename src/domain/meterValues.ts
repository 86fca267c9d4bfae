// Sampled values as the charger sent them, plus a normalized number in one unit per quantity.
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { beyondNewestIds, firstIdAtOrAfter } from '../db/timeCutoff.js';
import type { Deletion } from '../db/batchDelete.js';
import { MeterValueSpans } from './meterValueSpans.js';
import { IdTimeMarks } from '../db/idTimeMarks.js';
import type { MeterValue, SampledValue } from '../protocol/ocpp16/index.js';
import { utcIso } from './chargerTime.js';

const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Value in Wh, varh, W, var, A, V, %, °C or Hz; null when the value is not a number (e.g. SignedData). */
export function normalize(sample: SampledValue): number | null {
  // Decimal only: Number() would also read '0x10' as 16 and '0b1' as 1.
  if (sample.format === 'SignedData' || !DECIMAL.test(sample.value)) return null;
  const raw = Number(sample.value);
  if (!Number.isFinite(raw)) return null;
  const n = inBaseUnit(raw, sample.unit);
  return Number.isFinite(n) ? n : null; // '1e306' kWh is Infinity Wh
}

function inBaseUnit(raw: number, unit: string | undefined): number {
  switch (unit) {
    case 'kWh': case 'kvarh': case 'kW': case 'kvar': case 'kVA': return raw * 1000;
    case 'Fahrenheit': return ((raw - 32) * 5) / 9;
    case 'K': return raw - 273.15;
    default: return raw;
  }
}

export interface MeterSummary {
  energyWh: number | null; powerW: number | null;
  /** Current.Import per phase (L1, L2, L3), when the charger reports it per phase. */
  currentA: [number, number, number] | null;
  /** The charger's time of the newest reading these figures come from. */
  at: string | null;
}

/**
 * The session-level figures a batch of meter values yields: the energy register, total power and phase currents,
 * each from the reading with the newest timestamp (a batch of queued readings need not be in time order), and that time.
 */
export function summarize(values: MeterValue[]): MeterSummary {
  let energyWh: number | null = null; let energyAt = '';
  let powerW: number | null = null; let powerAt = '';
  let currentA: [number, number, number] | null = null; let currentAt = '';
  for (const mv of values) {
    const at = utcIso(mv.timestamp);
    const phaseCurrent: [number, number, number] = [0, 0, 0];
    let sawPhaseCurrent = false;
    let phasePower = 0; let sawPhasePower = false; let totalPower: number | null = null; let energy: number | null = null;
    for (const s of mv.sampledValue) {
      const measurand = s.measurand ?? DEFAULT_MEASURAND;
      const n = normalize(s);
      if (n === null || (s.location && s.location !== 'Outlet')) continue;
      // The register is an integer column next to meterStart: a reading no integer holds exactly (1e300) is not
      // one, and a register never counts below zero.
      if (measurand === DEFAULT_MEASURAND && (!s.phase || s.phase === 'N') && n >= 0 && Number.isSafeInteger(Math.round(n))) energy = Math.round(n);
      if (measurand === 'Current.Import' && s.phase && /^L[123]$/.test(s.phase)) {
        phaseCurrent[Number(s.phase[1]) - 1] = Math.max(0, n);
        sawPhaseCurrent = true;
      }
      if (measurand === 'Power.Active.Import') {
        if (!s.phase || s.phase === 'N') totalPower = n;
        else if (/^L\d$/.test(s.phase)) { phasePower += n; sawPhasePower = true; }
      }
    }
    if (energy !== null && at >= energyAt) { energyWh = energy; energyAt = at; }
    const power = totalPower ?? (sawPhasePower ? phasePower : null);
    if (power !== null && at >= powerAt) { powerW = power; powerAt = at; }
    if (sawPhaseCurrent && at >= currentAt) { currentA = phaseCurrent; currentAt = at; }
  }
  const at = [energyAt, powerAt, currentAt].reduce((x, y) => (y > x ? y : x), '');
  return { energyWh, powerW, currentA, at: at || null };
}

/** One stored sample; normalized is the value in the unit the measurand is kept in (Wh, W, A…), null when unparseable. */
export interface StoredMeterValue {
  /** The row's id: a live page asks only for rows after the last one it has (afterId). */
  id: number; timestamp: string; measurand: string | null; phase: string | null; location: string | null; context: string | null;
  unit: string | null; value: string; normalized: number | null;
}

export class MeterValues {
  private readonly insert;
  private readonly anyUnattachedAt;
  private readonly findUnattached;
  private readonly sessionRowsSince;
  private readonly maxId;
  private readonly claim;
  private readonly registerOf;
  private readonly rowsOf;
  readonly spans: MeterValueSpans;
  /** When the server wrote which ids: retention goes by that, never by the charger's clock alone. */
  readonly receivedMarks: IdTimeMarks;

  constructor(private readonly sqlite: Sqlite, uow: UnitOfWork) {
    this.receivedMarks = new IdTimeMarks(sqlite, 'meter_value');
    this.spans = new MeterValueSpans(sqlite, uow);
    this.insert = sqlite.prepare(`INSERT INTO meter_value
      (transaction_id, charger_id, connector_id, timestamp, measurand, phase, location, context, unit, value, normalized)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Readings no session took, by meter_value_unattached (a partial index: most sites have next to none).
    this.anyUnattachedAt = sqlite.prepare('SELECT 1 FROM meter_value WHERE transaction_id IS NULL AND timestamp = ? AND charger_id = ? LIMIT 1').pluck();
    this.findUnattached = sqlite.prepare(`SELECT id FROM meter_value WHERE transaction_id IS NULL AND timestamp = ? AND charger_id = ?
      AND connector_id = ? AND measurand = ? AND phase IS ? AND location IS ? AND context IS ? AND unit IS ? AND value = ? LIMIT 1`).pluck();
    // A session's readings from a time on, in its id range (a rowid range scan, of the other sessions' rows in
    // between too): read once per message that may repeat one (a retry, a stop's transactionData), never for
    // readings newer than the session's newest.
    this.sessionRowsSince = sqlite.prepare(`SELECT timestamp, connector_id AS connectorId, measurand, phase, location, context, unit, value
      FROM meter_value WHERE rowid BETWEEN ? AND ? AND transaction_id = ? AND timestamp >= ?`);
    this.maxId = sqlite.prepare('SELECT max(rowid) AS id FROM meter_value');
    this.claim = sqlite.prepare('UPDATE meter_value SET transaction_id = ? WHERE id = ? AND transaction_id IS NULL');
    // The session's energy register as billing reads it (the same filter as summarize).
    this.registerOf = sqlite.prepare(`SELECT timestamp AS at, normalized AS wh FROM meter_value
      WHERE rowid BETWEEN ? AND ? AND transaction_id = ? AND measurand = '${DEFAULT_MEASURAND}' AND (phase IS NULL OR phase = 'N')
        AND (location IS NULL OR location = 'Outlet') AND normalized >= 0 ORDER BY timestamp, id`);
    this.rowsOf = sqlite.prepare(`SELECT id, timestamp, measurand, phase, location, context, unit, value, normalized
      FROM meter_value WHERE rowid BETWEEN ? AND ? AND transaction_id = ? ORDER BY timestamp, id`);
  }

  /**
   * Stores each sample once: a retried MeterValues (or a StopTransaction repeating readings already sent)
   * finds the same charger, connector, time and value stored under its session or under none, and only gives
   * an unattached row its session. A session's readings are searched only for a sample not newer than the
   * newest it has (in order, the usual case, costs no lookup at all).
   */
  store(chargerId: number, connectorId: number, transactionId: number | null, values: MeterValue[]): void {
    const span = transactionId === null ? null : this.spans.of(transactionId);
    // The ids this call appended, and those it claimed (older ids), for the session: its span grows to cover them.
    let first = Infinity;
    let last = -Infinity;
    let claimedFirst = Infinity;
    let claimedLast = -Infinity;
    // The newest time among the session's readings before this call (null: it has none left): only a sample
    // not newer can repeat one of them. A sample repeated within this call is caught by thisCall.
    const newestBefore = span?.newestAt ?? '';
    let newest = newestBefore;
    let sessionKeys: Set<string> | null = null; // the session's stored samples, read at the first possible repeat
    const thisCall = new Set<string>();
    for (const mv of values) {
      const timestamp = utcIso(mv.timestamp); // ordered and compared as UTC text, like session times
      let unattachedHere: boolean | null = null;
      for (const s of mv.sampledValue) {
        const measurand = s.measurand ?? DEFAULT_MEASURAND;
        const unit = s.unit ?? defaultUnit(s.measurand);
        const phase = s.phase ?? null; const location = s.location ?? null; const context = s.context ?? null;
        const key = sampleKey(timestamp, connectorId, measurand, phase, location, context, unit, s.value);
        if (thisCall.has(key)) continue;
        thisCall.add(key);
        if (transactionId !== null && timestamp <= newestBefore) {
          sessionKeys ??= this.sessionKeys(transactionId, span!.first, span!.last, oldestOf(values));
          if (sessionKeys.has(key)) continue;
        }
        unattachedHere ??= this.anyUnattachedAt.get(timestamp, chargerId) !== undefined;
        const unattached = unattachedHere ? this.findUnattached.get(timestamp, chargerId, connectorId, measurand, phase, location, context, unit, s.value) as number | undefined : undefined;
        if (unattached !== undefined) {
          if (transactionId === null || this.claim.run(transactionId, unattached).changes === 0) continue;
          claimedFirst = Math.min(claimedFirst, unattached);
          claimedLast = Math.max(claimedLast, unattached);
        } else {
          const id = Number(this.insert.run(transactionId, chargerId, connectorId, timestamp, measurand, phase, location, context, unit, s.value, normalize(s)).lastInsertRowid);
          first = Math.min(first, id);
          last = Math.max(last, id);
        }
        if (timestamp > newest) newest = timestamp;
      }
    }
    if (transactionId === null) return;
    if (first <= last) this.spans.extend(transactionId, span, first, last, newest);
    if (claimedFirst <= claimedLast) this.spans.extendNow(transactionId, claimedFirst, claimedLast, newest);
  }

  private sessionKeys(transactionId: number, first: number, last: number, since: string): Set<string> {
    const keys = new Set<string>();
    if (first > last) return keys;
    for (const r of this.sessionRowsSince.iterate(first, last, transactionId, since) as Iterable<SessionRow>) {
      keys.add(sampleKey(r.timestamp, r.connectorId, r.measurand, r.phase, r.location, r.context, r.unit, r.value));
    }
    return keys;
  }

  /** The session's energy register readings (Wh) in time order. */
  registerReadings(transactionId: number): Array<{ at: string; wh: number }> {
    const span = this.spans.of(transactionId);
    if (!span) return [];
    return (this.registerOf.all(span.first, span.last, transactionId) as Array<{ at: string; wh: number }>).map((r) => ({ at: r.at, wh: Math.round(r.wh) }));
  }

  /** In time order; with afterId only the rows stored after that one (what a live chart lacks). */
  forTransaction(transactionId: number, afterId = 0): StoredMeterValue[] {
    const span = this.spans.of(transactionId);
    if (!span || span.last <= afterId) return [];
    return this.rowsOf.all(Math.max(span.first, afterId + 1), span.last, transactionId) as StoredMeterValue[];
  }

  /**
   * What retention deletes: rows the server received before the cut-off (by the id marks; see
   * idTimeMarks.ts), since a charger whose clock says 1970 must not take yesterday's rows with it; and
   * rows beyond the newest maxRows ids (0 = no cap). Records a mark: call inside a unit of work.
   */
  prunePlan(olderThan: string | null, now: string, markSpacingMs: number, maxRows: number): Deletion[] {
    const plan: Deletion[] = [];
    if (olderThan) {
      this.receivedMarks.record(now, markSpacingMs);
      const upTo = this.receivedMarks.receivedBefore(olderThan);
      if (upTo > 0) plan.push({ table: 'meter_value', where: 'rowid <= ?', args: [upTo] });
      const legacyMaxId = this.receivedMarks.legacyMaxId();
      if (legacyMaxId > upTo) {
        // Rows written before the marks existed: only the charger's clock is known. It may cut the id range
        // (rows are near enough in time order), but a row is only deleted when its own time is old too.
        const firstKept = Math.min(firstIdAtOrAfter(this.sqlite, 'meter_value', 'timestamp', olderThan) ?? Infinity, legacyMaxId + 1);
        plan.push({ table: 'meter_value', where: 'rowid > ? AND rowid < ? AND timestamp < ?', args: [upTo, firstKept, olderThan] });
      }
    }
    const overCap = maxRows > 0 ? beyondNewestIds(this.sqlite, 'meter_value', maxRows) : null;
    if (overCap) plan.push(overCap);
    // Without AUTOINCREMENT the next id is max + 1: the newest row always stays, so an id is never reused
    // and the marks (ids the server had written by a time) stay true.
    const newest = (this.maxId.get() as { id: number | null }).id;
    if (newest === null) return [];
    return plan.map((d) => ({ ...d, where: `(${d.where}) AND rowid < ?`, args: [...d.args, newest] }));
  }
}

/** The oldest time (UTC text) among the readings: the session's rows from then on are all a repeat could match. */
function oldestOf(values: MeterValue[]): string {
  return values.reduce((t, mv) => { const u = utcIso(mv.timestamp); return u < t ? u : t; }, '\uffff');
}

interface SessionRow {
  timestamp: string; connectorId: number; measurand: string; phase: string | null; location: string | null;
  context: string | null; unit: string | null; value: string;
}

// Fields apart by NUL, null as \u0001 (JSON.stringify of them cost 3% of a MeterValues): only fields that hold
// those characters themselves (no real charger's) could make two samples one.
function sampleKey(timestamp: string, connectorId: number, measurand: string, phase: string | null, location: string | null,
  context: string | null, unit: string | null, value: string): string {
  return `${timestamp}\0${connectorId}\0${measurand}\0${phase ?? '\u0001'}\0${location ?? '\u0001'}\0${context ?? '\u0001'}\0${unit ?? '\u0001'}\0${value}`;
}

function defaultUnit(measurand: string | undefined): string | null {
  const m = measurand ?? DEFAULT_MEASURAND;
  if (m.startsWith('Energy.Active')) return 'Wh';
  if (m.startsWith('Energy.Reactive')) return 'varh';
  return null;
}
