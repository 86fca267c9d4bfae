#!/usr/bin/env node
// ocpp-edge: the one command line. No arguments (or `serve`) runs the server; everything else is a
// command that works on the configured database directly. The bundle (dist/ocpp-edge.mjs) starts here.
import { EXIT, CliError, UsageError } from './errors.js';
import { DomainError } from '../domain/errors.js';
import type { Command } from './command.js';
import type { Globals } from './context.js';
import { VERSION } from '../version.js';

// Loaded on use, so `ocpp-edge charger list` never loads the web server and `--help` loads nothing native.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: { summary: 'run the server (the default); --demo for a throwaway demo', load: async () => (await import('./serve.js')).serveCommand },
  config: { summary: 'config check: validate and print the effective configuration', load: async () => (await import('./configCheck.js')).configCommand },
  admin: { summary: 'admin create|reset-password: staff logins for the admin page', load: async () => (await import('./admin.js')).adminCommand },
  charger: { summary: 'charger add|list|remove|set-password', load: async () => (await import('./chargers.js')).chargerCommand },
  idtag: { summary: 'idtag add|block: RFID cards and app tags', load: async () => (await import('./idTags.js')).idTagCommand },
  wallet: { summary: "wallet topup: credit a driver's wallet", load: async () => (await import('./wallet.js')).walletCommand },
  backup: { summary: 'backup <file>: consistent copy of the database, safe while running', load: async () => (await import('./backup.js')).backupCommand },
  restore: { summary: 'restore <file>: replace the database with a backup (server stopped)', load: async () => (await import('./backup.js')).restoreCommand },
  export: { summary: 'export transactions --from --to --csv', load: async () => (await import('./export.js')).exportCommand },
  simulate: { summary: 'simulated charge points against a CSMS (this one or any other)', load: async () => (await import('./tools.js')).simulateCommand },
  bench: { summary: 'measure throughput with many simulated chargers', load: async () => (await import('./tools.js')).benchCommand },
};

export const HELP = `ocpp-edge ${VERSION}: OCPP 1.6J central system for one charging site

Usage: ocpp-edge [--config <file>] [command] [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join('\n')}

  --demo       same as \`serve --demo\`
  --config     configuration file (default: $OCPP_EDGE_CONFIG, else ./config.json)
  --version
Run \`ocpp-edge <command> --help\` for a command's options.
Exit codes: 0 ok, 1 failed, 2 usage error, 78 configuration error.`;

/** Takes --config wherever it appears, so `ocpp-edge charger list --config x.json` works too. */
function takeGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const rest: string[] = [];
  const globals: Globals = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') {
      const file = argv[++i];
      if (!file) throw new UsageError('--config needs a file name');
      globals.configFile = file;
    } else if (a.startsWith('--config=')) globals.configFile = a.slice('--config='.length);
    else rest.push(a);
  }
  return { globals, rest };
}

/** Runs a command; resolves to the exit code, or undefined when the server runs (it exits by itself). */
export async function runCli(argv: string[]): Promise<number | undefined> {
  try {
    const { globals, rest } = takeGlobals(argv);
    const [first] = rest;
    if (first === '--help' || first === '-h' || first === 'help') { process.stdout.write(HELP + '\n'); return EXIT.ok; }
    if (first === '--version' || first === '-v') { process.stdout.write(VERSION + '\n'); return EXIT.ok; }
    // No command, or only server options (`ocpp-edge --demo`): the server.
    const name = first === undefined || first.startsWith('-') ? 'serve' : first;
    const args = name === first ? rest.slice(1) : rest;
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw new UsageError(`unknown command "${name}"\nRun \`ocpp-edge --help\` for the commands.`);
    const command = await entry.load();
    const code = await command.run(args, globals);
    return name === 'serve' && code === undefined ? undefined : (code ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`ocpp-edge: ${err.message}\n`);
      return err.code;
    }
    // A business rule's refusal (in use, not found, too little money…) says what to fix, as the API does.
    if (err instanceof DomainError) {
      process.stderr.write(`ocpp-edge: ${err.message}\n`);
      return EXIT.failure;
    }
    process.stderr.write(`ocpp-edge: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return EXIT.failure;
  }
}

const code = await runCli(process.argv.slice(2));
if (code !== undefined) process.exit(code);
