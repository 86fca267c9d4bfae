// A migration that fails on existing data rolls back as a whole (drizzle runs the pending migrations in
// one transaction), so the database is left as it was; this turns SQLite's terse reason into what the
// operator must do. Only failures we can explain are rewritten; anything else is rethrown unchanged.
import type { Sqlite } from './index.js';
import { StartupError } from '../startupError.js';

/** The error to show for a failed migrate(): an explained one when we know the cause. */
export function explainMigrationError(sqlite: Sqlite, file: string, err: unknown): unknown {
  // drizzle wraps SQLite's error ("Failed to run the query ..."): read the whole chain of causes.
  let message = '';
  for (let e: unknown = err; e instanceof Error; e = e.cause) message += `${e.message}\n`;
  // 0003_idtag_nocase: idTags became case-insensitive, and two registered tags differ only in case.
  if (message.includes('id_tag_lower_unique') || /UNIQUE constraint failed: .*id_tag/.test(message)) {
    const clashes = caseDuplicateIdTags(sqlite);
    if (clashes.length > 0) {
      const list = clashes.map((group) => group.join(' / ')).join(', ');
      return new StartupError(
        `cannot upgrade ${file}: idTags are now case-insensitive (OCPP 1.6 CiString20), and these registered tags ` +
        `differ only in case: ${list}. Chargers see each pair as one card. Keep one of each (delete the other, ` +
        `e.g. sqlite3 ${file} "DELETE FROM id_tag WHERE id_tag = '<spelling to drop>'") and start again; ` +
        'nothing was changed.', { cause: err });
    }
  }
  return err;
}

/** Groups of registered idTags equal but for case (ASCII, as SQLite's lower() folds), each sorted. */
export function caseDuplicateIdTags(sqlite: Sqlite): string[][] {
  const rows = sqlite.prepare(`SELECT id_tag AS tag, lower(id_tag) AS folded FROM id_tag
    WHERE lower(id_tag) IN (SELECT lower(id_tag) FROM id_tag GROUP BY lower(id_tag) HAVING count(*) > 1)
    ORDER BY folded, tag`).all() as Array<{ tag: string; folded: string }>;
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(r.folded, [...(groups.get(r.folded) ?? []), r.tag]);
  return [...groups.values()];
}
