// The real server, started as systemd would (NOTIFY_SOCKET + WATCHDOG_USEC), tells the socket READY=1,
// keeps sending WATCHDOG=1 and says STOPPING=1 on SIGTERM. The socket is a unix datagram socket
// bound by a small python3 receiver (node cannot bind one), standing in for systemd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/serverProcess.js';

const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    msg = s.recv(4096).decode()
    print(msg.replace("\\n", " "), flush=True)
`;

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

test('the server notifies READY, WATCHDOG and STOPPING over NOTIFY_SOCKET', async (t) => {
  if (!has('python3') || !has('systemd-notify')) {
    if (process.env.CI === 'true') assert.fail('python3 and systemd-notify are needed in CI');
    t.skip('needs python3 and systemd-notify');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-notify-'));
  const socketPath = path.join(dir, 'notify.sock');
  const receiver = spawn('python3', ['-c', RECEIVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => { receiver.kill(); fs.rmSync(dir, { recursive: true, force: true }); });
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  receiver.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    messages.push(...chunk.split('\n').filter(Boolean));
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 15_000;
    while (!messages.some((m) => pattern.test(m))) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} on the notify socket; got ${JSON.stringify(messages)}`);
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
    }
  };
  await waitFor(/^bound$/);

  const server = await spawnServer({
    dataDir: path.join(dir, 'data'),
    env: { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' },
  });
  await waitFor(/READY=1/);
  await waitFor(/WATCHDOG=1/);
  const readyAt = messages.findIndex((m) => /READY=1/.test(m));
  const firstWatchdog = messages.findIndex((m) => /WATCHDOG=1/.test(m));
  assert.ok(readyAt < firstWatchdog, 'READY=1 comes before the first watchdog ping');
  assert.match(messages[readyAt]!, /STATUS=serving on port \d+/);

  const exit = await server.stop('SIGTERM');
  await waitFor(/STOPPING=1/);
  assert.equal(exit.code, 0);
});
