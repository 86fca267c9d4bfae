// One row of the setting table (key → JSON value) read and written through plain statements prepared once:
// for values the domain keeps beside a hot table (retention's id marks, the meter spans' mark).
import type { Sqlite } from './index.js';

export interface SettingRow<T> {
  /** The stored value, or undefined when the key has none. */
  load(): T | undefined;
  /** Stores the value (inside the caller's transaction, if any). */
  save(value: T): void;
}

export function settingRow<T>(sqlite: Sqlite, key: string): SettingRow<T> {
  const loadStmt = sqlite.prepare('SELECT value FROM setting WHERE key = ?').pluck();
  const saveStmt = sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    load: () => { const text = loadStmt.get(key) as string | undefined; return text === undefined ? undefined : JSON.parse(text) as T; },
    save: (value) => { saveStmt.run(key, JSON.stringify(value)); },
  };
}
