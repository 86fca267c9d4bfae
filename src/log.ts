// pino JSON logs (readable lines on a terminal: logHuman.ts); secrets are redacted wherever they appear in a logged object.
import { pino, type Logger } from 'pino';
import { humanDestination, wantsHumanLogs } from './logHuman.js';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { app: 'ocpp-edge' },
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'token', '*.token', 'passwordHash', '*.passwordHash', 'headers.cookie'],
      censor: '[redacted]',
    },
  }, destination ?? (wantsHumanLogs(process.stdout) ? humanDestination(process.stdout) : undefined));
}
