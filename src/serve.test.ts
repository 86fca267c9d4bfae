// A start that fails for a reason the operator can fix says what to do in one line, without a stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('a missing TLS file stops the start with a one-line reason (no stack trace) and exit code 1', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-serve-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root, encoding: 'utf8', timeout: 60_000,
      env: {
        ...process.env, OCPP_EDGE_CONFIG: '', OCPP_EDGE_DATA_DIR: dataDir, OCPP_EDGE_HTTP_PORT: '0', OCPP_EDGE_LOG_LEVEL: 'silent',
        OCPP_EDGE_HTTP_TLS_ENABLED: 'true', OCPP_EDGE_HTTP_TLS_PORT: '0',
        OCPP_EDGE_HTTP_TLS_CERT_FILE: path.join(dataDir, 'missing-cert.pem'), OCPP_EDGE_HTTP_TLS_KEY_FILE: path.join(dataDir, 'missing-key.pem'),
      },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^ocpp-edge failed to start: TLS file not found: .*missing-cert\.pem \(http\.tls\.certFile\)$/m);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace for an error the operator can fix');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
