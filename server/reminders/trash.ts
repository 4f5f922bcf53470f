import { LIBRARY, LIMITS } from '../../shared/limits';
import type { UserRow } from '../auth/repo';
import { AppError } from '../errors';
import type { ImageService } from '../images/service';
import type { Logger } from '../logger';
import { decodeTrashCursor, encodeTrashCursor, toReminder } from './present';
import type { ReminderRepo } from './repo';

const PURGE_BATCH = 100;

/**
 * The trash. A deleted reminder is a tombstone (sync reports it) that can be restored for
 * LIBRARY.trashDays; after that it is purged: the row and its search index go, and then its
 * image, unless another reminder still shows it. Images count reminders in the trash as
 * users (images/repo), so an undo never finds its image gone.
 */
export function createTrashService(
  repo: ReminderRepo,
  clock: () => Date,
  images: Pick<ImageService, 'purgeImageIfUnused'> | undefined,
  logger: Logger,
) {
  const keptSince = () => new Date(clock().getTime() - LIBRARY.trashMs);

  return {
    /** Restores within the trash period; restoring a live reminder again returns it as it is. */
    async restore(user: UserRow, id: string) {
      const row = await repo.findById(id);
      if (row && row.userId === user.id && !row.deletedAt) return toReminder(row);
      const restored =
        row && row.userId === user.id ? await repo.restore(id, user.id, keptSince(), clock()) : null;
      if (!restored) {
        throw new AppError(
          'not_found',
          `That reminder is not in the trash (deleted reminders are kept for ${LIBRARY.trashDays} days).`,
        );
      }
      return toReminder(restored);
    },

    async list(user: UserRow, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? LIMITS.pageSizeDefault;
      let after;
      if (query.cursor !== undefined) {
        after = decodeTrashCursor(query.cursor) ?? undefined;
        if (!after)
          throw new AppError('validation_failed', 'The page cursor is not valid.', {
            cursor: 'Not a valid cursor.',
          });
      }
      const rows = await repo.listTrash(user.id, keptSince(), limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toReminder),
        nextCursor: rows.length > limit && last ? encodeTrashCursor(last) : null,
      };
    },

    /** Purges everything past the trash period (a bounded amount per call); returns how many. */
    async purgeExpired(): Promise<number> {
      let purged = 0;
      for (let batch = 0; batch < 10; batch++) {
        const rows = await repo.listExpiredTrash(keptSince(), PURGE_BATCH);
        for (const row of rows) {
          if (!(await repo.purge(row.id, row.userId))) continue;
          purged += 1;
          if (row.imageId) await images?.purgeImageIfUnused(row.userId, row.imageId);
        }
        if (rows.length < PURGE_BATCH) break;
      }
      if (purged) logger.info('purged reminders from the trash', { purged });
      return purged;
    },
  };
}

export type TrashService = ReturnType<typeof createTrashService>;
