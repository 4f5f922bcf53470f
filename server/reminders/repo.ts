import type { reminders } from '../db/schema.sqlite';
import type { Visibility } from '../../shared/schemas/reminders';

export type ReminderRow = typeof reminders.$inferSelect;

export type NewReminder = Omit<
  ReminderRow,
  'version' | 'shownCount' | 'lastShownAt' | 'changeSeq' | 'updatedAt' | 'deletedAt'
>;

export type ReminderPatch = Partial<
  Pick<ReminderRow, 'text' | 'note' | 'author' | 'sourceUrl' | 'sourceTitle' | 'visibility' | 'favorite' | 'imageId'>
>;

/** Position in a newest-first listing: strictly older than (createdAt, id). */
export type ListPosition = { createdAt: Date; id: string };

export type ListFilter = {
  userId: string;
  limit: number;
  after?: ListPosition;
  visibility?: Visibility;
  favorite?: boolean;
  q?: string;
};

export type UpdateResult =
  | { kind: 'updated'; row: ReminderRow }
  | { kind: 'stale'; row: ReminderRow }
  | { kind: 'missing' };

/**
 * Storage for reminders; one implementation per dialect, one conformance suite for both.
 * Every write bumps the owner's `users.change_seq` in the same transaction and stamps the row
 * with it. Because that update locks the user's row, a user's writes commit in sequence
 * order, so "everything after sequence N" never skips a change that commits late.
 */
export interface ReminderRepo {
  /** Creates the reminder unless its id exists; returns the stored row either way. */
  insert(reminder: NewReminder): Promise<{ created: boolean; row: ReminderRow }>;
  findById(id: string): Promise<ReminderRow | null>;
  /** Live reminders of one user, newest first. */
  list(filter: ListFilter): Promise<ReminderRow[]>;
  /** Applies `patch` only if the live row's version is `expectedVersion`. */
  update(id: string, userId: string, expectedVersion: number, patch: ReminderPatch, now: Date): Promise<UpdateResult>;
  /** Tombstones a live reminder; returns null if there is no live one of this user's. */
  softDelete(id: string, userId: string, now: Date): Promise<ReminderRow | null>;
  /**
   * The live reminder whose random key follows `point` (wrapping around). The picked row gets
   * `newKey`, so keys stay independent uniform draws and every reminder is equally likely on
   * each call. Display bookkeeping does not bump version or sequence.
   */
  pickRandom(userId: string, point: number, newKey: number, now: Date): Promise<ReminderRow | null>;
  /** Rows (tombstones included) changed after sequence `since`, in sequence order. */
  changesSince(userId: string, since: number, limit: number): Promise<ReminderRow[]>;
  /** Public live reminders of everyone, newest first. */
  listPublic(limit: number, after?: ListPosition): Promise<ReminderRow[]>;
}

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
