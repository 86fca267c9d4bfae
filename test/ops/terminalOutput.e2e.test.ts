// First run in a terminal (issue 16): on a TTY the server prints readable lines and the setup link as a
// framed block that stands out; under systemd or a pipe the same start is pino JSON, one object a line,
// with the link as a field. The TTY is a real pseudo-terminal (util-linux `script`), not a flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/waitFor.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const noScript = spawnSync('script', ['--version']).status === 0 ? undefined : 'util-linux script not installed';

/**
 * Starts the server from source on a fresh data dir, on a pseudo-terminal or a pipe, until `ready` shows
 * in its output (and, on a terminal, a framed block); returns the output.
 */
async function firstStart(tty: boolean, t: { after(fn: () => void): void }, args = ['src/main.ts'], ready = /setup\?token=[\w-]+/): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-tty-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, OCPP_EDGE_CONFIG: undefined, NOTIFY_SOCKET: undefined, LOG_FORMAT: undefined, OCPP_EDGE_DATA_DIR: dataDir,
    OCPP_EDGE_HTTP_PORT: '0', OCPP_EDGE_HTTP_HOST: '127.0.0.1', OCPP_EDGE_LOG_LEVEL: 'info', TERM: 'xterm-256color', FORCE_COLOR: undefined, NO_COLOR: undefined,
    // A person's terminal: with CI set (as CI runs these tests) Node reports a terminal without colours.
    CI: undefined };
  const node = [process.execPath, '--import', 'tsx', ...args];
  const child = tty
    ? spawn('script', ['-qfec', node.map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: root, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitFor(String(ready), () => ready.test(out) && (!tty || /={20,}[\s\S]*={20,}/.test(out)), 30_000);
    await new Promise((r) => setTimeout(r, 300)); // the rest of the block
  } finally {
    // On the terminal as a person stops it: Ctrl+C typed into the pty. Otherwise (or if that is not enough) SIGTERM.
    if (tty) child.stdin!.write('\x03');
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), tty ? 10_000 : 0))]);
    if (!stopped) { try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ } await exited; }
  }
  return out.replace(/\r/g, '');
}

test('npm start on a terminal: readable lines and a framed, bold setup link; on a pipe: JSON lines with the link', { skip: noScript, timeout: 90_000 }, async (t) => {
  const onTty = await firstStart(true, t);
  const lines = onTty.split('\n').filter(Boolean);
  assert.ok(!lines.some((l) => l.startsWith('{"level"')), `no JSON on a terminal:\n${onTty}`);
  assert.ok(lines.some((l) => /^\d{2}:\d{2}:\d{2} \S*INFO\S* +\S* ?ocpp-edge listening +port=\d+/.test(l.replace(/\x1b\[[\d;]*m/g, ''))), `a readable "listening" line:\n${onTty}`);
  const block = /(={20,})\n {2}FIRST RUN: open this link[^\n]*\n\n {2}(.*)\n\n\1/.exec(onTty);
  assert.ok(block, `the link in a framed block:\n${onTty}`);
  assert.match(block[2]!, /^\x1b\[1;33mhttp:\/\/[^ ]+\/#\/setup\?token=[\w-]+\x1b\[0m$/, 'the link alone on its line, in bold');

  const onPipe = await firstStart(false, t);
  const json = onPipe.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; setupLink?: string });
  assert.ok(json.some((j) => j.msg === 'ocpp-edge listening'), onPipe);
  assert.match(json.find((j) => j.setupLink)?.setupLink ?? '', /\/#\/setup\?token=[\w-]+$/, 'the link as a field for journalctl');
  assert.doesNotMatch(onPipe, /FIRST RUN|\x1b\[/, 'no frame and no colours in the journal');
});

test('npm run demo on a terminal: the login stands out, framed, with the address in bold', { skip: noScript, timeout: 90_000 }, async (t) => {
  const onTty = await firstStart(true, t, ['src/cli/index.ts', 'serve', '--demo'], /with password \S+/);
  const block = /(={20,})\n {2}ocpp-edge DEMO:[^\n]*\n {2}Open \x1b\[1;33m(http:\/\/\S+)\x1b\[0m and log in as "demo" with password (\S+)\n[\s\S]*?\n\1/.exec(onTty);
  assert.ok(block, `the demo login in a framed block:\n${onTty}`);
  assert.ok(!onTty.split('\n').some((l) => l.startsWith('{"level"')), 'no JSON on a terminal');
  // Ctrl+C on the terminal stops it and its throwaway data goes with it.
  const dir = /throwaway data in (\S+) \(deleted on exit/.exec(onTty)![1]!;
  assert.equal(fs.existsSync(dir), false, `${dir} is deleted after Ctrl+C`);
});
