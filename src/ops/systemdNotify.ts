// Tells systemd (Type=notify) that we are ready, still alive (WatchdogSec) and stopping.
// The notify socket is a unix *datagram* socket, which node:dgram cannot open and node:net does
// not speak, so we run the `systemd-notify` tool (package systemd, always present where systemd
// is). The message then comes from a child process, hence NotifyAccess=all in the unit; since
// systemd 246 systemd-notify waits on a barrier until the manager has read the message, so the
// child exiting early does not lose it. No native addon, nothing when NOTIFY_SOCKET is unset.
import { execFile } from 'node:child_process';
import type { Logger } from '../log.js';

export interface ServiceNotifier {
  /** READY=1 once the server listens. */
  ready(status?: string): Promise<void>;
  /** STOPPING=1 at the start of a graceful shutdown. */
  stopping(): Promise<void>;
  /** Stops the watchdog timer. */
  close(): void;
  readonly enabled: boolean;
  /** Every message handed to systemd-notify, for tests and diagnostics. */
  readonly sent: string[][];
}

export interface NotifierOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Watchdog pings are skipped while this says no, so systemd restarts a wedged process. */
  isHealthy?: () => boolean;
  command?: string;
}

export function startSystemdNotifier(opts: NotifierOptions = {}): ServiceNotifier {
  const env = opts.env ?? process.env;
  const sent: string[][] = [];
  if (!env.NOTIFY_SOCKET) {
    return { enabled: false, sent, ready: async () => {}, stopping: async () => {}, close: () => {} };
  }
  const command = opts.command ?? 'systemd-notify';
  let chain = Promise.resolve();
  let warned = false;

  // Sends one message after the previous one, so READY=1 always precedes the first WATCHDOG=1.
  const send = (...assignments: string[]): Promise<void> => {
    chain = chain.then(() => new Promise<void>((resolve) => {
      sent.push(assignments);
      execFile(command, assignments, { env, timeout: 10_000 }, (err, _stdout, stderr) => {
        if (err && !warned) {
          warned = true;
          opts.logger?.error({ err: err.message, stderr: String(stderr).trim(), assignments }, 'cannot notify systemd (is systemd-notify installed?)');
        }
        resolve();
      });
    }));
    return chain;
  };

  let timer: NodeJS.Timeout | undefined;
  const watchdogUsec = Number(env.WATCHDOG_USEC);
  const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
  if (Number.isFinite(watchdogUsec) && watchdogUsec > 0 && forUs) {
    // Ping at half the deadline: one slow spawn must not cost us a restart.
    const everyMs = Math.max(100, Math.floor(watchdogUsec / 2000));
    timer = setInterval(() => {
      if (opts.isHealthy && !opts.isHealthy()) {
        opts.logger?.warn('unhealthy: withholding the systemd watchdog ping');
        return;
      }
      void send('WATCHDOG=1');
    }, everyMs);
    timer.unref();
  }

  return {
    enabled: true,
    sent,
    ready: (status = 'serving') => send('READY=1', `STATUS=${status}`),
    stopping: () => { if (timer) clearInterval(timer); return send('STOPPING=1', 'STATUS=stopping'); },
    close: () => { if (timer) clearInterval(timer); },
  };
}
