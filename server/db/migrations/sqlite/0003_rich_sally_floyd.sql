DROP INDEX `reminders_user_rand_idx`;--> statement-breakpoint
ALTER TABLE `reminders` ADD `pick_slot` integer;--> statement-breakpoint
-- Number every person's live reminders 1…n (hand-written: drizzle-kit cannot express it).
UPDATE `reminders` SET `pick_slot` = `numbered`.`n`
FROM (SELECT `id`, ROW_NUMBER() OVER (PARTITION BY `user_id` ORDER BY `created_at`, `id`) AS `n`
      FROM `reminders` WHERE `deleted_at` IS NULL) AS `numbered`
WHERE `reminders`.`id` = `numbered`.`id`;--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_user_slot_idx` ON `reminders` (`user_id`,`pick_slot`);