// ocpp-edge admin create|reset-password|list: staff logins, through the same AdminUsers service the
// admin API uses (same password rules, same scrypt hashes; a reset ends the user's open sessions).
import { MIN_PASSWORD_LENGTH, type AdminRole } from '../domain/adminUsers.js';
import { flag, parse, requireStr, str } from './args.js';
import { group, type Command } from './command.js';
import { withDatabase } from './context.js';
import { CliError, UsageError } from './errors.js';
import { obtainPassword, PASSWORD_HELP, passwordOptions } from './secrets.js';
import { printTable } from './output.js';

const create: Command = {
  summary: 'create a login for the admin page (the first admin, or more staff)',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge admin create --username <name> [--role admin|viewer] [password option]

  --username <name>       login name
  --role <role>           admin (may change things, the default) or viewer (read only)
${PASSWORD_HELP}
With no password option on a terminal, asks for it twice. At least ${MIN_PASSWORD_LENGTH} characters.
Example: printf '%s\\n' "$PW" | ocpp-edge admin create --username alice --password-stdin
Exit codes: 0 created, 1 the name is taken or the password too short, 2 usage error, 78 config error.`;
    const p = parse('admin create', argv, { username: { type: 'string' }, role: { type: 'string' }, ...passwordOptions }, help);
    if (!p) return;
    const username = requireStr(p, 'username', 'admin create');
    const role = (str(p, 'role') ?? 'admin') as AdminRole;
    if (role !== 'admin' && role !== 'viewer') throw new UsageError(`--role must be admin or viewer, not "${role}"`);
    const secret = await obtainPassword(p.values, 'password');
    await withDatabase(globals, async ({ domain }) => {
      await domain.adminUsers.create({ username, password: secret.password, role });
      process.stdout.write(`created ${role} ${username}; log in at http://<this host>:<http.port>/\n`);
      if (secret.generated) process.stdout.write(`Password (shown once): ${secret.password}\n`);
    });
  },
};

const resetPassword: Command = {
  summary: "set a new password for a login (ends the user's sessions)",
  async run(argv, globals) {
    const help = `Usage: ocpp-edge admin reset-password --username <name> [password option] [--enable]

For a forgotten password: sets a new one and logs the user out everywhere.
  --username <name>       whose password
${PASSWORD_HELP}
  --enable                also re-enable the login if it was disabled
Exit codes: 0 changed, 1 unknown user or password too short, 2 usage error, 78 config error.`;
    const p = parse('admin reset-password', argv, { username: { type: 'string' }, enable: { type: 'boolean' }, ...passwordOptions }, help);
    if (!p) return;
    const username = requireStr(p, 'username', 'admin reset-password');
    const secret = await obtainPassword(p.values, 'password');
    await withDatabase(globals, async ({ domain }) => {
      const user = domain.adminUsers.byUsername(username);
      if (!user) {
        const known = domain.adminUsers.list().map((u) => u.username);
        throw new CliError(`there is no login "${username}"${known.length ? ` (there are: ${known.join(', ')})` : '; create one with `ocpp-edge admin create`'}`);
      }
      await domain.adminUsers.update(user.id, { password: secret.password, ...(flag(p, 'enable') ? { disabled: false } : {}) });
      process.stdout.write(`password of ${username} changed; their open sessions have ended\n`);
      if (secret.generated) process.stdout.write(`Password (shown once): ${secret.password}\n`);
    });
  },
};

const list: Command = {
  summary: 'list logins',
  async run(argv, globals) {
    const p = parse('admin list', argv, { json: { type: 'boolean' } }, 'Usage: ocpp-edge admin list [--json]');
    if (!p) return;
    await withDatabase(globals, async ({ domain }) => {
      const users = domain.adminUsers.list();
      if (flag(p, 'json')) { process.stdout.write(JSON.stringify(users, null, 2) + '\n'); return; }
      if (users.length === 0) { process.stdout.write('no logins yet: ocpp-edge admin create --username <name>\n'); return; }
      printTable(users.map((u) => ({ username: u.username, role: u.role, disabled: u.disabled ? 'yes' : '', created: u.createdAt })));
    });
  },
};

export const adminCommand = group('admin', 'staff logins', { create, 'reset-password': resetPassword, list });
