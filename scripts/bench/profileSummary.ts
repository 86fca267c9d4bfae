// npx tsx scripts/bench/profileSummary.ts <file.cpuprofile> [--top 30] [--match text]
// Summarises a V8 CPU profile (node --cpu-prof, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
// npm run bench -- --only meter): self and inclusive time by function, self time by file and by package,
// as shares of the busy samples ((idle) left out). --match lists only functions whose name or file contains text.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, match: { type: 'string' } } });
const file = positionals[0];
if (!file) { console.error('usage: profileSummary.ts <file.cpuprofile> [--top 30] [--match text]'); process.exit(2); }
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*?\/(src|scripts|dist)\//, '$1/') || '(native)';
const fnKey = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
const pkgOf = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  if (/\/src\//.test(url)) return `src/${/\/src\/([^/]+)/.exec(url)![1]}`;
  return url ? shortUrl(url) : '(native/vm)';
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const fileSelf = new Map<string, number>();
const pkgSelf = new Map<string, number>();
let busy = 0;
let idle = 0;
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)!;
  const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0; // a sample's time runs until the next
  if (node.callFrame.functionName === '(idle)') { idle += dt; continue; }
  busy += dt;
  add(self, fnKey(node.callFrame), dt);
  add(fileSelf, shortUrl(node.callFrame.url), dt);
  add(pkgSelf, pkgOf(node.callFrame.url), dt);
  const seen = new Set<string>(); // a recursive function counts once per sample
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const k = fnKey(byId.get(id)!.callFrame);
    if (!seen.has(k)) { seen.add(k); add(inclusive, k, dt); }
  }
}

const match = values.match;
const table = (title: string, m: Map<string, number>, n = top) => {
  console.log(`\n${title}`);
  const rows = [...m].filter(([k]) => !match || k.includes(match)).sort((a, b) => b[1] - a[1]).slice(0, n);
  for (const [k, v] of rows) console.log(`${((100 * v) / busy).toFixed(1).padStart(6)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s (shares below are of the busy time)`);
table('self time by function', self);
table('inclusive time by function', inclusive);
if (!match) {
  table('self time by file', fileSelf, 25);
  table('self time by package', pkgSelf, 15);
}
