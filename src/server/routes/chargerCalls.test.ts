// The request-body schemas compile on first use and skip Ajv's meta-schema check at run time, so a
// broken schema would only show at its first request: here every declared one is checked and compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import './index.js'; // loads every route module, which declares its body schemas
import { bodySchema, compileBodySchema, declaredBodySchemas } from './chargerCalls.js';
import { HttpError } from '../http.js';

test('every declared request-body schema is a valid JSON schema and compiles', () => {
  const schemas = declaredBodySchemas();
  assert.ok(schemas.length >= 30, `route modules declared ${schemas.length} body schemas`);
  const meta = new Ajv({ strict: false });
  for (const schema of schemas) {
    assert.equal(meta.validateSchema(schema), true, `${JSON.stringify(schema).slice(0, 120)}: ${meta.errorsText()}`);
    assert.equal(typeof compileBodySchema(schema), 'function');
  }
});

test('a body checker compiles its schema at the first request and then answers like before', () => {
  const check = bodySchema<{ n: number }>({ type: 'object', required: ['n'], properties: { n: { type: 'integer' } } });
  assert.deepEqual(check({ n: 3 }), { n: 3 });
  assert.throws(() => check({ n: 'x' }), (err: unknown) => err instanceof HttpError && err.status === 400);
  const broken = bodySchema({ type: 'no-such-type' });
  assert.throws(() => broken({}), /type/, 'an invalid schema fails at its first use');
  assert.equal(new Ajv({ strict: false }).validateSchema({ type: 'no-such-type' }), false, 'and the meta-schema check above catches it');
});
