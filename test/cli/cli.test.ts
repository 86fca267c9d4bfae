// Every `ocpp-edge` command as an installer runs it: a child process on a real database file in a temp
// dataDir, checked by exit code, output and what the database holds afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/index.js';
import { UnitOfWork } from '../../src/db/unitOfWork.js';
import { ChargerPasswords } from '../../src/domain/chargerPasswords.js';
import { startTestSite } from '../support/testSite.js';
import { runCli, type CliRun } from '../support/cliProcess.js';


type Run = CliRun;
const cli = runCli;


function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-cli-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Whether the charger's stored hash (HMAC with the site key the CLI made) accepts this password. */
async function chargerKeyOpens(dataDir: string, row: { password_hash: string }, password: string): Promise<boolean> {
  const { db, sqlite } = openDatabase(path.join(dataDir, 'ocpp-edge.db'));
  try {
    return await new ChargerPasswords(db, new UnitOfWork(sqlite)).check({ id: -1, chargePointId: 'unused', passwordHash: row.password_hash }, password);
  } finally { sqlite.close(); }
}

/** A read-only look at the database the CLI wrote. */
function query<T = Record<string, unknown>>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'ocpp-edge.db'), { readonly: true });
  try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
}

const ok = (r: Run) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.out}\nstderr: ${r.err}`);

test('charger add, list, set-password and remove change the database and exit 0; mistakes exit 1 or 2 with advice', async (t) => {
  const dir = tempDir(t);
  ok(await cli(dir, ['charger', 'add', 'CP-1', '--name', 'Garage', '--password-stdin'], { stdin: 'charger-secret-1\n' }));
  const gen = await cli(dir, ['charger', 'add', 'CP-2', '--generate-password']);
  ok(gen);
  const generated = /\n {2}(\S+)\n/.exec(gen.out)?.[1];
  assert.ok(generated && generated.length >= 16, `a generated password is printed once: ${gen.out}`);

  const rows = query<{ charge_point_id: string; name: string | null; password_hash: string }>(dir, 'SELECT charge_point_id, name, password_hash FROM charger ORDER BY charge_point_id');
  assert.deepEqual(rows.map((r) => [r.charge_point_id, r.name]), [['CP-1', 'Garage'], ['CP-2', null]]);
  assert.ok(await chargerKeyOpens(dir, rows[0]!, 'charger-secret-1'));
  assert.ok(!(await chargerKeyOpens(dir, rows[0]!, 'charger-secret-2')));
  assert.ok(await chargerKeyOpens(dir, rows[1]!, generated));

  const list = await cli(dir, ['charger', 'list', '--json']);
  ok(list);
  const listed = JSON.parse(list.out) as Array<Record<string, unknown>>;
  assert.deepEqual(listed.map((c) => [c.chargePointId, c.hasPassword]), [['CP-1', true], ['CP-2', true]]);
  assert.ok(!list.out.includes('scrypt'), 'no password hash is printed');
  assert.match((await cli(dir, ['charger', 'list'])).out, /^ID\s+NAME.*\nCP-1\s+Garage/);

  const again = await cli(dir, ['charger', 'add', 'CP-1']);
  assert.equal(again.code, 1);
  assert.match(again.err, /already registered.*set-password CP-1/);
  assert.equal((await cli(dir, ['charger', 'add', 'bad/id'])).code, 2);
  assert.equal((await cli(dir, ['charger', 'add', 'CP-3', '--password-stdin'], { stdin: 'short\n' })).code, 2, 'a too short AuthorizationKey');
  assert.equal((await cli(dir, ['charger', 'add', 'CP-3', '--bogus'])).code, 2);
  assert.equal((await cli(dir, ['charger', 'add', 'CP-3', '--password-stdin'])).code, 2, 'empty stdin');

  ok(await cli(dir, ['charger', 'set-password', 'CP-1', '--password-stdin'], { stdin: 'another-secret-2\n' }));
  const [cp1] = query<{ password_hash: string }>(dir, "SELECT password_hash FROM charger WHERE charge_point_id = 'CP-1'");
  assert.ok(await chargerKeyOpens(dir, cp1!, 'another-secret-2'));
  ok(await cli(dir, ['charger', 'set-password', 'CP-2', '--none']));
  assert.equal(query(dir, "SELECT 1 FROM charger WHERE charge_point_id = 'CP-2' AND password_hash IS NULL").length, 1);
  assert.equal((await cli(dir, ['charger', 'set-password', 'NOPE', '--none'])).code, 1);

  // A running session keeps its charger: the domain refuses, the CLI prints its reason and exits 1.
  const db = new Database(path.join(dir, 'ocpp-edge.db'));
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, status, auth_status, meter_start, started_at, start_received_at)
    SELECT id, 1, 'TAG-1', 'RUNNING', 'Accepted', 0, ?, ? FROM charger WHERE charge_point_id = 'CP-2'`).run(now, now);
  const busy = await cli(dir, ['charger', 'remove', 'CP-2']);
  assert.equal(busy.code, 1);
  assert.match(busy.err, /charger CP-2 has 1 running session\(s\); stop them first/);
  db.prepare('DELETE FROM "transaction"').run(); // gone again: CP-2 has no history, so removal deletes it
  db.close();
  const removed = await cli(dir, ['charger', 'remove', 'CP-2']);
  ok(removed);
  assert.match(removed.out, /CP-2 deleted/);
  assert.equal(query(dir, "SELECT 1 FROM charger WHERE charge_point_id = 'CP-2'").length, 0);
  const unknown = await cli(dir, ['charger', 'remove', 'CP-2']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /no charger CP-2.*charger list/);
});

