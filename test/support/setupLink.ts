// The first-run setup link a server process logged (src/server/firstRun.ts), for setup tests.
import assert from 'node:assert/strict';
import type { ServerProcess } from './serverProcess.js';

export async function setupTokenOf(server: ServerProcess): Promise<{ link: string; token: string }> {
  const line = JSON.parse(await server.waitForLog(/"setupLink"/)) as { setupLink: string };
  const token = /#\/setup\?token=([\w-]+)$/.exec(line.setupLink)?.[1];
  assert.ok(token, `a token in ${line.setupLink}`);
  return { link: line.setupLink, token };
}
