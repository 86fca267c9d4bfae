// The statements authorization runs for every Authorize, StartTransaction and StopTransaction, prepared once,
// as plain better-sqlite3 statements (named parameters, columns aliased to the row's field names): through
// Drizzle's prepared .get() a tag lookup cost ~25 µs (placeholder filling and row mapping), the statement 6.
// idTags compare case-folded, `lower(col) = lower(?)`, the form the lower(id_tag) indexes serve (idTagCase.ts).
import type { Sqlite } from '../index.js';
import { idTags } from '../schema.js';
import { plainColumns, type PlainGet } from './plainColumns.js';

export type IdTagStatements = ReturnType<typeof idTagStatements>;
type IdTagRow = typeof idTags.$inferSelect;
const ID_TAG_COLUMNS = plainColumns(idTags);

export function idTagStatements(sqlite: Sqlite) {
  const running = `SELECT id FROM "transaction" WHERE lower(id_tag) = lower(@idTag) AND status = 'RUNNING'`;
  return {
    find: sqlite.prepare(`SELECT ${ID_TAG_COLUMNS} FROM id_tag WHERE lower(id_tag) = lower(@idTag) LIMIT 1`) as PlainGet<IdTagRow>,
    userStatus: sqlite.prepare('SELECT status FROM "user" WHERE id = @userId') as PlainGet<{ status: string }>,
    runningOnOtherCharger: sqlite.prepare(`${running} AND charger_id <> @chargerId LIMIT 1`) as PlainGet<{ id: number }>,
    runningOnOtherConnector: sqlite.prepare(`${running} AND (charger_id <> @chargerId OR connector_id <> @connectorId) LIMIT 1`) as PlainGet<{ id: number }>,
    runningOnCharger: sqlite.prepare(`${running} AND charger_id = @chargerId LIMIT 1`) as PlainGet<{ id: number }>,
    /** A session on the charger by the group tag (parent) itself or by any tag of its group. */
    groupRunningOnCharger: sqlite.prepare(`SELECT id FROM "transaction" WHERE status = 'RUNNING' AND charger_id = @chargerId
      AND (lower(id_tag) = lower(@parent) OR lower(id_tag) IN (SELECT lower(id_tag) FROM id_tag WHERE lower(parent_id_tag) = lower(@parent)))
      LIMIT 1`) as PlainGet<{ id: number }>,
  };
}
