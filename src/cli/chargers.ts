// ocpp-edge charger add|list|remove|set-password: the same rules as the admin API's charger routes.
import { flag, int, parse, positional, str } from './args.js';
import { group, type Command } from './command.js';
import { withDatabase } from './context.js';
import { CliError, UsageError } from './errors.js';
import { generateAuthorizationKey } from '../domain/chargerPasswords.js';
import { obtainPassword, PASSWORD_HELP, passwordOptions } from './secrets.js';
import { printTable } from './output.js';

// As the API: what fits in /ocpp/{id}, and the OCPP 1.6 security profile's AuthorizationKey length.
const CHARGE_POINT_ID = /^[^\s/?#%]{1,48}$/;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 40;

function checkId(id: string): string {
  if (!CHARGE_POINT_ID.test(id)) throw new UsageError(`"${id}" cannot be a charge point id: 1–48 characters, no spaces, "/", "?", "#" or "%"`);
  return id;
}

function checkPassword(password: string): string {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new UsageError(`a charger password (AuthorizationKey) needs ${PASSWORD_MIN}–${PASSWORD_MAX} characters, this one has ${password.length}`);
  }
  return password;
}

function showGenerated(id: string, password: string): void {
  process.stdout.write(`Password for ${id} (shown once; set it as the charger's Basic auth password / AuthorizationKey):\n  ${password}\n`);
}

const add: Command = {
  summary: 'register a charger so it may connect at ws://<host>:8080/ocpp/<id>',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge charger add <id> [options]

Registers charge point <id> (the last part of the URL the charger connects to).
  --name <text>           a name for people
  --station <id>          station (numeric id) it belongs to
  --tariff <id>           its own tariff (numeric id); default: the station's, else the default tariff
  --max-current <A>       the most current it may draw (load balancing)
  --pending               registration Pending instead of Accepted
  --security-profile <n>  1 (default) Basic auth, 2 also only over wss://, 3 wss:// with a client certificate
${PASSWORD_HELP}
  (without a password the charger is refused at connect while ocpp.requirePassword is on, the default)
Exit codes: 0 registered, 1 already registered or unknown station/tariff, 2 usage error, 78 config error.`;
    const p = parse('charger add', argv, {
      name: { type: 'string' }, station: { type: 'string' }, tariff: { type: 'string' }, 'max-current': { type: 'string' },
      pending: { type: 'boolean' }, 'security-profile': { type: 'string' }, ...passwordOptions,
    }, help, 1);
    if (!p) return;
    const id = checkId(positional(p, 'the charge point id', 'charger add'));
    const stationId = int(p, 'station', { min: 1 });
    const tariffId = int(p, 'tariff', { min: 1 });
    const maxCurrent = str(p, 'max-current');
    const maxCurrentA = maxCurrent === undefined ? undefined : Number(maxCurrent);
    if (maxCurrentA !== undefined && !(maxCurrentA > 0 && maxCurrentA <= 1000)) throw new UsageError('--max-current must be a number of amperes above 0 and at most 1000');
    const profile = str(p, 'security-profile') ?? '1';
    if (!['1', '2', '3'].includes(profile)) throw new UsageError('--security-profile must be 1, 2 or 3');
    const wantsPassword = flag(p, 'password-stdin') || flag(p, 'generate-password');
    const secret = wantsPassword ? await obtainPassword(p.values, 'charger password', generateAuthorizationKey) : undefined;
    if (secret) checkPassword(secret.password);
    await withDatabase(globals, async ({ domain }) => {
      const existing = domain.chargers.find(id);
      if (existing?.chargePointId === id && !existing.archivedAt) throw new CliError(`charger ${id} is already registered; change its password with \`ocpp-edge charger set-password ${id}\``);
      if (stationId !== undefined && !domain.stations.byId(stationId)) throw new CliError(`there is no station ${stationId}; see the stations in the admin page`);
      if (tariffId !== undefined && !domain.tariffs.byId(tariffId)) throw new CliError(`there is no tariff ${tariffId}; see the tariffs in the admin page`);
      const edit = {
        name: str(p, 'name') ?? null, stationId: stationId ?? null, tariffId: tariffId ?? null, maxCurrentA: maxCurrentA ?? null,
        registrationStatus: flag(p, 'pending') ? 'Pending' as const : 'Accepted' as const, securityProfile: Number(profile) as 1 | 2 | 3,
      };
      if (existing) { // archived: it comes back with its history, as in the API
        await domain.uow.run(() => domain.chargers.restore(existing.id, edit));
        await domain.chargers.setPassword(existing.id, secret?.password ?? null);
      } else {
        await domain.chargers.create({ chargePointId: id, password: secret?.password ?? null, ...edit });
      }
      process.stdout.write(`registered charger ${id}${existing ? ' (restored with its history)' : ''}\n`);
      if (secret?.generated) showGenerated(id, secret.password);
    });
  },
};

