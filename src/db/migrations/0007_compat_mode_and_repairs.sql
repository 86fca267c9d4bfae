CREATE TABLE `compat_repair` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`action` text NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_raw` text NOT NULL,
	`last_repaired` text,
	`first_at` text NOT NULL,
	`last_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compat_repair_key` ON `compat_repair` (`charger_id`,`action`,`kind`,`path`);--> statement-breakpoint
CREATE TABLE `compat_review` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`action` text NOT NULL,
	`unique_id` text NOT NULL,
	`payload` text NOT NULL,
	`reason` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `compat_review_charger` ON `compat_review` (`charger_id`,`id`);--> statement-breakpoint
ALTER TABLE `charger` ADD `compat_mode` text DEFAULT 'tolerant' NOT NULL;