-- idTags are OCPP CiString20 (case-insensitive): one tag per lower(id_tag). A database that already holds
-- tags differing only in case fails here (UNIQUE constraint failed), the whole migration rolls back and
-- openDatabase (src/db/migrationErrors.ts) names the clashing tags: the operator deletes or renames one of
-- each pair, since only they know which card is real (merging could hand one driver's wallet to another).
DROP INDEX `id_tag_id_tag_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `id_tag_lower_unique` ON `id_tag` (lower("id_tag"));--> statement-breakpoint
DROP INDEX `transaction_id_tag`;--> statement-breakpoint
CREATE INDEX `transaction_id_tag_lower` ON `transaction` (lower("id_tag"),`status`);