-- The log's per-charger index dirtied one B-tree leaf per charger per batch; log_charger_span (schema.ts)
-- records instead which 65,536-id ranges of the log hold each charger's frames. WITHOUT ROWID by hand:
-- Drizzle cannot declare it.
CREATE TABLE `log_charger_span` (
	`charge_point_id` text NOT NULL,
	`bucket` integer NOT NULL,
	PRIMARY KEY(`charge_point_id`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `log_charger_span` (`charge_point_id`, `bucket`) SELECT DISTINCT `charge_point_id`, `id` >> 16 FROM `log`;--> statement-breakpoint
DROP INDEX `log_charger`;
