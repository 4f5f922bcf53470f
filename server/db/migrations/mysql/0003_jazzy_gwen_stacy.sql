DROP INDEX `reminders_user_rand_idx` ON `reminders`;--> statement-breakpoint
ALTER TABLE `reminders` ADD `pick_slot` int;--> statement-breakpoint
-- Number every person's live reminders 1…n (hand-written: drizzle-kit cannot express it).
UPDATE `reminders` JOIN (
  SELECT `id`, ROW_NUMBER() OVER (PARTITION BY `user_id` ORDER BY `created_at`, `id`) AS `n`
  FROM `reminders` WHERE `deleted_at` IS NULL
) AS `numbered` ON `numbered`.`id` = `reminders`.`id`
SET `reminders`.`pick_slot` = `numbered`.`n`;--> statement-breakpoint
ALTER TABLE `reminders` ADD CONSTRAINT `reminders_user_slot_idx` UNIQUE(`user_id`,`pick_slot`);