// A table's columns under their field names, for plain better-sqlite3 statements on hot paths: Drizzle's
// prepared get/all spend 10-20 µs a call filling placeholders and mapping rows, the statement itself a few.
// Only for columns Drizzle would not convert (no JSON or timestamp modes): checked when built. Boolean columns
// come back as 0/1 from SQLite: plainRows() turns them into booleans, as Drizzle would.
import { getTableColumns, type Table } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';

const PLAIN = new Set(['SQLiteInteger', 'SQLiteText', 'SQLiteReal']);

export function plainColumns(table: Table, allow: ReadonlySet<string> = PLAIN): string {
  return Object.entries(getTableColumns(table)).map(([key, column]) => {
    if (!allow.has(column.columnType)) throw new Error(`${column.name} is ${column.columnType}: Drizzle maps it, a plain statement would not`);
    return `"${column.name}" AS "${key}"`;
  }).join(', ');
}

/** What a plain statement with named parameters gives back, typed. */
export interface PlainGet<T> { get(params?: Record<string, unknown>): T | undefined }
export interface PlainAll<T> { all(params?: Record<string, unknown>): T[] }

/** A table's columns (booleans too) and a get() whose rows have real booleans. */
export function plainRows<T>(table: Table) {
  const booleans = Object.entries(getTableColumns(table)).filter(([, c]) => c.columnType === 'SQLiteBoolean').map(([key]) => key);
  const toRow = (r: Record<string, unknown> | undefined): T | undefined => {
    if (r) for (const k of booleans) if (r[k] !== null) r[k] = r[k] === 1;
    return r as T | undefined;
  };
  return {
    columns: plainColumns(table, new Set([...PLAIN, 'SQLiteBoolean'])),
    get: (statement: Statement): PlainGet<T> => ({ get: (params) => toRow((params ? statement.get(params) : statement.get()) as Record<string, unknown> | undefined) }),
  };
}
