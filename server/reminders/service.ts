import { randomInt, randomUUID } from 'node:crypto';
import { LIMITS } from '../../shared/limits';
import type {
  CreateReminderInput,
  ListRemindersQuery,
  UpdateReminderInput,
} from '../../shared/schemas/reminders';
import { AppError } from '../errors';
import type { UserRow } from '../auth/repo';
import type { ImageService } from '../images/service';
import { decodeCursor, encodeCursor, toPublicReminder, toReminder } from './present';
import { newReminderRow, type ListPosition, type ReminderRepo, type ReminderRow } from './repo';
import { searchReminders } from './search';

/** Random keys are 31-bit so they fit a signed INT on every dialect. */
/** A uniform draw of 1…n, from the operating system's generator. */
const drawSlot = (n: number) => randomInt(1, n + 1);

const notFound = () => new AppError('not_found', 'That reminder does not exist.');

export function position(cursor: string | undefined): ListPosition | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded)
    throw new AppError('validation_failed', 'The page cursor is not valid.', {
      cursor: 'Not a valid cursor.',
    });
  return decoded;
}

/** Field-by-field comparison used to recognise a repeated create (an outbox retry). */
function sameContent(row: ReminderRow, input: CreateReminderInput): boolean {
  return (
    row.text === input.text &&
    row.note === (input.note ?? null) &&
    row.author === (input.author ?? null) &&
    row.sourceUrl === (input.sourceUrl ?? null) &&
    row.sourceTitle === (input.sourceTitle ?? null) &&
    row.visibility === (input.visibility ?? 'private') &&
    row.favorite === (input.favorite ?? false) &&
    row.imageId === (input.imageId ?? null)
  );
}

/** `If-Match: "3"`, `W/"3"` or `3`; anything else is not a version. */
export function parseIfMatch(header: string | undefined): number | null {
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header?.trim() ?? '');
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * Ownership rules in one place: a reminder that is someone else's and private does not
 * exist as far as the caller can tell (404 for every method). Someone else's public one
 * can be read but not changed (403).
 */
function assertOwner(row: ReminderRow | null, user: UserRow): ReminderRow {
  if (!row || row.deletedAt) throw notFound();
  if (row.userId !== user.id) {
    if (row.visibility === 'public')
      throw new AppError('forbidden', 'Only its owner can change this reminder.');
    throw notFound();
  }
  return row;
}

/** What reminders need from images: who may attach what, and cleanup when one is let go. */
export type ReminderImageRules = Pick<ImageService, 'assertAttachable' | 'purgeImageIfUnused'>;

export function createReminderService(repo: ReminderRepo, clock: () => Date, images?: ReminderImageRules) {
  async function assertAttachable(user: UserRow, imageId: string): Promise<void> {
    if (images) return images.assertAttachable(user.id, imageId);
    throw new AppError('validation_failed', 'Images cannot be attached here.', { imageId: 'Not available.' });
  }

  return {
    async create(user: UserRow, input: CreateReminderInput) {
      if (input.imageId) await assertAttachable(user, input.imageId);
      const now = clock();
      const { created, row } = await repo.insert(
        newReminderRow(user.id, input, { id: input.id ?? randomUUID(), createdAt: now }),
      );
      if (created) return { created: true, reminder: toReminder(row) };
      if (row.userId === user.id && !row.deletedAt && sameContent(row, input)) {
        return { created: false, reminder: toReminder(row) };
      }
      throw new AppError(
        'id_conflict',
        'A different reminder already has this id.',
        { id: 'Already in use.' },
        row.userId === user.id ? { reminder: toReminder(row) } : undefined,
      );
    },

    async list(user: UserRow, query: ListRemindersQuery) {
      const limit = query.limit ?? LIMITS.pageSizeDefault;
      const filter = {
        userId: user.id,
        limit: limit + 1,
        after: position(query.cursor),
        visibility: query.visibility,
        favorite: query.favorite,
      };
      const rows = query.q ? await searchReminders(repo, { ...filter, q: query.q }) : await repo.list(filter);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toReminder),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },

    async get(user: UserRow, id: string) {
      const row = await repo.findById(id);
      if (!row || row.deletedAt) throw notFound();
      if (row.userId === user.id) return toReminder(row);
      if (row.visibility === 'public') return toPublicReminder(row);
      throw notFound();
    },

    async update(user: UserRow, id: string, ifMatch: string | undefined, patch: UpdateReminderInput) {
      const before = assertOwner(await repo.findById(id), user);
      const expected = parseIfMatch(ifMatch);
      if (expected === null) {
        throw new AppError(
          'precondition_required',
          'Send the version you edited in an If-Match header, e.g. If-Match: "3".',
        );
      }
      if (patch.imageId) await assertAttachable(user, patch.imageId);
      const result = await repo.update(id, user.id, expected, patch, clock());
      if (result.kind === 'missing') throw notFound();
      if (result.kind === 'stale') {
        throw new AppError(
          'version_mismatch',
          'This reminder changed since you opened it. Review the current copy and try again.',
          undefined,
          { reminder: toReminder(result.row) },
        );
      }
      // A replaced or cleared image goes once nothing else shows it.
      if (before.imageId && before.imageId !== result.row.imageId)
        await images?.purgeImageIfUnused(user.id, before.imageId);
      return toReminder(result.row);
    },

    /**
     * Moves the reminder to the trash (see trash.ts); its image stays until the purge, so an
     * undo brings everything back. Idempotent for the owner, so a retried delete from the
     * outbox is harmless.
     */
    async remove(user: UserRow, id: string): Promise<void> {
      const row = await repo.findById(id);
      if (row && row.userId === user.id && row.deletedAt) return;
      assertOwner(row, user);
      await repo.softDelete(id, user.id, clock());
    },

    async exists(user: UserRow, id: string): Promise<boolean> {
      const row = await repo.findById(id);
      return row !== null && row.userId === user.id;
    },

    async random(user: UserRow) {
      const row = await repo.pickRandom(user.id, drawSlot, clock());
      if (!row) throw new AppError('no_reminders', 'You have no reminders yet.');
      return toReminder(row);
    },

    async sync(user: UserRow, since: number, limit: number) {
      const rows = await repo.changesSince(user.id, since, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        changes: page.map(toReminder),
        cursor: String(last ? last.changeSeq : since),
        hasMore: rows.length > limit,
      };
    },

    async listPublic(cursor: string | undefined, limit: number) {
      const rows = await repo.listPublic(limit + 1, position(cursor));
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toPublicReminder),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },
  };
}

export type ReminderService = ReturnType<typeof createReminderService>;
