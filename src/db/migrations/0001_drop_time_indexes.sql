DROP INDEX `log_time`;--> statement-breakpoint
DROP INDEX `meter_value_time`;