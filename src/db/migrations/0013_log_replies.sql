-- A CALL and its answer logged in the same batch share one row (messageLog.ts): the answer's own row
-- repeated charger, action, unique id and time for a payload often just {}. log_entry gives every frame as
-- a row of its own (part 0 the row's frame, part 1 its answer), for the sqlite3 shell and the tests.
ALTER TABLE `log` ADD `reply_type` integer;--> statement-breakpoint
ALTER TABLE `log` ADD `reply_payload` text;--> statement-breakpoint
ALTER TABLE `log` ADD `reply_after_ms` integer;--> statement-breakpoint
CREATE VIEW `log_entry` AS
	SELECT `id`, 0 AS `part`, `charge_point_id`, `direction`, `message_type`, `action`, `unique_id`, `payload`, `created_at` FROM `log`
	UNION ALL
	SELECT `id`, 1, `charge_point_id`, CASE `direction` WHEN 'IN' THEN 'OUT' ELSE 'IN' END, `reply_type`, `action`, `unique_id`, `reply_payload`,
		strftime('%Y-%m-%dT%H:%M:%fZ', `created_at`, (`reply_after_ms` / 1000.0) || ' seconds')
	FROM `log` WHERE `reply_type` IS NOT NULL;
