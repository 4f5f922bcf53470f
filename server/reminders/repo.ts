import type { reminders } from '../db/schema.sqlite';
import type { CreateReminderInput, Visibility } from '../../shared/schemas/reminders';
import type { TermMatch } from '../../shared/search';
import type { SlotDraw } from './pick-slots';
import type { SearchPlan } from './search-index';

export type ReminderRow = typeof reminders.$inferSelect;

export type NewReminder = Omit<
  ReminderRow,
  | 'version'
  | 'shownCount'
  | 'lastShownAt'
  | 'changeSeq'
  | 'updatedAt'
  | 'deletedAt'
  | 'dedupeKey'
  | 'pickSlot'
> & {
  /** Defaults to `createdAt`; an import of our own export keeps the original. */
  updatedAt?: Date;
};

/**
 * The row a create makes from what the person sent: the one place the defaults of an
 * unset field live (private, not a favourite, no image).
 */
export function newReminderRow(
  userId: string,
  input: CreateReminderInput,
  at: { id: string; createdAt: Date; updatedAt?: Date; imageId?: string | null },
): NewReminder {
  return {
    id: at.id,
    userId,
    text: input.text,
    note: input.note ?? null,
    author: input.author ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sourceTitle: input.sourceTitle ?? null,
    visibility: input.visibility ?? 'private',
    favorite: input.favorite ?? false,
    imageId: at.imageId !== undefined ? at.imageId : (input.imageId ?? null),
    createdAt: at.createdAt,
    ...(at.updatedAt ? { updatedAt: at.updatedAt } : {}),
  };
}

export type ReminderPatch = Partial<
  Pick<
    ReminderRow,
    'text' | 'note' | 'author' | 'sourceUrl' | 'sourceTitle' | 'visibility' | 'favorite' | 'imageId'
  >
>;

/** Position in a newest-first listing: strictly older than (createdAt, id). */
export type ListPosition = { createdAt: Date; id: string };

/** Position in the trash, most recently deleted first. */
export type TrashPosition = { deletedAt: Date; createdAt: Date; id: string };

export type ListFilter = {
  userId: string;
  limit: number;
  after?: ListPosition;
  visibility?: Visibility;
  favorite?: boolean;
  /** Substring match with LIKE: the fallback for queries the index cannot answer (symbols). */
  q?: string;
};

export type CandidateQuery = Omit<ListFilter, 'q'> & { plan: SearchPlan };

export type CandidateBatch = { rows: ReminderRow[]; last: ListPosition | null; more: boolean };

export type UpdateResult =
  { kind: 'updated'; row: ReminderRow } | { kind: 'stale'; row: ReminderRow } | { kind: 'missing' };

/**
 * Storage for reminders; one implementation per dialect, one conformance suite for both.
 * Every write bumps the owner's `users.change_seq` in the same transaction and stamps the row
 * with it. Because that update locks the user's row, a user's writes commit in sequence
 * order, so "everything after sequence N" never skips a change that commits late.
 * Every write also keeps the search index (`reminder_terms`, `dedupe_key`) in step, in the
 * same transaction.
 */
export interface ReminderRepo {
  /** Creates the reminder unless its id exists; returns the stored row either way. */
  insert(reminder: NewReminder): Promise<{ created: boolean; row: ReminderRow }>;
  /** Creates many new reminders of one user in one transaction (imports); ids must be new. */
  insertMany(userId: string, reminders: NewReminder[]): Promise<number>;
  findById(id: string): Promise<ReminderRow | null>;
  /** The user's rows among `ids` (any state), in no particular order. */
  findManyByIds(userId: string, ids: readonly string[]): Promise<ReminderRow[]>;
  /** Live reminders of one user, newest first. */
  list(filter: ListFilter): Promise<ReminderRow[]>;
  /** Applies `patch` only if the live row's version is `expectedVersion`. */
  update(
    id: string,
    userId: string,
    expectedVersion: number,
    patch: ReminderPatch,
    now: Date,
  ): Promise<UpdateResult>;
  /** Tombstones (moves to the trash) a live reminder; null if there is no live one of this user's. */
  softDelete(id: string, userId: string, now: Date): Promise<ReminderRow | null>;
  /** Brings back a reminder deleted at or after `deletedSince`; null if there is no such one. */
  restore(id: string, userId: string, deletedSince: Date, now: Date): Promise<ReminderRow | null>;
  /** The user's reminders deleted at or after `deletedSince`, most recently deleted first. */
  listTrash(userId: string, deletedSince: Date, limit: number, after?: TrashPosition): Promise<ReminderRow[]>;
  /** Reminders of anyone deleted before `before` (due for purging), oldest deletion first. */
  listExpiredTrash(before: Date, limit: number): Promise<ReminderRow[]>;
  /** Removes a deleted reminder and its index rows for good; false if it was not in the trash. */
  purge(id: string, userId: string): Promise<boolean>;
  /**
   * One of the user's live reminders, each exactly equally likely: the one in the slot
   * `draw(n)` picks among n (see pick-slots.ts); null when there are none. Display
   * bookkeeping (last shown, times shown) does not bump version or sequence.
   */
  pickRandom(userId: string, draw: SlotDraw, now: Date): Promise<ReminderRow | null>;
  /** Rows (tombstones included) changed after sequence `since`, in sequence order. */
  changesSince(userId: string, since: number, limit: number): Promise<ReminderRow[]>;
  /** Public live reminders of everyone, newest first. */
  listPublic(limit: number, after?: ListPosition): Promise<ReminderRow[]>;
  /** Public live reminders of one user, newest first. */
  listPublicOf(userId: string, limit: number, after?: ListPosition): Promise<ReminderRow[]>;
  /** How many index rows the user has for `match`, counting no further than `cap`. */
  countTerm(userId: string, match: TermMatch, cap: number): Promise<number>;
  /** Up to `max` distinct terms of the user's that start with `prefix`, in order. */
  expandPrefix(userId: string, prefix: string, max: number): Promise<string[]>;
  /**
   * Live reminders (matching the visibility and favourite filters) that the index says may
   * match, newest first; search.ts checks them exactly. `last` is where the next batch starts
   * and `more` whether there may be one (the index gave `limit` candidates).
   */
  searchCandidates(query: CandidateQuery): Promise<CandidateBatch>;
  /** Which of `keys` (dedupe keys) the user already has, live or in the trash. */
  findByDedupeKeys(
    userId: string,
    keys: readonly string[],
  ): Promise<Pick<ReminderRow, 'dedupeKey' | 'deletedAt'>[]>;
  /** Rows written before the search index existed (no dedupe key yet), any user. */
  listUnindexed(limit: number): Promise<ReminderRow[]>;
  /** Builds the index rows and dedupe key of rows from `listUnindexed`. */
  reindex(rows: ReminderRow[]): Promise<void>;
}

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
