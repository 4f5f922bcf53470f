CREATE TABLE `images` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(36) NOT NULL,
	`store` enum('local','imagekit') NOT NULL,
	`key` varchar(512) NOT NULL,
	`file_id` varchar(64),
	`mime` varchar(32) NOT NULL,
	`width` int NOT NULL,
	`height` int NOT NULL,
	`bytes` int NOT NULL,
	`sha256` varchar(64) NOT NULL,
	`source_url` text,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `images_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `images` ADD CONSTRAINT `images_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `images_user_idx` ON `images` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `images_created_idx` ON `images` (`created_at`);--> statement-breakpoint
CREATE INDEX `reminders_image_idx` ON `reminders` (`image_id`);