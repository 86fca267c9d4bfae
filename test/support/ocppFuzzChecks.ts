// What the OCPP fuzz test asserts after each hostile input: the answer a charger gets, and that the
// database still holds together. Plus a bare WebSocket client for frames the ChargePoint will not send.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CallErrorReply, type ChargePoint } from '../../src/sim/chargePoint.js';
import { OcppValidator } from '../../src/ocpp/validate.js';
import type { TestSite } from './testSite.js';

const validator = new OcppValidator();

/** A CALLERROR with exactly this code (never InternalError). */
export async function expectCallError(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  const err = await promise.then(() => assert.fail(`${what}: answered with a result, expected ${code}`), (e) => e);
  assert.ok(err instanceof CallErrorReply, `${what}: expected a CALLERROR, got ${err}`);
  assert.equal(err.code, code, `${what}: ${err.description}`);
}

/** A CALLRESULT (never a CALLERROR) whose payload is valid under the action's response schema. */
export async function expectValidResult<T = any>(cp: ChargePoint, action: string, payload: object, what = action): Promise<T> {
  const result = await cp.call(action, payload).catch((e) => assert.fail(`${what}: ${e instanceof CallErrorReply ? `CALLERROR ${e.code}: ${e.description}` : e}`));
  assert.doesNotThrow(() => validator.check(action, 'response', result), `${what}: answer breaks the ${action} response schema`);
  return result as T;
}

export async function stillWorks(cp: ChargePoint, what: string): Promise<void> {
  const hb = await cp.call('Heartbeat', {}).catch((e) => assert.fail(`${what}: Heartbeat after it failed: ${e}`));
  assert.match(hb.currentTime, /^\d{4}-\d\d-\d\dT/, what);
}

const UTC_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Invariants no charger input may break. Returns the rows read, for further checks. */
export function assertConsistent(site: TestSite): void {
  site.domain.uow.commit();
  const q = (sql: string) => site.database.sqlite.prepare(sql).all() as Array<Record<string, unknown>>;
  assert.deepEqual(q(`SELECT charger_id, connector_id, count(*) AS n FROM "transaction" WHERE status = 'RUNNING'
    GROUP BY charger_id, connector_id HAVING n > 1`), [], 'at most one RUNNING transaction per connector');
  assert.deepEqual(q(`SELECT mv.id, mv.charger_id, t.charger_id AS tx_charger FROM meter_value mv JOIN "transaction" t ON t.id = mv.transaction_id
    WHERE t.charger_id != mv.charger_id OR t.status = 'ORPHAN_STOP'`), [], 'no meter value attached to another charger\'s transaction or an orphan record');
  assert.deepEqual(site.domain.wallets.mismatches(), [], 'every wallet balance equals its ledger sum');
  assert.deepEqual(q(`SELECT charging_transaction_id, count(*) AS n FROM wallet_transaction WHERE type = 'CHARGE'
    GROUP BY charging_transaction_id HAVING n > 1`), [], 'a session is charged at most once');
  assert.deepEqual(q(`SELECT id, meter_start, meter_stop, last_meter_wh, energy_wh, cost_amount FROM "transaction"
    WHERE typeof(meter_start) != 'integer' OR typeof(meter_stop) NOT IN ('integer', 'null') OR typeof(last_meter_wh) NOT IN ('integer', 'null')
      OR typeof(energy_wh) NOT IN ('integer', 'null') OR typeof(cost_amount) NOT IN ('integer', 'null') OR energy_wh < 0`), [], 'meter and money columns hold integers');
  assert.deepEqual(q(`SELECT id, status FROM "transaction" WHERE status = 'COMPLETED' AND (stopped_at IS NULL OR meter_stop IS NULL)`), [], 'completed means stopped');
  for (const row of q(`SELECT started_at AS t FROM "transaction" UNION ALL SELECT stopped_at FROM "transaction" WHERE stopped_at IS NOT NULL
    UNION ALL SELECT timestamp FROM meter_value`)) {
    assert.match(String(row.t), UTC_ISO, 'charger times stored as UTC ISO');
  }
  assert.deepEqual(q(`SELECT id, normalized FROM meter_value WHERE normalized IS NOT NULL AND (typeof(normalized) NOT IN ('integer', 'real')
    OR abs(normalized) > 1.7976931348623157e308)`), [], 'normalized readings are finite numbers (SQLite keeps Infinity)');
}

/** A bare OCPP WebSocket: sends text or binary as given and keeps every frame the server sends. */
export class RawCharger {
  readonly frames: unknown[] = [];
  closeCode: number | undefined;
  private readonly closed: Promise<number>;
  private waiters: Array<() => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try { this.frames.push(JSON.parse(data.toString())); } catch { this.frames.push(data.toString()); }
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => { this.closeCode = code; resolve(code); for (const w of this.waiters.splice(0)) w(); }));
  }

  static async connect(wsUrl: string, id: string): Promise<RawCharger> {
    const ws = new WebSocket(`${wsUrl}/${encodeURIComponent(id)}`, ['ocpp1.6'], { perMessageDeflate: false });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return new RawCharger(ws);
  }

  send(data: string | Buffer, binary = false): void { this.ws.send(data, { binary }); }

  /** The frame answering `id` (the server answers in any order). */
  async reply(id: string): Promise<unknown[]> {
    for (;;) {
      const found = this.frames.find((f) => Array.isArray(f) && f[1] === id);
      if (found) return found as unknown[];
      if (this.closeCode !== undefined) assert.fail(`closed (${this.closeCode}) before answering ${id}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** A Heartbeat round trip: everything sent before it has been read by the server. */
  async heartbeat(id: string): Promise<void> {
    this.send(JSON.stringify([2, id, 'Heartbeat', {}]));
    const reply = await this.reply(id);
    assert.equal(reply[0], 3, `Heartbeat ${id} answered with ${JSON.stringify(reply)}`);
  }

  waitClosed(): Promise<number> { return this.closed; }

  close(): void { this.ws.terminate(); }
}
