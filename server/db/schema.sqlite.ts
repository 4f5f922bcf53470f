import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
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
  },
  (t) => [
    index('reminders_user_created_idx').on(t.userId, t.deletedAt, t.createdAt, t.id),
    index('reminders_user_rand_idx').on(t.userId, t.deletedAt, t.randKey),
    index('reminders_user_seq_idx').on(t.userId, t.changeSeq),
    index('reminders_image_idx').on(t.imageId),
    index('reminders_public_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.visibility} = 'public' and ${t.deletedAt} is null`),
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

export const schema = { users, sessions, reminders, images };
