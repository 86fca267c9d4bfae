// Production build: dist/ocpp-edge.mjs (one ESM bundle of src/cli/index.ts for Node 20+: the server
// when run without arguments, else the `ocpp-edge` command line), with the files
// it reads at run time beside it: migrations/, schemas/ and web/ (the admin page). The two native
// addons (uWebSockets.js, better-sqlite3) stay external and ship in node_modules (see scripts/package.mjs).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
export const NATIVE_PACKAGES = ['uWebSockets.js', 'better-sqlite3'];

// Bundled CommonJS dependencies call require(); an ESM bundle has none, so we give it one.
const banner = [
  "import { createRequire as __ocppEdgeCreateRequire } from 'node:module';",
  'const require = __ocppEdgeCreateRequire(import.meta.url);',
].join('\n');

function copyDir(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

function dirBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

/**
 * V8 keeps a script's source for lazy compilation; one non-ASCII character makes the whole 2 MB source a
 * two-byte string (4 MB of heap, measured). charset 'ascii' escapes strings and regexps but not the
 * comments esbuild keeps, so what is left is escaped here (the same character in a string or a comment).
 */
export function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  if (out !== text) fs.writeFileSync(file, out);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Builds into outDir (default dist/) and returns the sizes it printed. The admin page is part of every
 * build: a failed page build, or one over its gzipped budget, fails the build (a release must never
 * ship without the page). webBuilder and webBudgetBytes exist for the build's own tests.
 */
export async function build({ outDir = path.join(root, 'dist'), quiet = false, webBuilder = path.join(root, 'scripts/build-web.mjs'), webBudgetBytes } = {}) {
  const log = quiet ? () => {} : (line) => console.log(line);
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'ocpp-edge.mjs');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  await esbuild.build({
    entryPoints: [path.join(root, 'src/cli/index.ts')],
    outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    external: NATIVE_PACKAGES, banner: { js: banner },
    define: { 'process.env.OCPP_EDGE_BUILD_VERSION': JSON.stringify(pkg.version) },
    minify: false, sourcemap: false, legalComments: 'none', logLevel: 'warning', charset: 'ascii',
  });
  asciiOnly(outfile);
  // src/db/index.ts looks for migrations/ and src/schemas.ts for schemas/ beside the bundle.
  copyDir(path.join(root, 'src/db/migrations'), path.join(outDir, 'migrations'));
  copyDir(path.join(root, 'schemas'), path.join(outDir, 'schemas'));
  const sizes = {
    bundle: fs.statSync(outfile).size,
    bundleGzip: zlib.gzipSync(fs.readFileSync(outfile), { level: 9 }).length,
    migrations: dirBytes(path.join(outDir, 'migrations')),
    schemas: dirBytes(path.join(outDir, 'schemas')),
    web: 0,
    webGzip: 0,
  };
  // The admin page (scripts/build-web.mjs): measured as the server sends it, gzipped.
  let web;
  try {
    web = await import(pathToFileURL(webBuilder).href);
    const measured = await web.buildWeb(path.join(outDir, 'web'));
    sizes.web = measured.totalBytes;
    sizes.webGzip = measured.totalGzipBytes;
  } catch (err) {
    throw new Error(`admin page not built (${path.relative(root, webBuilder)}): ${err.message}`, { cause: err });
  }
  const budget = webBudgetBytes ?? web.BUDGET_GZIP_BYTES;
  log(`  ${path.relative(root, outfile)}  ${kb(sizes.bundle)} (${kb(sizes.bundleGzip)} gzipped)`);
  log(`  ${path.relative(root, outDir)}/migrations  ${kb(sizes.migrations)}`);
  log(`  ${path.relative(root, outDir)}/schemas     ${kb(sizes.schemas)}`);
  log(`  ${path.relative(root, outDir)}/web         ${kb(sizes.web)} (${kb(sizes.webGzip)} gzipped, budget ${kb(budget)})`);
  log(`  natives (external, from node_modules): ${NATIVE_PACKAGES.join(', ')}`);
  web.checkBudget({ totalGzipBytes: sizes.webGzip }, budget);
  return sizes;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().catch((err) => {
    console.error(`build failed: ${err.message ?? err}`);
    if (err.cause?.stack) console.error(err.cause.stack);
    process.exit(1);
  });
}
