import * as v from 'valibot';
import { LIBRARY } from '../../shared/limits';
import { HandleSchema, type PublicFeed } from '../../shared/schemas/library';
import type { AuthRepo } from '../auth/repo';
import { AppError } from '../errors';
import { encodeCursor, toPublicReminder } from '../reminders/present';
import type { ReminderRepo } from '../reminders/repo';
import { position } from '../reminders/service';

const noSuchPerson = () => new AppError('not_found', 'Nobody here has that name.');

/**
 * A person's public reminders, found by their handle. Only what they marked public and have
 * not deleted; nothing about the person but the handle itself (no email, no ids of theirs).
 */
export function createSharingService(users: AuthRepo, reminders: ReminderRepo) {
  async function owner(handle: string) {
    const parsed = v.safeParse(HandleSchema, handle);
    // Reserved or malformed names cannot belong to anyone: the same "not found".
    const user = parsed.success ? await users.findUserByHandle(parsed.output) : null;
    if (!user?.handle) throw noSuchPerson();
    return { id: user.id, handle: user.handle };
  }

  return {
    async page(
      handle: string,
      cursor: string | undefined,
      limit: number = LIBRARY.publicPageSize,
    ): Promise<PublicFeed> {
      const person = await owner(handle);
      const rows = await reminders.listPublicOf(person.id, limit + 1, position(cursor));
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        handle: person.handle,
        items: page.map(toPublicReminder),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },

    /** The newest LIBRARY.publicFeedMaxItems, for the CSV feed (which has no paging). */
    async all(handle: string): Promise<PublicFeed> {
      const person = await owner(handle);
      const rows = await reminders.listPublicOf(person.id, LIBRARY.publicFeedMaxItems);
      return { handle: person.handle, items: rows.map(toPublicReminder), nextCursor: null };
    },
  };
}

export type SharingService = ReturnType<typeof createSharingService>;
