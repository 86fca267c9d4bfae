// The real `ocpp-edge` command line in a child process, as an installer runs it, on a temp dataDir.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Resolved here: the CLI runs with the temp dataDir as its working directory (no stray ./config.json).
const TSX = import.meta.resolve('tsx');

export interface CliRun { code: number | null; out: string; err: string }

export function runCli(dataDir: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, OCPP_EDGE_DATA_DIR: dataDir, OCPP_EDGE_LOG_LEVEL: 'silent', ...opts.env };
    delete env.OCPP_EDGE_CONFIG;
    const child = spawn(process.execPath, ['--import', TSX, path.join(root, 'src/cli/index.ts'), ...args],
      { cwd: dataDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.stdin.end(opts.stdin ?? '');
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
