import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { IMAGE_MIME_TYPES } from '../../shared/limits';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Stored lower-cased and trimmed, so uniqueness is case-insensitive on every dialect. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Bumped inside every write to this user's reminders; orders the sync feed. */
    changeSeq: integer('change_seq').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    /** Public page name (`/u/:handle`), stored lower-cased so uniqueness ignores case. */
    handle: text('handle'),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), uniqueIndex('users_handle_unique').on(t.handle)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Hex SHA-256 of the token's secret; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at').notNull(),
    lastVerifiedAt: timestamp('last_verified_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const reminders = sqliteTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    note: text('note'),
    author: text('author'),
    sourceUrl: text('source_url'),
    sourceTitle: text('source_title'),
    visibility: text('visibility', { enum: ['private', 'public'] })
      .notNull()
      .default('private'),
    imageId: text('image_id'),
    favorite: integer('favorite', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    randKey: integer('rand_key').notNull(),
    shownCount: integer('shown_count').notNull().default(0),
    lastShownAt: timestamp('last_shown_at'),
    changeSeq: integer('change_seq').notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    deletedAt: timestamp('deleted_at'),
    /**
     * Hash of the normalised text and author (import duplicates). Null until the search
     * index has been built for the row (rows from before it existed; see search/backfill.ts).
     */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    index('reminders_user_created_idx').on(t.userId, t.deletedAt, t.createdAt, t.id),
    index('reminders_user_visibility_idx').on(t.userId, t.visibility, t.deletedAt, t.createdAt, t.id),
    index('reminders_user_dedupe_idx').on(t.userId, t.dedupeKey),
    index('reminders_deleted_idx').on(t.deletedAt),
    index('reminders_user_rand_idx').on(t.userId, t.deletedAt, t.randKey),
    index('reminders_user_seq_idx').on(t.userId, t.changeSeq),
    index('reminders_image_idx').on(t.imageId),
    index('reminders_public_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.visibility} = 'public' and ${t.deletedAt} is null`),
  ],
);

/**
 * The search index: one row per (reminder, term), see shared/search.ts. The primary key
 * keeps each person's postings of a term together and newest first, so a search walks them
 * in the order it answers in; the second index answers "does this reminder have a term
 * starting with …" and finds a reminder's rows when it is edited.
 */
export const reminderTerms = sqliteTable(
  'reminder_terms',
  {
    reminderId: text('reminder_id')
      .notNull()
      .references(() => reminders.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    term: text('term').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.term, t.createdAt, t.reminderId] }),
    index('reminder_terms_reminder_idx').on(t.reminderId, t.term),
  ],
);

export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    store: text('store', { enum: ['local', 'imagekit'] }).notNull(),
    /** Local: the server-chosen key under DATA_DIR/images. ImageKit: the file's path. */
    key: text('key').notNull(),
    /** ImageKit's fileId (needed to delete); null for local files. */
    fileId: text('file_id'),
    mime: text('mime', { enum: IMAGE_MIME_TYPES }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Size of the stored (processed) original. */
    bytes: integer('bytes').notNull(),
    /** Hex SHA-256 of the stored (processed) original. */
    sha256: text('sha256').notNull(),
    /** Where the image was found, when known (a fetched URL or one the client reported). */
    sourceUrl: text('source_url'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('images_user_idx').on(t.userId, t.createdAt), index('images_created_idx').on(t.createdAt)],
);

export const schema = { users, sessions, reminders, reminderTerms, images };
