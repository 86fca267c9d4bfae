-- meter_value_time (every reading by the charger's clock) cost ~2 index leaves per commit to find retries.
-- A session's retry is now looked for in its own span, only when not newer than newest_at (filled here from
-- the rows); only readings no session took keep an index by time (for a retry or a later claim).
DROP INDEX `meter_value_time`;--> statement-breakpoint
CREATE INDEX `meter_value_unattached` ON `meter_value` (`timestamp`,`charger_id`) WHERE transaction_id IS NULL;--> statement-breakpoint
ALTER TABLE `meter_value_span` ADD `newest_at` text;--> statement-breakpoint
UPDATE `meter_value_span` SET `newest_at` = (SELECT max(`timestamp`) FROM `meter_value`
	WHERE `meter_value`.rowid BETWEEN `meter_value_span`.`first_id` AND `meter_value_span`.`last_id`
		AND `meter_value`.`transaction_id` = `meter_value_span`.`transaction_id`);
