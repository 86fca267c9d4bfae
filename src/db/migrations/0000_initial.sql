CREATE TABLE `admin_session` (
	`id` text PRIMARY KEY NOT NULL,
	`admin_user_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`admin_user_id`) REFERENCES `admin_user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `admin_user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_user_username_unique` ON `admin_user` (`username`);--> statement-breakpoint
CREATE TABLE `api_token` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_by` integer,
	`last_used_at` text,
	`revoked_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `admin_user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_token_token_hash_unique` ON `api_token` (`token_hash`);--> statement-breakpoint
CREATE TABLE `charger_configuration` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text,
	`readonly` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `charger_configuration_key` ON `charger_configuration` (`charger_id`,`key`);--> statement-breakpoint
CREATE TABLE `charger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charge_point_id` text NOT NULL,
	`station_id` integer,
	`tariff_id` integer,
	`name` text,
	`password_hash` text,
	`registration_status` text DEFAULT 'Accepted' NOT NULL,
	`vendor` text,
	`model` text,
	`serial_number` text,
	`charge_box_serial_number` text,
	`firmware_version` text,
	`iccid` text,
	`imsi` text,
	`meter_type` text,
	`meter_serial_number` text,
	`latest_status` text,
	`last_boot_at` text,
	`last_heartbeat_at` text,
	`last_seen_at` text,
	`firmware_status` text,
	`diagnostics_status` text,
	`max_current_a` real,
	`archived_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `charger_charge_point_id_unique` ON `charger` (`charge_point_id`);--> statement-breakpoint
CREATE TABLE `charging_profile` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`charging_profile_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`stack_level` integer NOT NULL,
	`transaction_id` integer,
	`profile` text NOT NULL,
	`status` text NOT NULL,
	`source` text DEFAULT 'api' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `charging_profile_charger` ON `charging_profile` (`charger_id`);--> statement-breakpoint
CREATE TABLE `connector` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`connector_type` text,
	`max_power_kw` real,
	`status` text,
	`error_code` text,
	`info` text,
	`vendor_error_code` text,
	`availability` text DEFAULT 'Operative' NOT NULL,
	`availability_scheduled` integer DEFAULT false NOT NULL,
	`status_at` text,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connector_charger_connector` ON `connector` (`charger_id`,`connector_id`);--> statement-breakpoint
CREATE TABLE `data_transfer` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`vendor_id` text NOT NULL,
	`message_id` text,
	`data` text,
	`received_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `file` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`charger_id` integer,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `id_tag` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_tag` text NOT NULL,
	`user_id` integer,
	`parent_id_tag` text,
	`status` text DEFAULT 'Accepted' NOT NULL,
	`expiry_date` text,
	`kind` text DEFAULT 'RFID' NOT NULL,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `id_tag_id_tag_unique` ON `id_tag` (`id_tag`);--> statement-breakpoint
CREATE TABLE `local_list` (
	`charger_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`hash` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charge_point_id` text NOT NULL,
	`direction` text NOT NULL,
	`message_type` integer NOT NULL,
	`action` text,
	`unique_id` text,
	`payload` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `log_time` ON `log` (`created_at`);--> statement-breakpoint
CREATE INDEX `log_charger` ON `log` (`charge_point_id`,`id`);--> statement-breakpoint
CREATE TABLE `meter_value` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
CREATE INDEX `meter_value_tx` ON `meter_value` (`transaction_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `meter_value_time` ON `meter_value` (`timestamp`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`topic` text NOT NULL,
	`schema` text NOT NULL,
	`payload` text NOT NULL,
	`occurred_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event_id_unique` ON `outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_unsent` ON `outbox` (`sent_at`,`seq`);--> statement-breakpoint
CREATE TABLE `reservation` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`parent_id_tag` text,
	`expiry_date` text NOT NULL,
	`status` text NOT NULL,
	`transaction_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `security_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`type` text NOT NULL,
	`tech_info` text,
	`timestamp` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `station` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`latitude` real,
	`longitude` real,
	`tariff_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `status_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
CREATE INDEX `status_history_charger` ON `status_history` (`charger_id`,`id`);--> statement-breakpoint
CREATE TABLE `tariff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`currency` text DEFAULT 'EUR' NOT NULL,
	`price_per_kwh` integer NOT NULL,
	`session_fee` integer DEFAULT 0 NOT NULL,
	`price_per_minute` integer DEFAULT 0 NOT NULL,
	`idle_fee_per_minute` integer DEFAULT 0 NOT NULL,
	`tax_percent` real DEFAULT 0 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `transaction` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`user_id` integer,
	`reservation_id` integer,
	`status` text NOT NULL,
	`auth_status` text NOT NULL,
	`meter_start` integer NOT NULL,
	`meter_stop` integer,
	`last_meter_wh` integer,
	`last_power_w` real,
	`started_at` text NOT NULL,
	`start_received_at` text NOT NULL,
	`stopped_at` text,
	`stop_received_at` text,
	`stop_reason` text,
	`stop_id_tag` text,
	`energy_wh` integer,
	`tariff_id` integer,
	`tariff_snapshot` text,
	`cost_amount` integer,
	`currency` text,
	`interrupted_at` text,
	`reported_transaction_id` integer,
	FOREIGN KEY (`charger_id`) REFERENCES `charger`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `transaction_charger` ON `transaction` (`charger_id`,`status`);--> statement-breakpoint
CREATE INDEX `transaction_started` ON `transaction` (`started_at`);--> statement-breakpoint
CREATE INDEX `transaction_id_tag` ON `transaction` (`id_tag`);--> statement-breakpoint
CREATE INDEX `transaction_dedupe` ON `transaction` (`charger_id`,`connector_id`,`id_tag`,`started_at`,`meter_start`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`phone_number` text,
	`full_name` text NOT NULL,
	`email` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_phone_number_unique` ON `user` (`phone_number`);--> statement-breakpoint
CREATE TABLE `vehicle` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`make` text,
	`model` text,
	`plate` text,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wallet_transaction` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wallet_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`type` text NOT NULL,
	`charging_transaction_id` integer,
	`idempotency_key` text,
	`balance_after` integer NOT NULL,
	`description` text,
	`created_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`wallet_id`) REFERENCES `wallet`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`charging_transaction_id`) REFERENCES `transaction`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_transaction_idempotency_key_unique` ON `wallet_transaction` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `wallet_tx_wallet` ON `wallet_transaction` (`wallet_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_tx_one_charge` ON `wallet_transaction` (`charging_transaction_id`) WHERE type = 'CHARGE';--> statement-breakpoint
CREATE TABLE `wallet` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`currency` text DEFAULT 'EUR' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_user_id_unique` ON `wallet` (`user_id`);