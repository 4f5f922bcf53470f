import {
  bigint,
  boolean,
  datetime,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varbinary,
  varchar,
} from 'drizzle-orm/mysql-core';
import { IMAGE_MIME_TYPES } from '../../shared/limits';

// Millisecond precision, mapped to JS Dates; drizzle reads DATETIME as a string and treats it
// as UTC, so stored instants do not depend on the server's or the client's time zone.
const timestamp = (name: string) => datetime(name, { mode: 'date', fsp: 3 });
const id = (name: string) => varchar(name, { length: 36 });

export const users = mysqlTable(
  'users',
  {
    id: id('id').primaryKey(),
    email: varchar('email', { length: 254 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    handle: varchar('handle', { length: 30 }),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), uniqueIndex('users_handle_unique').on(t.handle)],
);

export const sessions = mysqlTable(
  'sessions',
  {
    id: varchar('id', { length: 32 }).primaryKey(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: varchar('secret_hash', { length: 64 }).notNull(),
    label: varchar('label', { length: 100 }),
    createdAt: timestamp('created_at').notNull(),
    lastVerifiedAt: timestamp('last_verified_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const reminders = mysqlTable(
  'reminders',
  {
    id: id('id').primaryKey(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: mediumtext('text').notNull(),
    note: text('note'),
    author: varchar('author', { length: 300 }),
    sourceUrl: text('source_url'),
    sourceTitle: varchar('source_title', { length: 500 }),
    visibility: mysqlEnum('visibility', ['private', 'public']).notNull().default('private'),
    imageId: id('image_id'),
    favorite: boolean('favorite').notNull().default(false),
    version: int('version').notNull().default(1),
    randKey: int('rand_key').notNull(),
    shownCount: int('shown_count').notNull().default(0),
    lastShownAt: timestamp('last_shown_at'),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    deletedAt: timestamp('deleted_at'),
    dedupeKey: varchar('dedupe_key', { length: 32 }),
  },
  (t) => [
    index('reminders_user_created_idx').on(t.userId, t.deletedAt, t.createdAt, t.id),
    index('reminders_user_visibility_idx').on(t.userId, t.visibility, t.deletedAt, t.createdAt, t.id),
    index('reminders_user_dedupe_idx').on(t.userId, t.dedupeKey),
    index('reminders_deleted_idx').on(t.deletedAt),
    index('reminders_user_rand_idx').on(t.userId, t.deletedAt, t.randKey),
    index('reminders_user_seq_idx').on(t.userId, t.changeSeq),
    index('reminders_image_idx').on(t.imageId),
    index('reminders_public_idx').on(t.visibility, t.deletedAt, t.createdAt, t.id),
  ],
);

/**
 * The search index (see schema.sqlite.ts). Terms are bytes, compared byte by byte (code
 * point order), never through a case- or accent-insensitive collation: normalising is done
 * once, in shared/search.ts, the same way for both dialects.
 */
export const reminderTerms = mysqlTable(
  'reminder_terms',
  {
    reminderId: id('reminder_id')
      .notNull()
      .references(() => reminders.id, { onDelete: 'cascade' }),
    userId: id('user_id').notNull(),
    term: varbinary('term', { length: 128 }).notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.term, t.createdAt, t.reminderId] }),
    index('reminder_terms_reminder_idx').on(t.reminderId, t.term),
  ],
);

export const images = mysqlTable(
  'images',
  {
    id: id('id').primaryKey(),
    userId: id('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    store: mysqlEnum('store', ['local', 'imagekit']).notNull(),
    key: varchar('key', { length: 512 }).notNull(),
    fileId: varchar('file_id', { length: 64 }),
    mime: varchar('mime', { length: 32, enum: IMAGE_MIME_TYPES }).notNull(),
    width: int('width').notNull(),
    height: int('height').notNull(),
    bytes: int('bytes').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    sourceUrl: text('source_url'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('images_user_idx').on(t.userId, t.createdAt), index('images_created_idx').on(t.createdAt)],
);

export const schema = { users, sessions, reminders, reminderTerms, images };
