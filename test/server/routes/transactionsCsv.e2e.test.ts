// GET /api/admin/transactions.csv: all matching sessions (far past the list's page size), the list's
// filters, RFC 4180 quoting that round-trips commas, quotes and line breaks, and an attachment header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../support/testSite.js';
import { addUser } from '../../support/wallets.js';

/** A strict RFC 4180 reader, so the test checks the file a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  assert.equal(cell + row.join(''), '', 'the file ends with CRLF');
  return rows;
}

test('the CSV export has every matching session, quoted correctly, as an attachment', async () => {
  await using site = await startTestSite();
  const cp1 = await site.addCharger('CP-1');
  const cp2 = await site.addCharger('CP-2');
  const userId = addUser(site, 'Eve, "the" driver');
  site.domain.uow.commit();
  const insert = site.database.sqlite.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, user_id, status, auth_status,
    meter_start, meter_stop, energy_wh, cost_amount, currency, started_at, start_received_at, stopped_at, stop_reason)
    VALUES (?, 1, ?, ?, ?, 'Accepted', 0, ?, ?, ?, 'EUR', ?, ?, ?, ?)`);
  const base = Date.parse('2025-03-01T00:00:00Z');
  site.database.sqlite.transaction(() => {
    for (let i = 0; i < 1250; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      const done = i % 5 !== 0;
      insert.run(i % 2 ? cp2 : cp1, `TAG-${i}`, null, done ? 'COMPLETED' : 'INTERRUPTED', done ? 1000 : null, done ? 1000 : null, done ? 30 : null, at, at, done ? at : null, done ? 'Local' : null);
    }
    // Text that needs quoting, and one a spreadsheet would run as a formula.
    insert.run(cp1, 'TAG,"odd"', userId, 'COMPLETED', 500, 500, 15, '2025-04-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z', '2025-04-01T01:00:00.000Z', 'line one\nline two');
    insert.run(cp1, '=HYPERLINK("x")', null, 'COMPLETED', 1, 1, 0, '2025-04-02T00:00:00.000Z', '2025-04-02T00:00:00.000Z', null, null);
  })();

  const res = await fetch(`${site.baseUrl}/api/admin/transactions.csv`, { headers: { authorization: `Bearer ${site.createToken('viewer')}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition')!, /^attachment; filename="sessions-\d{4}-\d\d-\d\d\.csv"$/);
  const rows = parseCsv(await res.text());
  const [header, ...data] = rows;
  assert.deepEqual(header, ['id', 'chargePointId', 'connectorId', 'idTag', 'status', 'startedAt', 'stoppedAt', 'energyWh', 'costAmount', 'currency',
    'stopReason', 'userId', 'userName', 'meterStart', 'meterStop', 'tariffId', 'walletDebit']);
  assert.equal(data.length, 1252, 'every session, not one page of 200');
  assert.equal(new Set(data.map((r) => r[0])).size, 1252, 'no session twice across the internal pages');
  assert.ok(data.every((r) => r.length === header!.length), 'every row has every column');
  const col = (name: string) => header!.indexOf(name);
  const odd = data.find((r) => r[col('userName')] === 'Eve, "the" driver');
  assert.ok(odd, 'a name with a comma and quotes survives');
  assert.equal(odd[col('idTag')], 'TAG,"odd"');
  assert.equal(odd[col('stopReason')], 'line one\nline two');
  assert.equal(odd[col('chargePointId')], 'CP-1');
  assert.equal(odd[col('costAmount')], '15');
  assert.ok(data.some((r) => r[col('idTag')] === `'=HYPERLINK("x")`), 'a formula is defused');

  // The list's filters apply; a bad one is the list's 400.
  const token = site.createToken('viewer');
  const filtered = await fetch(`${site.baseUrl}/api/admin/transactions.csv?charger=CP-2&status=COMPLETED`, { headers: { authorization: `Bearer ${token}` } });
  const some = parseCsv(await filtered.text()).slice(1);
  assert.equal(some.length, 500, '625 sessions on CP-2, 125 of them INTERRUPTED');
  assert.ok(some.every((r) => r[col('chargePointId')] === 'CP-2' && r[col('status')] === 'COMPLETED'));
  const unpaid = await fetch(`${site.baseUrl}/api/admin/transactions.csv?unpaid=true`, { headers: { authorization: `Bearer ${token}` } });
  const owed = parseCsv(await unpaid.text()).slice(1);
  assert.equal(owed.length, 1001, 'completed with a cost and no wallet debit: 1000 without a user, 1 whose user has no wallet');
  assert.ok(owed.every((r) => r[col('walletDebit')] === '' && Number(r[col('costAmount')]) > 0));
  const bad = await site.api('/api/admin/transactions.csv?status=NOPE', { token });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_parameter');
  assert.equal((await site.api('/api/admin/transactions.csv', { token: null })).status, 401);
});
