// pino JSON logs; secrets are redacted wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { app: 'ocpp-edge' },
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'token', '*.token', 'passwordHash', '*.passwordHash', 'headers.cookie'],
      censor: '[redacted]',
    },
  }, destination);
}
