PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_meter_value` (
	`id` integer PRIMARY KEY NOT NULL,
	`transaction_id` integer,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`timestamp` text NOT NULL,
	`measurand` text NOT NULL,
	`phase` text,
	`location` text,
	`context` text,
	`unit` text,
	`value` text NOT NULL,
	`normalized` real,
	FOREIGN KEY (`transaction_id`) REFERENCES `transaction`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_meter_value`("id", "transaction_id", "charger_id", "connector_id", "timestamp", "measurand", "phase", "location", "context", "unit", "value", "normalized") SELECT "id", "transaction_id", "charger_id", "connector_id", "timestamp", "measurand", "phase", "location", "context", "unit", "value", "normalized" FROM `meter_value`;--> statement-breakpoint
DROP TABLE `meter_value`;--> statement-breakpoint
ALTER TABLE `__new_meter_value` RENAME TO `meter_value`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `meter_value_tx` ON `meter_value` (`transaction_id`,`timestamp`);--> statement-breakpoint
-- Retention's marks name ids the server had written by a time. Under AUTOINCREMENT the newest rows may have
-- been deleted (a site idle past the retention window), so a mark can name an id above today's max; the next
-- ids are now max + 1 and would count as written by that mark's time. Rows up to today's max did exist then,
-- so each mark is lowered to it.
UPDATE `setting` SET `value` = json_object(
	'legacyMaxId', min(json_extract(`value`, '$.legacyMaxId'), (SELECT coalesce(max(`id`), 0) FROM `meter_value`)),
	'marks', (SELECT json_group_array(json_array(json_extract(m.value, '$[0]'), min(json_extract(m.value, '$[1]'), (SELECT coalesce(max(`id`), 0) FROM `meter_value`))))
		FROM json_each(`setting`.`value`, '$.marks') AS m)
) WHERE `key` = 'retention.idMarks.meter_value';
