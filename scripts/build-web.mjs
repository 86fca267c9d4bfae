// Builds the admin page (web/) with esbuild: one JS and one CSS file with content-hashed names, and an
// index.html that points at them. Used by `npm run build:web`, by build.mjs (packaging), and by the
// server itself when it runs from source (bundleWeb() in memory, so tests and `npm start` need no step).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');

/** Bundles web/ and returns every output file by its URL name (e.g. "index.html", "assets/main-AB12CD.js"). */
export async function bundleWeb({ minify = true } = {}) {
  const result = await esbuild.build({
    entryPoints: [path.join(webDir, 'src', 'main.js')],
    bundle: true, minify, format: 'esm', target: ['es2020'], write: false, metafile: false,
    outdir: path.join(webDir, '.out', 'assets'), entryNames: '[name]-[hash]', assetNames: '[name]-[hash]',
    sourcemap: false, legalComments: 'none', logLevel: 'silent',
  });
  const files = new Map();
  const outBase = path.join(webDir, '.out');
  for (const f of result.outputFiles) files.set(path.relative(outBase, f.path).split(path.sep).join('/'), Buffer.from(f.contents));
  const names = [...files.keys()];
  const js = names.find((n) => n.endsWith('.js'));
  const css = names.find((n) => n.endsWith('.css'));
  if (!js) throw new Error('admin page build produced no JavaScript file');
  let html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  html = html.replace('%SCRIPT%', `/${js}`).replace('%STYLE%', css ? `/${css}` : '');
  files.set('index.html', Buffer.from(html));
  // web/public/ is served as it is, at the root: the icon and the home-screen manifest (fixed names the
  // browser asks for, so not content-hashed).
  const publicDir = path.join(webDir, 'public');
  for (const name of fs.existsSync(publicDir) ? fs.readdirSync(publicDir) : []) files.set(name, fs.readFileSync(path.join(publicDir, name)));
  return files;
}

/** Sizes of the files as sent (gzip level 9, as the server sends them). */
export function measure(files) {
  const rows = [...files].map(([name, buf]) => ({ name, bytes: buf.length, gzipBytes: zlib.gzipSync(buf, { level: 9 }).length }));
  return { rows, totalBytes: rows.reduce((s, r) => s + r.bytes, 0), totalGzipBytes: rows.reduce((s, r) => s + r.gzipBytes, 0) };
}

/** Writes the bundle to outDir (emptied first) and returns the measured sizes. */
export async function buildWeb(outDir = path.join(root, 'dist', 'web'), opts = {}) {
  const files = await bundleWeb(opts);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const [name, buf] of files) {
    const target = path.join(outDir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, buf);
  }
  return measure(files);
}

/** The admin page's transfer budget (issue 6): every file gzipped, summed. */
export const BUDGET_GZIP_BYTES = 60 * 1024;

/** Throws when the measured page is over its budget (builds fail rather than ship a heavy page). */
export function checkBudget(sizes, budget = BUDGET_GZIP_BYTES) {
  if (sizes.totalGzipBytes > budget) {
    throw new Error(`admin page is over its size budget: ${(sizes.totalGzipBytes / 1024).toFixed(1)} KB gzipped > ${(budget / 1024).toFixed(1)} KB`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'web'));
  const sizes = await buildWeb(outDir);
  for (const r of sizes.rows) console.log(`  ${r.name.padEnd(36)} ${String(r.bytes).padStart(8)} B  ${String(r.gzipBytes).padStart(7)} B gzipped`);
  const kb = (sizes.totalGzipBytes / 1024).toFixed(1);
  console.log(`admin page -> ${path.relative(process.cwd(), outDir) || '.'}: ${sizes.totalBytes} B, ${kb} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
  try { checkBudget(sizes); } catch (err) { console.error(err.message); process.exit(1); }
}
