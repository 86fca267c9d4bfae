CREATE TABLE `certificate_request` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`csr` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`subject` text,
	`serial_number` text,
	`valid_to` text,
	`fingerprint256` text,
	`certificate_chain` text,
	`requested_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `certificate_request_charger` ON `certificate_request` (`charger_id`,`id`);