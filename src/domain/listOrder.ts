// The order of an admin list (?sort= on the list routes): one whitelisted key per list, ascending or
// descending, empty values last either way, and the row id as the tie-break so offset paging never
// shows a row twice or skips one when many rows share a value.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

export interface ListOrder<K extends string> { key: K; desc: boolean }

/**
 * ORDER BY parts for `column` in the direction, nulls last, then `id` in the same direction. By the id
 * itself it is that alone: SQLite then walks the rowid (the sessions list's default, newest first, reads
 * 200 rows); any expression in front of it would make it sort the whole table first.
 */
export function orderBy(column: SQLWrapper, id: SQLWrapper, desc: boolean): SQL[] {
  const dir = desc ? sql`desc` : sql`asc`;
  if (column === id) return [sql`${id} ${dir}`];
  return [sql`${column} is null`, sql`${column} ${dir}`, sql`${id} ${dir}`];
}
