CREATE TABLE `reminder_terms` (
	`reminder_id` varchar(36) NOT NULL,
	`user_id` varchar(36) NOT NULL,
	`term` varbinary(128) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `reminder_terms_user_id_term_created_at_reminder_id_pk` PRIMARY KEY(`user_id`,`term`,`created_at`,`reminder_id`)
);
--> statement-breakpoint
ALTER TABLE `reminders` ADD `dedupe_key` varchar(32);--> statement-breakpoint
ALTER TABLE `users` ADD `handle` varchar(30);--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_handle_unique` UNIQUE(`handle`);--> statement-breakpoint
ALTER TABLE `reminder_terms` ADD CONSTRAINT `reminder_terms_reminder_id_reminders_id_fk` FOREIGN KEY (`reminder_id`) REFERENCES `reminders`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `reminder_terms_reminder_idx` ON `reminder_terms` (`reminder_id`,`term`);--> statement-breakpoint
CREATE INDEX `reminders_user_visibility_idx` ON `reminders` (`user_id`,`visibility`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reminders_user_dedupe_idx` ON `reminders` (`user_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `reminders_deleted_idx` ON `reminders` (`deleted_at`);