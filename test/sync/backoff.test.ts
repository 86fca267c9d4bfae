// Reconnect backoff against a port where no broker listens: each retry waits about twice as long as the
// one before (with +-20 % jitter), up to mqtt.reconnectMaxMs. Read from the status the operator sees
// (nextRetryAt), bounded on both sides so no timing slack is needed:
//   lower: nextRetryAt - lastError.at >= delay (the error is recorded before the retry is planned);
//   upper: nextRetryAt - (when this test first saw the retry planned) <= delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { freePort } from '../support/mqttBroker.js';
import { mqttOverrides } from '../support/syncTestKit.js';

test('sync: retries against an absent broker back off exponentially up to reconnectMaxMs', async () => {
  const period = 100;
  const max = 800;
  const port = await freePort(); // nothing listens there: every attempt is refused at once
  await using site = await startTestSite(mqttOverrides(`mqtt://127.0.0.1:${port}`, 'site-r', { 'mqtt.reconnectPeriodMs': period, 'mqtt.reconnectMaxMs': max }));

  // The site runs in this process: a 2 ms poll always runs before a retry timer of >= 80 ms fires,
  // so no planned retry is missed.
  const retries: Array<{ lower: number; upper: number; error: string }> = [];
  let last: string | null = null;
  const deadline = Date.now() + 30_000;
  while (retries.length < 7) {
    assert.ok(Date.now() < deadline, `timed out: ${retries.length} retries seen`);
    const s = site.sync.status();
    if (s.state === 'disconnected' && s.nextRetryAt && s.nextRetryAt !== last) {
      last = s.nextRetryAt;
      const retryAt = Date.parse(s.nextRetryAt);
      retries.push({ lower: retryAt - Date.parse(s.lastError!.at), upper: retryAt - Date.now(), error: s.lastError!.message });
    }
    await new Promise((r) => setTimeout(r, 2));
  }

  const ms = 2; // ISO timestamps are whole milliseconds
  retries.forEach((r, i) => {
    const base = Math.min(max, period * 2 ** i);
    assert.ok(r.lower >= 0.8 * base - ms, `retry ${i + 1}: waited at least ${r.lower} ms, expected >= ${0.8 * base} (base ${base})`);
    assert.ok(r.upper <= 1.2 * base + ms, `retry ${i + 1}: waited at most ${r.upper} ms, expected <= ${1.2 * base} (base ${base})`);
    assert.match(r.error, /unreachable/);
  });
});
