// ocpp-edge config check: validates the configuration exactly as the server loads it and prints the
// effective values (file + OCPP_EDGE_* variables + defaults) with secrets masked.
import fs from 'node:fs';
import { maskSecrets } from '../config.js';
import { flag, parse } from './args.js';
import { group, type Command } from './command.js';
import { cliConfig, databaseFile } from './context.js';

const check: Command = {
  summary: 'validate the configuration and print the effective values (secrets masked)',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge config check [--quiet]

Loads the configuration the way the server does: the file (--config, else $OCPP_EDGE_CONFIG, else
./config.json), then OCPP_EDGE_* variables (e.g. OCPP_EDGE_HTTP_PORT=9000), then defaults; prints the
result with passwords and key files masked.
  --quiet   print nothing when valid
Exit codes: 0 valid, 78 invalid (the message names the key), 2 usage error.`;
    const p = parse('config check', argv, { quiet: { type: 'boolean' } }, help);
    if (!p) return;
    const config = cliConfig(globals);
    if (flag(p, 'quiet')) return;
    const source = globals.configFile ?? process.env.OCPP_EDGE_CONFIG ?? (fs.existsSync('config.json') ? 'config.json' : undefined);
    process.stdout.write(`configuration OK (${source ? `file ${source}` : 'no file: defaults'} + environment)\n`);
    process.stdout.write(JSON.stringify(maskSecrets(config), null, 2) + '\n');
    const db = databaseFile(config);
    process.stdout.write(`database: ${db}${fs.existsSync(db) ? '' : ' (not created yet: the server creates it on first start)'}\n`);
  },
};

export const configCommand = group('config', 'check the configuration', { check });
