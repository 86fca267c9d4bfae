// The statements authorization runs for every Authorize, StartTransaction and StopTransaction, prepared once.
// idTags compare case-folded, `lower(col) = lower(?)`, the form the lower(id_tag) indexes serve (idTagCase.ts).
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { idTags, transactions, users } from '../schema.js';

const p = sql.placeholder;

export type IdTagStatements = ReturnType<typeof idTagStatements>;

export function idTagStatements(db: Db) {
  const tagIs = (column: typeof idTags.idTag | typeof transactions.idTag) => sql`lower(${column}) = lower(${p('idTag')})`;
  const runningWithTag = and(tagIs(transactions.idTag), eq(transactions.status, 'RUNNING'));
  const runningId = () => db.select({ id: transactions.id }).from(transactions); // a builder is mutable: one per statement
  return {
    find: db.select().from(idTags).where(tagIs(idTags.idTag)).limit(1).prepare(),
    userStatus: db.select({ status: users.status }).from(users).where(eq(users.id, p('userId'))).prepare(),
    runningOnOtherCharger: runningId().where(and(runningWithTag, ne(transactions.chargerId, p('chargerId')))).limit(1).prepare(),
    runningOnOtherConnector: runningId().where(and(runningWithTag,
      or(ne(transactions.chargerId, p('chargerId')), ne(transactions.connectorId, p('connectorId'))))).limit(1).prepare(),
    runningOnCharger: runningId().where(and(runningWithTag, eq(transactions.chargerId, p('chargerId')))).limit(1).prepare(),
    /** A session on the charger by the group tag (parent) itself or by any tag of its group. */
    groupRunningOnCharger: runningId().where(and(eq(transactions.status, 'RUNNING'), eq(transactions.chargerId, p('chargerId')),
      sql`(lower(${transactions.idTag}) = lower(${p('parent')})
        OR lower(${transactions.idTag}) IN (SELECT lower(id_tag) FROM id_tag WHERE lower(parent_id_tag) = lower(${p('parent')})))`)).limit(1).prepare(),
  };
}
