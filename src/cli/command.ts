// The shape of a command, and dispatch over a group's subcommands (`ocpp-edge charger add …`).
import type { Globals } from './context.js';
import { UsageError } from './errors.js';

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Returns the exit code (0 when omitted). */
  run(argv: string[], globals: Globals): Promise<number | void>;
}

export type Group = Record<string, Command>;

export function groupHelp(group: string, commands: Group, intro = ''): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return `${intro ? intro + '\n\n' : ''}Usage: ocpp-edge ${group} <command> [options]\n\nCommands:\n` +
    Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n') +
    `\n\nRun \`ocpp-edge ${group} <command> --help\` for a command's options.`;
}

/** A command made of subcommands. */
export function group(name: string, summary: string, commands: Group, intro = ''): Command {
  return {
    summary,
    async run(argv, globals) {
      const [sub, ...rest] = argv;
      if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
        process.stdout.write(groupHelp(name, commands, intro) + '\n');
        return sub ? 0 : 2;
      }
      const command = Object.hasOwn(commands, sub) ? commands[sub] : undefined;
      if (!command) throw new UsageError(`unknown command "${name} ${sub}"; one of: ${Object.keys(commands).join(', ')}\nRun \`ocpp-edge ${name} --help\`.`);
      return command.run(rest, globals);
    },
  };
}
