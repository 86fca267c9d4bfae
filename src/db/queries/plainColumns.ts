// A table's columns under their field names, for plain better-sqlite3 statements on hot paths: Drizzle's
// prepared get/all spend 10-20 µs a call filling placeholders and mapping rows, the statement itself a few.
// Only for columns Drizzle would not convert (no boolean, JSON or timestamp modes): checked when built.
import { getTableColumns, type Table } from 'drizzle-orm';

const PLAIN = new Set(['SQLiteInteger', 'SQLiteText', 'SQLiteReal']);

export function plainColumns(table: Table): string {
  return Object.entries(getTableColumns(table)).map(([key, column]) => {
    if (!PLAIN.has(column.columnType)) throw new Error(`${column.name} is ${column.columnType}: Drizzle maps it, a plain statement would not`);
    return `"${column.name}" AS "${key}"`;
  }).join(', ');
}

/** What a plain statement with named parameters gives back, typed. */
export interface PlainGet<T> { get(params: Record<string, unknown>): T | undefined }
export interface PlainAll<T> { all(params: Record<string, unknown>): T[] }