test('idtag add (with a new driver) and block; wallet topup is idempotent with --key', async (t) => {
  const dir = tempDir(t);
  const added = await cli(dir, ['idtag', 'add', 'TAG-1', '--new-user', 'Dana Driver', '--phone', '+3100000001']);
  ok(added);
  assert.doesNotMatch(added.out, /note:/);
  const lone = await cli(dir, ['idtag', 'add', 'TAG-LONE']);
  ok(lone);
  assert.match(lone.out, /note: it has no user with a wallet, so chargers will be told Blocked/, 'the default refuses wallet-less tags: say so');
  const [tag] = query<{ status: string; user_id: number; full_name: string }>(dir, 'SELECT t.status, t.user_id, u.full_name FROM id_tag t JOIN "user" u ON u.id = t.user_id');
  assert.deepEqual({ ...tag }, { status: 'Accepted', user_id: tag!.user_id, full_name: 'Dana Driver' });
  assert.equal((await cli(dir, ['idtag', 'add', 'TAG-1'])).code, 1, 'a duplicate');
  assert.equal((await cli(dir, ['idtag', 'add', 'THIS-TAG-IS-LONGER-THAN-20'])).code, 2);
  assert.equal((await cli(dir, ['idtag', 'add', 'TAG-2', '--user', '999'])).code, 1, 'an unknown user');

  ok(await cli(dir, ['wallet', 'topup', '--id-tag', 'TAG-1', '--amount', '2500', '--key', 'invoice-7']));
  const replay = await cli(dir, ['wallet', 'topup', '--id-tag', 'TAG-1', '--amount', '2500', '--key', 'invoice-7']);
  ok(replay);
  assert.match(replay.out, /already credited/);
  ok(await cli(dir, ['wallet', 'topup', '--user', String(tag!.user_id), '--amount', '500']));
  const [wallet] = query<{ balance: number; currency: string }>(dir, 'SELECT balance, currency FROM wallet');
  assert.deepEqual({ ...wallet }, { balance: 3000, currency: 'EUR' });
  assert.equal(query(dir, "SELECT 1 FROM wallet_transaction WHERE type = 'TOP_UP'").length, 2);
  const reused = await cli(dir, ['wallet', 'topup', '--id-tag', 'TAG-1', '--amount', '999', '--key', 'invoice-7']);
  assert.equal(reused.code, 1);
  assert.match(reused.err, /already used for a different request/);
  assert.equal((await cli(dir, ['wallet', 'topup', '--id-tag', 'TAG-1'])).code, 2, 'no amount');
  assert.equal((await cli(dir, ['wallet', 'topup', '--id-tag', 'TAG-1', '--amount', '12.50'])).code, 2, 'minor units only');

  ok(await cli(dir, ['idtag', 'block', 'TAG-1']));
  assert.equal(query<{ status: string }>(dir, "SELECT status FROM id_tag WHERE id_tag = 'TAG-1'")[0]!.status, 'Blocked');
  ok(await cli(dir, ['idtag', 'block', 'TAG-1', '--unblock']));
  assert.equal(query<{ status: string }>(dir, "SELECT status FROM id_tag WHERE id_tag = 'TAG-1'")[0]!.status, 'Accepted');
  assert.equal((await cli(dir, ['idtag', 'block', 'NOPE'])).code, 1);
});

