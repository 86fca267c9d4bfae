// The layers hold only if something checks them: this walks every import under src/ (and web/src/) and fails
// on one that runs from a lower layer up (the README's "Code layout" draws the same picture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(srcDir);

interface Import { file: string; target: string } // file relative to the repo; target: repo-relative path or a package name

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

// Static imports, re-exports and dynamic import('…') with a literal specifier.
const specifiers = /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

// Comments out first: a JSDoc `import('…')` names a type, it loads nothing.
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  for (const m of withoutComments(text).matchAll(specifiers)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    const target = spec.startsWith('.')
      ? path.relative(repoDir, path.resolve(path.dirname(file), spec)).split(path.sep).join('/')
      : spec.startsWith('node:') ? spec : packageName(spec);
    found.push({ file: path.relative(repoDir, file).split(path.sep).join('/'), target });
  }
  return found;
}

const packageName = (spec: string) => spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

const dbHandles = ['src/db/schema.js', 'src/db/index.js', 'drizzle-orm', 'better-sqlite3'];

// Who may not import whom. A target is a repo path prefix (src/ocpp/) or a package name.
const rules: Array<{ layer: string; mustNotImport: string[]; why: string }> = [
  { layer: 'src/protocol/', mustNotImport: ['src/', 'test/'], why: 'the protocol vocabulary is a leaf: types from the schemas, nothing else' },
  { layer: 'src/db/', mustNotImport: ['src/domain/', 'src/ocpp/', 'src/server/', 'src/sync/', 'src/cli/', 'src/site.js'], why: 'db is the bottom layer' },
  {
    layer: 'src/domain/',
    mustNotImport: ['src/ocpp/', 'src/server/', 'src/sync/', 'src/cli/', 'src/sim/', 'src/site.js', 'uWebSockets.js', 'mqtt', 'ws', 'ajv', 'ajv-draft-04', 'ajv-formats'],
    why: 'the domain knows no transport: no socket, no broker, no validator',
  },
  { layer: 'src/ocpp/', mustNotImport: ['src/server/', 'src/sync/', 'src/cli/', 'uWebSockets.js'], why: 'ocpp sits under the server' },
  { layer: 'src/ocpp/', mustNotImport: dbHandles, why: 'ocpp asks domain services, it does not query tables' },
  { layer: 'src/server/', mustNotImport: dbHandles, why: 'routes ask domain services, they do not query tables' },
  { layer: 'src/sync/', mustNotImport: ['src/server/', 'src/ocpp/', 'src/cli/'], why: 'sync reads the outbox the domain writes' },
  { layer: 'src/', mustNotImport: ['test/'], why: 'production code never imports test code' },
  { layer: 'web/', mustNotImport: ['src/', 'test/'], why: 'the admin page talks to the server over HTTP only (its JSDoc types may name server types)' },
];

// Imports that break a rule and are being moved (none today). Each entry must still be needed: the test
// fails on one that no longer matches, so the list can only shrink.
const knownViolations: Array<{ file: string; target: string }> = [];

function violations(imports: Import[]) {
  return imports.flatMap((imp) => rules
    .filter((r) => imp.file.startsWith(r.layer) && !imp.target.startsWith(r.layer) && r.mustNotImport.some((t) => t.endsWith('/') ? imp.target.startsWith(t) : imp.target === t))
    .map((r) => ({ ...imp, why: r.why })));
}

test('no import runs from a lower layer up', () => {
  // The page's own unit tests may check its output with server code (the OCPP validator); the page may not.
  const pageFiles = sourceFiles(path.join(repoDir, 'web', 'src')).filter((f) => !/\.test\.\w+$/.test(f));
  const files = [...sourceFiles(srcDir), ...pageFiles];
  const imports = files.flatMap((f) => importsOf(f, fs.readFileSync(f, 'utf8')));
  assert.ok(imports.length > 300, `only ${imports.length} imports found: the scan is broken`);
  const found = violations(imports);
  const known = (v: { file: string; target: string }) => knownViolations.some((k) => k.file === v.file && k.target === v.target);
  assert.deepEqual(found.filter((v) => !known(v)), [], 'imports that break the layering');
  const stale = knownViolations.filter((k) => !found.some((v) => v.file === k.file && v.target === k.target));
  assert.deepEqual(stale, [], 'known violations that are gone: remove them from the list');
});

test('the checker sees each kind of import and each rule bites', () => {
  const file = path.join(srcDir, 'domain', 'x.ts');
  const text = [
    "import type { A } from '../ocpp/types.js';",
    "import { b,\n  c } from 'ajv';",
    "export { d } from '../server/http.js';",
    "const e = await import('../../test/support/testSite.js');",
    "import '../sync/index.js';",
    "import { f } from './events.js';",
    "/** @typedef {import('../server/http.js').ApiReply} Reply */ // import('../sync/index.js')",
  ].join('\n');
  assert.deepEqual(violations(importsOf(path.join(srcDir, 'protocol', 'ocpp16', 'index.ts'), "export * from './messages.js';\nimport '../../db/schema.js';"))
    .map((v) => v.target), ['src/db/schema.js'], 'a layer imports itself, not the layers beside it');
  assert.deepEqual(violations(importsOf(path.join(repoDir, 'web', 'src', 'pages', 'x.js'), "import { api } from '../api.js';\nimport { Chargers } from '../../../src/domain/chargers.js';"))
    .map((v) => v.target), ['src/domain/chargers.js'], 'the page imports server code');
  const imports = importsOf(file, text);
  assert.deepEqual(imports.map((i) => i.target), ['src/ocpp/types.js', 'ajv', 'src/server/http.js', 'test/support/testSite.js', 'src/sync/index.js', 'src/domain/events.js']);
  assert.deepEqual(violations(imports).map((v) => v.target), ['src/ocpp/types.js', 'ajv', 'src/server/http.js', 'test/support/testSite.js', 'src/sync/index.js']);
});
