// Runs the real server as a child process (source via tsx, or the built bundle), for tests that need
// signals, crashes and restarts. The port is chosen by the OS (OCPP_EDGE_HTTP_PORT=0) and read back
// from the "ocpp-edge listening" log line, so parallel tests never race for a port.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  tlsPort?: number;
  /** Every log line so far (JSON lines from pino, plus anything on stderr). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line that matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  /** Node arguments; default runs src/main.ts through tsx. */
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  startTimeoutMs?: number;
}

export async function spawnServer(opts: SpawnOptions): Promise<ServerProcess> {
  const args = opts.args ?? ['--import', 'tsx', path.join(root, 'src/main.ts')];
  const env: Record<string, string | undefined> = {
    ...process.env, OCPP_EDGE_CONFIG: undefined, NOTIFY_SOCKET: undefined, WATCHDOG_USEC: undefined,
    OCPP_EDGE_DATA_DIR: opts.dataDir, OCPP_EDGE_HTTP_PORT: '0', OCPP_EDGE_HTTP_HOST: '127.0.0.1',
    OCPP_EDGE_LOG_LEVEL: 'info', OCPP_EDGE_OCPP_REQUIRE_PASSWORD: 'false',
    OCPP_EDGE_OCPP_ALLOW_TAGS_WITHOUT_WALLET: 'true', ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const child = spawn(process.execPath, args, { cwd: opts.cwd ?? root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const watchers: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onLine = (line: string) => {
    output.push(line);
    for (const w of [...watchers]) if (w.pattern.test(line)) { watchers.splice(watchers.indexOf(w), 1); w.resolve(line); }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, nl)); buf = buf.slice(nl + 1); }
    });
    stream.on('end', () => { if (buf) onLine(buf); });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const waitForLog = (pattern: RegExp, timeoutMs = 20_000) => {
    const seen = output.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
      watchers.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`server exited (code ${code}, signal ${signal}) before logging ${pattern}:\n${output.join('\n')}`));
      });
    });
  };

  const listening = JSON.parse(await waitForLog(/"msg":"ocpp-edge listening"/, opts.startTimeoutMs ?? 30_000)) as { port: number; tlsPort?: number };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    child, port: listening.port, tlsPort: listening.tlsPort, output, exited, stop, waitForLog,
    async [Symbol.asyncDispose]() { await stop('SIGKILL'); },
  };
}
