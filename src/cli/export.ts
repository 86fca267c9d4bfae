// ocpp-edge export transactions: charging sessions as CSV (or JSON lines) for accounting, streamed
// row by row so a year of sessions needs no memory; the same leading columns as the admin page's CSV.
import fs from 'node:fs';
import { flag, parse, str } from './args.js';
import { group, type Command } from './command.js';
import { withDatabase } from './context.js';
import { UsageError } from './errors.js';
import { csvCell } from '../csv.js';

const COLUMNS = ['id', 'chargePointId', 'connectorId', 'idTag', 'status', 'startedAt', 'stoppedAt', 'energyWh', 'costAmount', 'currency',
  'stopReason', 'userId', 'userName', 'meterStart', 'meterStop', 'tariffId'] as const;

const QUERY = `SELECT t.id, c.charge_point_id AS chargePointId, t.connector_id AS connectorId, t.id_tag AS idTag, t.status,
  t.started_at AS startedAt, t.stopped_at AS stoppedAt, t.energy_wh AS energyWh, t.cost_amount AS costAmount, t.currency,
  t.stop_reason AS stopReason, t.user_id AS userId, u.full_name AS userName, t.meter_start AS meterStart, t.meter_stop AS meterStop,
  t.tariff_id AS tariffId
  FROM "transaction" t JOIN charger c ON c.id = t.charger_id LEFT JOIN "user" u ON u.id = t.user_id
  WHERE t.started_at >= ? AND t.started_at < ? ORDER BY t.started_at, t.id`;

function time(value: string | undefined, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be a date or ISO time (2025-01-01 or 2025-01-01T06:00:00Z), not "${value}"`);
  return new Date(ms).toISOString();
}

const transactions: Command = {
  summary: 'charging sessions as CSV',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge export transactions [--from <date>] [--to <date>] [--csv | --json] [--out <file>]

Sessions that started at or after --from and before --to (UTC; a bare date means midnight UTC), so
--from 2025-01-01 --to 2025-02-01 is January. Energy in Wh, cost in minor units of the currency.
  --csv           comma-separated with a header row (the default)
  --json          one JSON object per line instead
  --out <file>    write to a file instead of standard output
Columns: ${COLUMNS.join(', ')}
Exit codes: 0 written, 1 failed, 2 usage error, 78 config error.`;
    const p = parse('export transactions', argv, {
      from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' }, json: { type: 'boolean' }, out: { type: 'string' },
    }, help);
    if (!p) return;
    if (flag(p, 'csv') && flag(p, 'json')) throw new UsageError('choose --csv or --json');
    const from = time(str(p, 'from'), 'from', '0000-01-01T00:00:00.000Z');
    const to = time(str(p, 'to'), 'to', '9999-12-31T23:59:59.999Z');
    if (from >= to) throw new UsageError('--from must be before --to');
    const outFile = str(p, 'out');
    await withDatabase(globals, async ({ database }) => {
      const fd = outFile ? fs.openSync(outFile, 'w') : 1;
      let rows = 0;
      try {
        const write = (line: string) => fs.writeSync(fd, line);
        if (!flag(p, 'json')) write(COLUMNS.join(',') + '\r\n');
        for (const row of database.sqlite.prepare(QUERY).iterate(from, to) as Iterable<Record<string, unknown>>) {
          write(flag(p, 'json') ? JSON.stringify(row) + '\n' : COLUMNS.map((c) => csvCell(row[c])).join(',') + '\r\n');
          rows++;
        }
      } finally {
        if (outFile) fs.closeSync(fd);
      }
      process.stderr.write(`${rows} session(s) exported${outFile ? ` to ${outFile}` : ''}\n`);
    });
  },
};

export const exportCommand = group('export', 'export data', { transactions });
