// The JSON router under hostile paths: nothing a client sends may end the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../testing/testSite.js';

test('a path with broken percent-encoding gets a 400 and the server keeps serving', async () => {
  await using site = await startTestSite();
  for (const path of ['/api/admin/chargers/%E0%A4%A', '/api/admin/users/%', '/api/admin/chargers/CP%ZZ']) {
    const res = await fetch(`${site.baseUrl}${path}`); // no login: it must not matter
    assert.equal(res.status, 400, path);
    const body = await res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'malformed_path');
    assert.match(body.error.message, /invalid percent-encoding/);
  }
  const health = await fetch(`${site.baseUrl}/api/health`);
  assert.equal(health.status, 200, 'still up');
  site.addIdTag('ÄÖ TAG');
  const encoded = await site.api(`/api/admin/id-tags/${encodeURIComponent('ÄÖ TAG')}`);
  assert.equal(encoded.status, 200, 'well-formed encoding still decodes');
});