test('admin create and reset-password use the login rules; the new password logs in, the old one does not', async (t) => {
  const dir = tempDir(t);
  ok(await cli(dir, ['admin', 'create', '--username', 'alice', '--password-stdin'], { stdin: 'first password 1\n' }));
  const dup = await cli(dir, ['admin', 'create', '--username', 'alice', '--password-stdin'], { stdin: 'first password 1\n' });
  assert.equal(dup.code, 1);
  assert.match(dup.err, /already exists/);
  const weak = await cli(dir, ['admin', 'create', '--username', 'bob', '--password-stdin'], { stdin: 'short\n' });
  assert.equal(weak.code, 1);
  assert.match(weak.err, /at least 10 characters/);
  assert.equal((await cli(dir, ['admin', 'create', '--password-stdin'], { stdin: 'xxxxxxxxxxxx\n' })).code, 2, 'no --username');
  assert.equal((await cli(dir, ['admin', 'create', '--username', 'carol', '--role', 'boss', '--generate-password'])).code, 2);
  assert.equal((await cli(dir, ['admin', 'create', '--username', 'carol'])).code, 2, 'no password source and no terminal');

  ok(await cli(dir, ['admin', 'reset-password', '--username', 'alice', '--password-stdin'], { stdin: 'second password 2\n' }));
  assert.equal((await cli(dir, ['admin', 'reset-password', '--username', 'nobody', '--generate-password'])).code, 1);

  // The server accepts what the CLI wrote.
  await using site = await startTestSite({}, dir);
  const login = (password: string) => site.api('/api/auth/login', { token: null, body: { username: 'alice', password } });
  assert.equal((await login('first password 1')).status, 401);
  assert.equal((await login('second password 2')).status, 200);
});

test('config check prints the effective config with secrets masked, exits 78 on a bad file and names the key', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ siteName: 'Depot', mqtt: { enabled: true, url: 'mqtt://broker:1883', username: 'site', password: 'broker-secret' } }));
  const r = await cli(dir, ['config', 'check', '--config', file], { env: { OCPP_EDGE_HTTP_PORT: '9000' } });
  ok(r);
  assert.ok(!r.out.includes('broker-secret'), 'the password is masked');
  const json = JSON.parse(r.out.slice(r.out.indexOf('{'), r.out.lastIndexOf('}') + 1));
  assert.equal(json.siteName, 'Depot');
  assert.equal(json.http.port, 9000, 'environment overrides are applied');
  assert.equal(json.mqtt.password, '********');
  assert.equal(json.ocpp.heartbeatIntervalSec, 300, 'defaults are filled in');

  fs.writeFileSync(file, JSON.stringify({ http: { port: 'eighty' } }));
  const bad = await cli(dir, ['config', 'check', '--config', file]);
  assert.equal(bad.code, 78);
  assert.match(bad.err, /http\.port: must be integer/);
  assert.equal((await cli(dir, ['charger', 'list', '--config', file])).code, 78, 'every command refuses a bad config');
  assert.equal((await cli(dir, ['config', 'check'], { env: { OCPP_EDGE_OCPP_REQUIRE_PASSWORD: 'maybe' } })).code, 78);

  // What the first-run setup stored wins over the file, as in the server, and config check says so.
  fs.rmSync(file); // it is ./config.json for the CLI too (working directory)
  ok(await cli(dir, ['charger', 'list']));
  const db = new Database(path.join(dir, 'ocpp-edge.db'));
  db.prepare("INSERT INTO setting (key, value) VALUES ('site.name', '\"Harbour\"'), ('mqtt.url', '\"mqtt://office:1883\"')").run();
  db.close();
  const stored = await cli(dir, ['config', 'check']);
  ok(stored);
  const effective = JSON.parse(stored.out.slice(stored.out.indexOf('{'), stored.out.lastIndexOf('}') + 1));
  assert.deepEqual([effective.siteName, effective.mqtt.enabled, effective.mqtt.url], ['Harbour', true, 'mqtt://office:1883']);
  assert.match(stored.out, /from the first-run setup .*siteName, mqttUrl/);
});

test('backup while the server runs, then restore refuses while it runs and succeeds once it stopped', async (t) => {
  const dir = tempDir(t);
  const backupFile = path.join(dir, 'backups', 'site.db');
  {
    await using site = await startTestSite({}, fs.mkdtempSync(path.join(dir, 'live-')));
    const liveDir = site.dir;
    await site.addCharger('CP-OLD');
    site.domain.uow.commit();
    ok(await cli(liveDir, ['backup', backupFile]));
    assert.equal((await cli(liveDir, ['backup', backupFile])).code, 1, 'an existing file is not overwritten');
    ok(await cli(liveDir, ['backup', backupFile, '--overwrite']));
    await site.addCharger('CP-NEW');
    const refused = await cli(liveDir, ['restore', backupFile]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /in use: stop the service first/);
    await site.stop();
    const restored = await cli(liveDir, ['restore', backupFile]);
    ok(restored);
    assert.match(restored.out, /previous database is at/);
    assert.deepEqual(query<{ id: string }>(liveDir, 'SELECT charge_point_id AS id FROM charger').map((r) => r.id), ['CP-OLD']);
  }
  assert.equal((await cli(dir, ['restore', path.join(dir, 'missing.db')])).code, 1);
  fs.writeFileSync(path.join(dir, 'junk.db'), 'not a database');
  assert.equal((await cli(dir, ['restore', path.join(dir, 'junk.db')])).code, 1);
  const empty = tempDir(t);
  const noDb = await cli(empty, ['backup', path.join(empty, 'x.db')]);
  assert.equal(noDb.code, 1);
  assert.match(noDb.err, /no database at .*config check/);
});

