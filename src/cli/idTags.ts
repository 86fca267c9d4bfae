// ocpp-edge idtag add|block: the RFID cards (and app tags) chargers ask about in Authorize and
// StartTransaction. Authorization reads the database, so the running server uses a change at once.
// Each change also moves the idTags revision (domain/idTagRevision.ts) in its transaction: a running
// server notices within a few seconds and chargers holding a local list (localAuthList.autoSync) get it.
// idTags are case-insensitive (OCPP CiString20): `idtag block abc123` finds ABC123, and abc123 cannot be
// added next to it. A tag keeps the spelling it was added with.
import { flag, int, parse, positional, str } from './args.js';
import { group, type Command } from './command.js';
import { withDatabase } from './context.js';
import { IdTagExistsError, idTagExistsMessage } from '../domain/idTagRegistry.js';
import { CliError, UsageError } from './errors.js';

// OCPP 1.6 IdToken: CiString20.
const ID_TAG = /^\S{1,20}$/;

function checkTag(tag: string): string {
  if (!ID_TAG.test(tag)) throw new UsageError(`"${tag}" cannot be an idTag: 1–20 characters without spaces (OCPP 1.6 IdToken)`);
  return tag;
}

const add: Command = {
  summary: 'allow an idTag (RFID card) to charge',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge idtag add <idTag> [options]

  --user <id>             the driver (user id) it belongs to: their wallet pays
  --new-user <full name>  create the driver and give them this tag
  --phone <number>        with --new-user: their phone number
  --parent <idTag>        group tag (OCPP parentIdTag): sessions are paid by the group's driver
  --expires <ISO time>    e.g. 2026-12-31T23:59:59Z
  --description <text>
  --app                   an app tag rather than an RFID card
  --blocked               add it blocked
Exit codes: 0 added, 1 the tag exists or the user is unknown, 2 usage error, 78 config error.`;
    const p = parse('idtag add', argv, {
      user: { type: 'string' }, 'new-user': { type: 'string' }, phone: { type: 'string' }, parent: { type: 'string' },
      expires: { type: 'string' }, description: { type: 'string' }, app: { type: 'boolean' }, blocked: { type: 'boolean' },
    }, help, 1);
    if (!p) return;
    const tag = checkTag(positional(p, 'the idTag', 'idtag add'));
    const userId = int(p, 'user', { min: 1 });
    const newUser = str(p, 'new-user');
    if (userId !== undefined && newUser !== undefined) throw new UsageError('give --user or --new-user, not both');
    if (str(p, 'phone') !== undefined && newUser === undefined) throw new UsageError('--phone goes with --new-user');
    const parent = str(p, 'parent');
    if (parent !== undefined) checkTag(parent);
    const expires = str(p, 'expires');
    if (expires !== undefined && Number.isNaN(Date.parse(expires))) throw new UsageError(`--expires must be an ISO time like 2026-12-31T23:59:59Z, not "${expires}"`);
    await withDatabase(globals, async ({ domain, config }) => {
      const exists = (existing: string) => new CliError(`${idTagExistsMessage(tag, existing)}; ` +
        `block it with \`ocpp-edge idtag block ${existing}\` or change it in the admin page`);
      const existing = domain.idTagRegistry.byIdTag(tag);
      if (existing) throw exists(existing.idTag);
      if (userId !== undefined && !domain.users.byId(userId)) throw new CliError(`there is no user ${userId}; create one with --new-user "<full name>"`);
      const row = await domain.uow.run(() => {
        const owner = newUser !== undefined ? domain.users.create({ fullName: newUser, phoneNumber: str(p, 'phone') ?? null }).id : userId ?? null;
        return domain.idTagRegistry.create({
          idTag: tag, userId: owner, parentIdTag: parent ?? null, status: flag(p, 'blocked') ? 'Blocked' : 'Accepted',
          expiryDate: expires ? new Date(expires).toISOString() : null, kind: flag(p, 'app') ? 'App' : 'RFID', description: str(p, 'description') ?? null,
        });
        // Added by another process since the check above: the unique index on lower(id_tag) refused it.
      }).catch((err: unknown) => { throw err instanceof IdTagExistsError ? exists(err.existing.idTag) : err; });
      process.stdout.write(`idTag ${tag} added (${row.status})${row.userId ? ` for user ${row.userId}` : ''}\n`);
      const payer = row.userId ?? (row.parentIdTag ? domain.idTagRegistry.byIdTag(row.parentIdTag)?.userId : null);
      if (!payer && !config.ocpp.allowTagsWithoutWallet) {
        process.stdout.write('note: it has no user with a wallet, so chargers will be told Blocked until it gets one ' +
          '(or set ocpp.allowTagsWithoutWallet in the config)\n');
      }
    });
  },
};

const block: Command = {
  summary: 'block an idTag (or --unblock it)',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge idtag block <idTag> [--unblock]

Blocks the tag: chargers get Blocked for new sessions (running sessions are not stopped).
  --unblock   accept it again
Exit codes: 0 done, 1 unknown idTag, 2 usage error, 78 config error.`;
    const p = parse('idtag block', argv, { unblock: { type: 'boolean' } }, help, 1);
    if (!p) return;
    const tag = positional(p, 'the idTag', 'idtag block');
    const status = flag(p, 'unblock') ? 'Accepted' : 'Blocked';
    await withDatabase(globals, async ({ domain }) => {
      const row = domain.idTagRegistry.byIdTag(tag);
      if (!row) throw new CliError(`there is no idTag ${tag}; add it with \`ocpp-edge idtag add ${tag}\``);
      await domain.uow.run(() => domain.idTagRegistry.update(row.id, { status }));
      process.stdout.write(`idTag ${row.idTag} is ${status === 'Blocked' ? 'blocked' : 'accepted again'}\n`);
    });
  },
};

export const idTagCommand = group('idtag', 'idTags (RFID cards)', { add, block });
