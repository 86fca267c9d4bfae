// Secrets never reach the message log: a ChangeConfiguration that sets a secret key (the charger's
// AuthorizationKey, i.e. its Basic-auth password) is stored with the value masked. Applied before the
// row is written; the log API applies it again to rows written before this existed.
import { SECRET_CONFIGURATION_KEYS } from './chargerSettings.js';

export const MASK = '********';

/** The payload as it may be stored: unchanged unless it carries a secret configuration value. */
export function redactLogPayload(action: string | null | undefined, payload: unknown): unknown {
  if (action !== 'ChangeConfiguration' || !payload || typeof payload !== 'object') return payload;
  const p = payload as { key?: unknown; value?: unknown };
  if (typeof p.key !== 'string' || !SECRET_CONFIGURATION_KEYS.has(p.key) || !('value' in p)) return payload;
  return { ...p, value: MASK };
}
