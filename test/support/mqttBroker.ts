// Real MQTT brokers for tests on 127.0.0.1 and a free port: aedes in process (runs anywhere) and
// Mosquitto from apt as a child process with a config file of the test's own (not the system service).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Aedes, type AuthenticateError } from 'aedes';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface BrokerOptions {
  /** When given, only these user names / passwords may connect (aedes reads it on every CONNECT, so a test may change it). */
  users?: Record<string, string>;
}

export interface TestBroker {
  kind: 'aedes' | 'mosquitto';
  port: number;
  url: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export type BrokerFactory = (opts?: BrokerOptions) => Promise<TestBroker>;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const startAedesBroker: BrokerFactory = async (opts = {}) => {
  const broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      if (!opts.users) return done(null, true);
      if (username !== undefined && opts.users[username] === password?.toString()) return done(null, true);
      const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 }) as AuthenticateError;
      done(err, null);
    },
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { kind: 'aedes', port, url: `mqtt://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
};

export const mosquittoAvailable = () => fs.existsSync(MOSQUITTO);

export const startMosquittoBroker: BrokerFactory = async (opts = {}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mosquitto-'));
  const port = await freePort();
  const lines = [
    // Started as root, mosquitto would switch to the "mosquitto" user and fail to read our temp files.
    `user ${os.userInfo().username}`,
    `listener ${port} 127.0.0.1`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
  ];
  if (opts.users) {
    const pwFile = path.join(dir, 'passwords');
    fs.writeFileSync(pwFile, '');
    for (const [user, password] of Object.entries(opts.users)) {
      const r = spawnSync('mosquitto_passwd', ['-b', pwFile, user, password], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr || r.error?.message}`);
    }
    lines.push('allow_anonymous false', `password_file ${pwFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, lines.join('\n') + '\n');
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when the port accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}): ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`mosquitto did not listen on ${port}: ${stderr}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { kind: 'mosquitto', port, url: `mqtt://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
};
