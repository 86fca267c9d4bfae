// npm test: every *.test.ts under src/, scripts/, web/ and test/ on the node:test runner via tsx.
// (Node 20's --test takes no globs, so the files are found here.) Extra args filter by path substring.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src', 'scripts', 'web', 'test'];
const skip = new Set(['node_modules', 'dist']);

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return skip.has(e.name) ? [] : find(p);
    return /\.test\.(ts|mts)$/.test(e.name) ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = roots.flatMap(find).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
