CREATE TABLE `reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`text` text NOT NULL,
	`note` text,
	`author` text,
	`source_url` text,
	`source_title` text,
	`visibility` text DEFAULT 'private' NOT NULL,
	`image_id` text,
	`favorite` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`rand_key` integer NOT NULL,
	`shown_count` integer DEFAULT 0 NOT NULL,
	`last_shown_at` integer,
	`change_seq` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reminders_user_created_idx` ON `reminders` (`user_id`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reminders_user_rand_idx` ON `reminders` (`user_id`,`deleted_at`,`rand_key`);--> statement-breakpoint
CREATE INDEX `reminders_user_seq_idx` ON `reminders` (`user_id`,`change_seq`);--> statement-breakpoint
CREATE INDEX `reminders_public_idx` ON `reminders` (`created_at`,`id`) WHERE "reminders"."visibility" = 'public' and "reminders"."deleted_at" is null;--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`label` text,
	`created_at` integer NOT NULL,
	`last_verified_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`change_seq` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);