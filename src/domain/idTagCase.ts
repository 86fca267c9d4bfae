// OCPP 1.6 IdToken is CiString20: "ABC123" and "abc123" are the same card. Every comparison of idTags
// goes through here so the database and JavaScript agree on what "the same" means.
// SQLite's built-in lower() folds ASCII letters only, and the indexes are on lower(id_tag)
// (id_tag_lower_unique, transaction_id_tag_lower): JS folds exactly the same way (String#toLowerCase
// would also fold 'É', disagreeing with the unique index). Rows keep the spelling they were given.
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** The case-folded form of an idTag, as SQLite's lower() computes it. */
export function foldIdTag(idTag: string): string {
  return idTag.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function sameIdTag(a: string, b: string): boolean {
  return foldIdTag(a) === foldIdTag(b);
}

/** `lower(col) = lower(?)`: the form the lower(id_tag) indexes serve (a plain `=` would not use them). */
export function idTagIs(column: SQLiteColumn, idTag: string): SQL {
  return sql`lower(${column}) = lower(${idTag})`;
}
