CREATE TABLE `reminders` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(36) NOT NULL,
	`text` mediumtext NOT NULL,
	`note` text,
	`author` varchar(300),
	`source_url` text,
	`source_title` varchar(500),
	`visibility` enum('private','public') NOT NULL DEFAULT 'private',
	`image_id` varchar(36),
	`favorite` boolean NOT NULL DEFAULT false,
	`version` int NOT NULL DEFAULT 1,
	`rand_key` int NOT NULL,
	`shown_count` int NOT NULL DEFAULT 0,
	`last_shown_at` datetime(3),
	`change_seq` bigint NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	`deleted_at` datetime(3),
	CONSTRAINT `reminders_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` varchar(32) NOT NULL,
	`user_id` varchar(36) NOT NULL,
	`secret_hash` varchar(64) NOT NULL,
	`label` varchar(100),
	`created_at` datetime(3) NOT NULL,
	`last_verified_at` datetime(3) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` varchar(36) NOT NULL,
	`email` varchar(254) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`change_seq` bigint NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_unique` UNIQUE(`email`)
);
--> statement-breakpoint
ALTER TABLE `reminders` ADD CONSTRAINT `reminders_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sessions` ADD CONSTRAINT `sessions_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `reminders_user_created_idx` ON `reminders` (`user_id`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reminders_user_rand_idx` ON `reminders` (`user_id`,`deleted_at`,`rand_key`);--> statement-breakpoint
CREATE INDEX `reminders_user_seq_idx` ON `reminders` (`user_id`,`change_seq`);--> statement-breakpoint
CREATE INDEX `reminders_public_idx` ON `reminders` (`visibility`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);