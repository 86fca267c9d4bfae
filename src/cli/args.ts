// Option parsing for every command: node's parseArgs (strict), with mistakes turned into usage errors
// that name the command's --help, and typed readers for the values commands need.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses argv for `command`; returns undefined after printing help when --help/-h was given. */
export function parse(command: string, argv: string[], options: Options, help: string, maxPositionals = 0): Parsed | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}\nRun \`ocpp-edge ${command} --help\` for the options.`);
  }
  if (parsed.values.help) {
    process.stdout.write(help.trimEnd() + '\n');
    return undefined;
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"\nRun \`ocpp-edge ${command} --help\` for the usage.`);
  }
  return parsed as Parsed;
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(p: Parsed, name: string, command: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required\nRun \`ocpp-edge ${command} --help\` for the usage.`);
  return v;
}

export function int(p: Parsed, name: string, opts: { min?: number; max?: number } = {}): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not "${v}"`);
  const n = Number(v);
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`--${name} must be at least ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`--${name} must be at most ${opts.max}`);
  return n;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** The first positional, required. */
export function positional(p: Parsed, what: string, command: string): string {
  const v = p.positionals[0];
  if (!v) throw new UsageError(`missing ${what}\nRun \`ocpp-edge ${command} --help\` for the usage.`);
  return v;
}
