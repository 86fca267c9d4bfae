ALTER TABLE `transaction` ADD `flags` text;--> statement-breakpoint
ALTER TABLE `transaction` ADD `last_meter_at` text;--> statement-breakpoint
ALTER TABLE `transaction` ADD `id_used_at` text;--> statement-breakpoint
ALTER TABLE `transaction` ADD `connector_idle_since` text;--> statement-breakpoint
CREATE INDEX `meter_value_reading` ON `meter_value` (`charger_id`,`connector_id`,`timestamp`);