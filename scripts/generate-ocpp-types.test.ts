// The committed OCPP types are what the schemas say: a schema edited without `npm run generate:ocpp` fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, outputFile, schemaDir } from './generate-ocpp-types.js';

test('src/protocol/ocpp16/messages.ts is up to date with schemas/ocpp16', () => {
  assert.ok(generate(schemaDir) === fs.readFileSync(outputFile, 'utf8'), 'stale: run `npm run generate:ocpp` and commit the result');
});

test('a changed schema changes the output, and a shape shared by two messages gets one name', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-schemas-'));
  try {
    for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) fs.copyFileSync(path.join(schemaDir, f), path.join(dir, f));
    const authorize = JSON.parse(fs.readFileSync(path.join(dir, 'Authorize.json'), 'utf8'));
    authorize.properties.idTag.maxLength = 25;
    fs.writeFileSync(path.join(dir, 'Authorize.json'), JSON.stringify(authorize));
    const out = generate(dir);
    assert.match(out, /export interface AuthorizeRequest \{\n {2}\/\*\* at most 25 characters \*\/ idTag: string;\n\}/);
    // IdTagInfo is in Authorize, StartTransaction, StopTransaction and SendLocalList (whose schema misplaces two fields).
    assert.equal(out.match(/: IdTagInfo;/g)?.length, 4);
    assert.doesNotMatch(out, /\w+IdTagInfo\b/);
    assert.match(out, /^ {2}StartTransaction: \{ request: StartTransactionRequest; response: StartTransactionResponse \};$/m);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
