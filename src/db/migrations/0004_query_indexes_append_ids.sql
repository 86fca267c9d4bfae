PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`charge_point_id` text NOT NULL,
	`direction` text NOT NULL,
	`message_type` integer NOT NULL,
	`action` text,
	`unique_id` text,
	`payload` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_log`("id", "charge_point_id", "direction", "message_type", "action", "unique_id", "payload", "created_at") SELECT "id", "charge_point_id", "direction", "message_type", "action", "unique_id", "payload", "created_at" FROM `log`;--> statement-breakpoint
DROP TABLE `log`;--> statement-breakpoint
ALTER TABLE `__new_log` RENAME TO `log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `log_charger` ON `log` (`charge_point_id`,`id`);--> statement-breakpoint
CREATE TABLE `__new_status_history` (
	`id` integer PRIMARY KEY NOT NULL,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`status` text NOT NULL,
	`error_code` text NOT NULL,
	`info` text,
	`vendor_error_code` text,
	`timestamp` text,
	`received_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_status_history`("id", "charger_id", "connector_id", "status", "error_code", "info", "vendor_error_code", "timestamp", "received_at") SELECT "id", "charger_id", "connector_id", "status", "error_code", "info", "vendor_error_code", "timestamp", "received_at" FROM `status_history`;--> statement-breakpoint
DROP TABLE `status_history`;--> statement-breakpoint
ALTER TABLE `__new_status_history` RENAME TO `status_history`;--> statement-breakpoint
CREATE INDEX `status_history_charger` ON `status_history` (`charger_id`,`id`);--> statement-breakpoint
CREATE INDEX `status_history_connector_time` ON `status_history` (`charger_id`,`connector_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `reservation_connector` ON `reservation` (`charger_id`,`connector_id`,`status`);--> statement-breakpoint
CREATE INDEX `transaction_user` ON `transaction` (`user_id`,`status`);