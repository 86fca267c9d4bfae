// The committed config validator is what schemas/config.schema.json says: a schema edited without
// `npm run generate:config` fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { generate, outputFile, schemaFile } from './generate-config-validator.js';

test('src/config.validate.generated.ts is up to date with schemas/config.schema.json', () => {
  assert.ok(generate() === fs.readFileSync(outputFile, 'utf8'), 'stale: run `npm run generate:config` and commit the result');
});

test('a changed schema changes the generated validator', () => {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  schema.properties.siteId.maxLength = 65;
  const out = generate(schema);
  assert.notEqual(out, fs.readFileSync(outputFile, 'utf8'));
  assert.match(out, /> 65/);
});
