// ocpp-edge simulate|bench: the charger simulator (src/sim) and the benchmark (scripts/bench.ts).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.js';
import { CliError } from './errors.js';

export const simulateCommand: Command = {
  summary: 'simulated charge points',
  async run(argv) {
    const { runSimulator } = await import('../sim/simulateCommand.js');
    return runSimulator(argv);
  },
};

/** The source checkout this runs from, if any (the benchmark lives in scripts/, not in the bundle). */
function sourceRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts/bench.ts')) && fs.existsSync(path.join(dir, 'node_modules/tsx'))) return dir;
  }
  return undefined;
}

export const benchCommand: Command = {
  summary: 'benchmark',
  async run(argv) {
    const root = sourceRoot();
    if (!root) throw new CliError('the benchmark runs from a source checkout with its dev dependencies: git clone …, npm ci, then `npm run bench -- --help`');
    // A child process: the benchmark starts its own server and reads its own /proc numbers.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench.ts'), ...argv], { cwd: root, stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  },
};
