// ocpp-edge wallet topup: credits a driver's wallet through the same ledger as the admin API
// (idempotent with --key, so a script may retry; opens the wallet in the site currency when needed).
import { randomUUID } from 'node:crypto';
import { int, parse, str } from './args.js';
import { group, type Command } from './command.js';
import { withDatabase } from './context.js';
import { CliError, UsageError } from './errors.js';

const MAX_AMOUNT = 100_000_000; // as the API: larger is a typo

const topup: Command = {
  summary: "credit a driver's wallet",
  async run(argv, globals) {
    const help = `Usage: ocpp-edge wallet topup (--user <id> | --id-tag <tag>) --amount <minor units> [options]

  --user <id>             the driver (user id)
  --id-tag <tag>          or the driver that owns this idTag
  --amount <n>            in minor units: 2000 is 20.00 EUR
  --currency <ISO>        refuse unless the wallet is in this currency (e.g. EUR)
  --description <text>    shown in the ledger
  --key <text>            idempotency key: running again with the same key credits once
Exit codes: 0 credited (or already credited with this key), 1 unknown driver, other currency or key
reused for another amount, 2 usage error, 78 config error.`;
    const p = parse('wallet topup', argv, {
      user: { type: 'string' }, 'id-tag': { type: 'string' }, amount: { type: 'string' },
      currency: { type: 'string' }, description: { type: 'string' }, key: { type: 'string' },
    }, help);
    if (!p) return;
    const userArg = int(p, 'user', { min: 1 });
    const tagArg = str(p, 'id-tag');
    if ((userArg === undefined) === (tagArg === undefined)) throw new UsageError('give exactly one of --user <id> or --id-tag <tag>');
    const amount = int(p, 'amount', { min: 1, max: MAX_AMOUNT });
    if (amount === undefined) throw new UsageError('--amount is required (minor units: 2000 is 20.00)');
    const currency = str(p, 'currency');
    if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency must be a three-letter ISO code like EUR, not "${currency}"`);
    await withDatabase(globals, async ({ domain }) => {
      let userId = userArg;
      if (tagArg !== undefined) {
        const tag = domain.idTagRegistry.byIdTag(tagArg);
        if (!tag) throw new CliError(`there is no idTag ${tagArg}`);
        if (tag.userId === null) throw new CliError(`idTag ${tagArg} belongs to no driver; give it one in the admin page or use --user`);
        userId = tag.userId;
      }
      if (!domain.users.byId(userId!)) throw new CliError(`there is no user ${userId}`);
      const siteCurrency = domain.settings.currency() ?? 'EUR';
      const result = await domain.uow.run(() => domain.wallets.apply(userId!, {
        type: 'TOP_UP', amount, description: str(p, 'description') ?? null, idempotencyKey: str(p, 'key') ?? `cli-${randomUUID()}`,
        createdBy: 'cli', currency,
      }, siteCurrency));
      const { wallet, replayed } = result;
      process.stdout.write(`${replayed ? 'already credited with this key' : `credited ${amount}`}; balance of user ${userId}: ${wallet.balance} ${wallet.currency} (minor units)\n`);
    });
  },
};

export const walletCommand = group('wallet', 'driver wallets', { topup });