const list: Command = {
  summary: 'list registered chargers',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge charger list [--all] [--json]

  --all     include removed (archived) chargers
  --json    one JSON array (no password hashes) instead of a table`;
    const p = parse('charger list', argv, { all: { type: 'boolean' }, json: { type: 'boolean' } }, help);
    if (!p) return;
    await withDatabase(globals, async ({ domain }) => {
      const rows = domain.chargers.list({ includeArchived: flag(p, 'all') }).map(({ passwordHash, ...c }) => ({ ...c, hasPassword: passwordHash !== null }));
      if (flag(p, 'json')) { process.stdout.write(JSON.stringify(rows, null, 2) + '\n'); return; }
      if (rows.length === 0) { process.stdout.write('no chargers registered yet: ocpp-edge charger add <id>\n'); return; }
      printTable(rows.map((c) => ({
        id: c.chargePointId, name: c.name ?? '', registration: c.registrationStatus, password: c.hasPassword ? 'yes' : 'no',
        vendor: [c.vendor, c.model].filter(Boolean).join(' '), 'last seen': c.lastHeartbeatAt ?? '', archived: c.archivedAt ? 'yes' : '',
      })));
    });
  },
};

const remove: Command = {
  summary: 'remove a charger (archived when it has history)',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge charger remove <id>

Removes charger <id>. One with sessions or other history is archived (hidden, refused when it connects,
history kept; \`charger add <id>\` brings it back); one without history is deleted.
A connected charger is disconnected the next time it reconnects or the server restarts.
Exit codes: 0 removed, 1 unknown charger or a session is running, 2 usage error.`;
    const p = parse('charger remove', argv, {}, help, 1);
    if (!p) return;
    const id = positional(p, 'the charge point id', 'charger remove');
    await withDatabase(globals, async ({ domain }) => {
      const charger = domain.chargers.find(id);
      if (!charger || charger.archivedAt) throw new CliError(`there is no charger ${id}; see \`ocpp-edge charger list\``);
      const result = await domain.uow.run(() => domain.chargers.remove(charger.id)); // refused while a session runs
      process.stdout.write(`charger ${charger.chargePointId} ${result}\n`);
    });
  },
};

const setPassword: Command = {
  summary: "set or clear the charger's Basic auth password",
  async run(argv, globals) {
    const help = `Usage: ocpp-edge charger set-password <id> [--password-stdin | --generate-password | --none]

Sets the password this server checks (HTTP Basic auth, OCPP security profile 1/2). Set the same value
on the charger as its AuthorizationKey, or it can no longer connect.
${PASSWORD_HELP}
  --none                  no password: the charger connects without Basic auth
With none of these on a terminal, asks for the password twice.`;
    const p = parse('charger set-password', argv, { ...passwordOptions, none: { type: 'boolean' } }, help, 1);
    if (!p) return;
    const id = positional(p, 'the charge point id', 'charger set-password');
    if (flag(p, 'none') && (flag(p, 'password-stdin') || flag(p, 'generate-password'))) throw new UsageError('--none cannot be combined with a password option');
    const secret = flag(p, 'none') ? undefined : await obtainPassword(p.values, 'charger password', generateAuthorizationKey);
    if (secret) checkPassword(secret.password);
    await withDatabase(globals, async ({ domain }) => {
      const charger = domain.chargers.find(id);
      if (!charger || charger.archivedAt) throw new CliError(`there is no charger ${id}; see \`ocpp-edge charger list\``);
      await domain.chargers.setPassword(charger.id, secret?.password ?? null);
      process.stdout.write(secret ? `password of ${charger.chargePointId} changed\n` : `${charger.chargePointId} now connects without a password\n`);
      if (secret?.generated) showGenerated(charger.chargePointId, secret.password);
    });
  },
};

export const chargerCommand = group('charger', 'register, list, remove chargers and set their passwords',
  { add, list, remove, 'set-password': setPassword });