test('export transactions writes the sessions in the time range as CSV while the server runs; simulate drives a session', async () => {
  await using site = await startTestSite();
  ok(await cli(site.dir, ['charger', 'add', 'CP-SIM', '--password-stdin'], { stdin: 'sim-password-1\n' }));
  ok(await cli(site.dir, ['idtag', 'add', '=TAG', '--new-user', 'Eve, "the" driver']));
  const sim = await cli(site.dir, ['simulate', '--url', site.wsUrl, '--id', 'CP-SIM', '--password', 'sim-password-1', '--id-tag', '=TAG',
    '--session-sec', '0.3', '--meter-interval', '0.1']);
  ok(sim);
  assert.match(sim.out, /1 session\(s\) completed/);

  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const csvFile = path.join(site.dir, 'sessions.csv');
  const r = await cli(site.dir, ['export', 'transactions', '--from', today, '--to', tomorrow, '--csv', '--out', csvFile]);
  ok(r);
  const lines = fs.readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /^id,chargePointId,connectorId,idTag,status,startedAt,stoppedAt,energyWh,costAmount,currency,stopReason,userId,userName/);
  assert.match(lines[1]!, /^\d+,CP-SIM,1,'=TAG,COMPLETED,/, 'a formula-like idTag is defused');
  assert.ok(lines[1]!.includes('"Eve, ""the"" driver"'), 'quotes and commas are escaped');
  const none = await cli(site.dir, ['export', 'transactions', '--from', '2000-01-01', '--to', '2000-02-01']);
  ok(none);
  assert.equal(none.out.trimEnd().split('\r\n').length, 1, 'only the header');
  assert.equal((await cli(site.dir, ['export', 'transactions', '--from', 'yesterday'])).code, 2);
  assert.equal((await cli(site.dir, ['export', 'transactions', '--from', tomorrow, '--to', today])).code, 2);
  const json = await cli(site.dir, ['export', 'transactions', '--json']);
  assert.equal(JSON.parse(json.out.trim()).chargePointId, 'CP-SIM');
});

test('help for every command exits 0; unknown commands and options exit 2', async (t) => {
  const dir = tempDir(t);
  const main = await cli(dir, ['--help']);
  ok(main);
  for (const command of ['serve', 'config', 'admin', 'charger', 'idtag', 'wallet', 'backup', 'restore', 'export', 'simulate', 'bench']) {
    assert.ok(main.out.includes(`  ${command}`), `${command} is listed`);
  }
  const helps = [['charger', 'add'], ['charger', 'list'], ['charger', 'remove'], ['charger', 'set-password'], ['admin', 'create'],
    ['admin', 'reset-password'], ['idtag', 'add'], ['idtag', 'block'], ['wallet', 'topup'], ['config', 'check'], ['backup'], ['restore'],
    ['export', 'transactions'], ['serve'], ['simulate'], ['bench']];
  const results = await Promise.all(helps.map((h) => cli(dir, [...h, '--help'])));
  results.forEach((r, i) => { ok(r); assert.match(r.out, /[Uu]sage|--/, `${helps[i]!.join(' ')} --help says how to use it`); });
  assert.ok(!fs.existsSync(path.join(dir, 'ocpp-edge.db')), '--help touches no database');
  const unknown = await cli(dir, ['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "frobnicate".*--help/s);
  assert.equal((await cli(dir, ['charger'])).code, 2, 'a group without a subcommand shows its help and exits 2');
  assert.equal((await cli(dir, ['charger', 'fly'])).code, 2);
  assert.equal((await cli(dir, ['charger', 'list', 'extra'])).code, 2);
  assert.equal((await cli(dir, ['simulate', '--scenario', 'nonsense'])).code, 2);
});

test('bench runs the benchmark from the source checkout: a real server, both MeterValues phases, no errors', async (t) => {
  const dir = tempDir(t);
  const r = await cli(dir, ['bench', '--only', 'meter', '--chargers', '5', '--rate', '50', '--seconds', '1']);
  ok(r);
  assert.match(r.out, /ocpp-edge bench on \d+ CPUs/, 'the machine is described');
  const phases = [...r.out.matchAll(/^(fixed 50\/s|closed loop)\s+(\d+) calls\/s, CPU\s+\d+ µs\/call/gm)];
  assert.equal(phases.length, 2, `a fixed-rate and a closed-loop phase:\n${r.out}\n${r.err}`);
  for (const [, , perSecond] of phases) assert.ok(Number(perSecond) > 0, `calls were answered:\n${r.out}`);
  assert.doesNotMatch(r.out, /ERRORS/, `0 errors:\n${r.out}`);
});
