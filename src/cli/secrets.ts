// Passwords for the CLI: never as a command-line argument (it would land in shell history and `ps`).
// Read from stdin (scripts), typed twice at a hidden prompt (people), or generated and shown once.
import { randomBytes } from 'node:crypto';
import { UsageError } from './errors.js';

export const passwordOptions = {
  'password-stdin': { type: 'boolean' },
  'generate-password': { type: 'boolean' },
} as const;

export const PASSWORD_HELP = `  --password-stdin        read the password from standard input (first line)
  --generate-password     make a random password and print it once`;

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (result: string | Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result instanceof Error) reject(result); else resolve(result);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password the user chose; `generated` says it must be shown to them. */
export async function obtainPassword(values: Record<string, unknown>, what: string, generate: () => string = generatePassword): Promise<{ password: string; generated: boolean }> {
  if (values['password-stdin'] && values['generate-password']) throw new UsageError('give --password-stdin or --generate-password, not both');
  if (values['generate-password']) return { password: generate(), generated: true };
  if (values['password-stdin']) {
    const password = await readStdin();
    if (!password) throw new UsageError(`standard input was empty: pipe the ${what} in, e.g. \`printf '%s\\n' "$PASSWORD" | ocpp-edge …\``);
    return { password, generated: false };
  }
  if (!process.stdin.isTTY) throw new UsageError(`no ${what} given: use --password-stdin (pipe it in) or --generate-password`);
  const first = await promptHidden(`New ${what}: `);
  const second = await promptHidden(`Repeat the ${what}: `);
  if (first !== second) throw new UsageError('the two passwords differ; nothing was changed');
  return { password: first, generated: false };
}
