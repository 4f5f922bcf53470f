CREATE TABLE `reminder_terms` (
	`reminder_id` text NOT NULL,
	`user_id` text NOT NULL,
	`term` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `term`, `created_at`, `reminder_id`),
	FOREIGN KEY (`reminder_id`) REFERENCES `reminders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reminder_terms_reminder_idx` ON `reminder_terms` (`reminder_id`,`term`);--> statement-breakpoint
ALTER TABLE `reminders` ADD `dedupe_key` text;--> statement-breakpoint
CREATE INDEX `reminders_user_visibility_idx` ON `reminders` (`user_id`,`visibility`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reminders_user_dedupe_idx` ON `reminders` (`user_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `reminders_deleted_idx` ON `reminders` (`deleted_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `handle` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_handle_unique` ON `users` (`handle`);