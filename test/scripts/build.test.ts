// The production bundle builds, carries its run-time files, starts, and serves /api/health.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer } from '../support/serverProcess.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('build.mjs bundles the server and the bundle starts and answers health', async (t) => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-build-'));
  t.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const { build } = await import(path.join(root, 'build.mjs'));
  const sizes = await build({ outDir, quiet: true });
  assert.ok(sizes.bundle > 100_000, 'bundle has the server in it');
  assert.ok(fs.existsSync(path.join(outDir, 'migrations/meta/_journal.json')));
  assert.ok(fs.existsSync(path.join(outDir, 'schemas/config.schema.json')));
  assert.ok(fs.existsSync(path.join(outDir, 'schemas/ocpp16/BootNotification.json')));
  // The admin page is always part of the build, measured gzipped against its budget.
  const index = fs.readFileSync(path.join(outDir, 'web/index.html'), 'utf8');
  const script = /<script[^>]+src="\/([^"]+\.js)"/.exec(index)?.[1];
  assert.ok(script && fs.existsSync(path.join(outDir, 'web', script)), `index.html points at a built script (${script})`);
  assert.ok(sizes.webGzip > 1000 && sizes.webGzip <= 60 * 1024, `admin page gzipped: ${sizes.webGzip} B`);
  const text = fs.readFileSync(path.join(outDir, 'ocpp-edge.mjs'), 'utf8');
  assert.match(text, /from "uWebSockets\.js"|require\("uWebSockets\.js"\)|'uWebSockets\.js'|"uWebSockets\.js"/, 'uWS stays external');
  assert.doesNotMatch(text, /function Database\(filenameGiven/, 'better-sqlite3 is not bundled');
  // One non-ASCII character (a comment's "…") makes V8 hold the whole source as a two-byte string: 2 MB more heap.
  assert.doesNotMatch(text, /[^\x00-\x7f]/, 'the bundle is ASCII only');

  // Like an installed copy: natives from node_modules beside the bundle, migrations and schemas
  // from the bundle's own folder (the temp dir has no src/ or schemas/ above it).
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  const dataDir = path.join(outDir, 'data');
  await using server = await spawnServer({ args: [path.join(outDir, 'ocpp-edge.mjs')], dataDir, cwd: outDir });
  const res = await fetch(`http://127.0.0.1:${server.port}/api/health`);
  assert.equal(res.status, 200);
  const body = await res.json() as { status: string; database: string };
  assert.equal(body.database, 'ok');
  assert.ok(fs.existsSync(path.join(dataDir, 'ocpp-edge.db')), 'database created in OCPP_EDGE_DATA_DIR');
});

test('a build whose admin page fails, or is over its gzipped budget, fails', async (t) => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-build-'));
  t.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const { build } = await import(path.join(root, 'build.mjs'));
  const broken = path.join(outDir, 'broken-web.mjs');
  fs.writeFileSync(broken, "export async function buildWeb() { throw new Error('Could not resolve \\'./nowhere.js\\''); }\n");
  await assert.rejects(build({ outDir, quiet: true, webBuilder: broken }), /admin page not built .*Could not resolve/);
  await assert.rejects(build({ outDir, quiet: true, webBudgetBytes: 1024 }), /admin page is over its size budget: [\d.]+ KB gzipped > 1\.0 KB/);
});
