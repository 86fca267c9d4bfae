-- meter_value's index by session dirtied one B-tree leaf per session per commit; meter_value_span (schema.ts)
-- records instead the id range each session's readings lie in. Filled from the index before it goes.
CREATE TABLE `meter_value_span` (
	`transaction_id` integer PRIMARY KEY NOT NULL,
	`first_id` integer NOT NULL,
	`last_id` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `meter_value_span` (`transaction_id`, `first_id`, `last_id`)
	SELECT `transaction_id`, min(`id`), max(`id`) FROM `meter_value` WHERE `transaction_id` IS NOT NULL GROUP BY `transaction_id`;--> statement-breakpoint
DROP INDEX `meter_value_tx`;--> statement-breakpoint
CREATE INDEX `meter_value_time` ON `meter_value` (`timestamp`,`charger_id`);
