import * as v from 'valibot';
import { ErrorBodySchema } from '../errors';
import { LIBRARY, LIMITS } from '../limits';
import { IsoDateSchema, contract } from './common';
import { PasswordSchema, passwordText } from './auth';
import { PublicReminderSchema, ReminderSchema, VisibilitySchema } from './reminders';

/**
 * The contract for managing a collection (issue #4): conflicts, trash, import/export,
 * sharing by handle, and signed-in devices. Limits live in ../limits.ts (LIBRARY).
 */

const cursorParam = v.optional(v.pipe(v.string(), v.maxLength(200, 'Cursor is not valid.')));
const limitParam = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d{1,4}$/, 'Limit must be a whole number.'),
    v.transform(Number),
    v.minValue(1, 'Limit must be at least 1.'),
    v.maxValue(LIMITS.pageSizeMax, `Limit must be at most ${LIMITS.pageSizeMax}.`),
  ),
);

// ---- Conflicts ---------------------------------------------------------------------------
/**
 * PATCH /api/reminders/:id with a stale If-Match: 412 `version_mismatch`, with the server's
 * current copy beside the error so a client can show both versions and let the person choose
 * (then send their choice with If-Match set to `reminder.version`).
 */
export const VersionMismatchBodySchema = v.object({
  ...ErrorBodySchema.entries,
  reminder: ReminderSchema,
});

// ---- Trash -------------------------------------------------------------------------------
// DELETE /api/reminders/:id moves a reminder to the trash (a tombstone with `deletedAt`);
// POST /api/reminders/:id/restore → 200 {reminder} brings it back within LIBRARY.trashDays
// (a new version, synced as a change); GET /api/trash lists it, most recently deleted first.
// After LIBRARY.trashDays it is purged with its image and no longer appears anywhere.
export const TrashQuerySchema = contract({ cursor: cursorParam, limit: limitParam });
export const TrashPageSchema = v.object({
  items: v.array(ReminderSchema),
  nextCursor: v.nullable(v.string()),
});

// ---- Import ------------------------------------------------------------------------------
export const IMPORT_FORMATS = ['fortune', 'csv', 'kindle', 'readwise', 'json'] as const;
export const ImportFormatSchema = v.picklist(
  IMPORT_FORMATS,
  'Format must be one of fortune, csv, kindle, readwise, json.',
);
export type ImportFormat = v.InferOutput<typeof ImportFormatSchema>;

/**
 * POST /api/import?format=…&dryRun=true|false with the file as the raw body or as the
 * multipart field `file` (at most LIBRARY.importMaxBytes). With `Accept: application/x-ndjson`
 * the answer is a stream of ImportEvent lines; otherwise the ImportReport as JSON.
 */
export const ImportQuerySchema = contract({
  format: ImportFormatSchema,
  dryRun: v.optional(
    v.pipe(
      v.picklist(['true', 'false'], 'dryRun must be "true" or "false".'),
      v.transform((x) => x === 'true'),
    ),
  ),
});

/** One entry as read from a file, before it becomes a reminder. */
export const ImportEntrySchema = v.object({
  text: v.string(),
  author: v.optional(v.string()),
  note: v.optional(v.string()),
  sourceUrl: v.optional(v.string()),
  sourceTitle: v.optional(v.string()),
  visibility: v.optional(VisibilitySchema),
  favorite: v.optional(v.boolean()),
  createdAt: v.optional(IsoDateSchema),
  updatedAt: v.optional(IsoDateSchema),
});
export type ImportEntry = v.InferOutput<typeof ImportEntrySchema>;

/** An entry that was not imported, and why, in words for the person importing. */
export const ImportIssueSchema = v.object({
  /** 1-based position of the entry in the file, and its first line when known. */
  entry: v.number(),
  line: v.nullable(v.number()),
  reason: v.string(),
  /** The start of the entry, so the person can find it. */
  excerpt: v.string(),
});
export type ImportIssue = v.InferOutput<typeof ImportIssueSchema>;

export const ImportReportSchema = v.object({
  format: ImportFormatSchema,
  dryRun: v.boolean(),
  /** Entries found in the file: created + duplicates + skipped + errors (a Kindle note merged into its highlight is part of that entry). */
  total: v.number(),
  /** Added (or, in a dry run, that would be added). */
  created: v.number(),
  /** Already in the collection or earlier in the same file (same normalised text and author). */
  duplicates: v.number(),
  /** Left out on purpose (bookmarks, empty highlights, in the trash, …), each with its reason. */
  skipped: v.array(ImportIssueSchema),
  /** Could not be imported (too long, unreadable, …), each with its reason. */
  errors: v.array(ImportIssueSchema),
  /** Imported, but not entirely (e.g. without its image, or without a source link that was not a web address). */
  warnings: v.array(ImportIssueSchema),
  /** Issues beyond LIBRARY.importReportMaxIssues, counted but not listed. */
  omittedIssues: v.number(),
  /** The first LIBRARY.importPreviewSize entries added (or that would be). */
  preview: v.array(ImportEntrySchema),
});
export type ImportReport = v.InferOutput<typeof ImportReportSchema>;

export const ImportEventSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), done: v.number(), total: v.number() }),
  v.object({ type: v.literal('report'), report: ImportReportSchema }),
  v.object({ type: v.literal('error'), error: ErrorBodySchema.entries.error }),
]);
export type ImportEvent = v.InferOutput<typeof ImportEventSchema>;

// ---- Export ------------------------------------------------------------------------------
/** GET /api/export?format=json|csv (json by default): a download of every live reminder. */
export const ExportQuerySchema = contract({
  format: v.optional(v.picklist(['json', 'csv'], 'Format must be json or csv.')),
});

export const ExportedImageSchema = v.object({
  id: v.string(),
  mime: v.string(),
  width: v.number(),
  height: v.number(),
  bytes: v.number(),
  /** Where the image was found on the web, when known. */
  sourceUrl: v.nullable(v.string()),
  /** A signed link to the file, working until `expiresAt` (an import elsewhere fetches it). */
  url: v.nullable(v.string()),
  expiresAt: v.nullable(IsoDateSchema),
});

/** A reminder as exported: its own fields, with its image as a portable reference. */
export const ExportedReminderSchema = v.object({
  ...v.pick(ReminderSchema, [
    'id',
    'text',
    'note',
    'author',
    'sourceUrl',
    'sourceTitle',
    'visibility',
    'favorite',
    'createdAt',
    'updatedAt',
  ]).entries,
  image: v.nullable(ExportedImageSchema),
});
export type ExportedReminder = v.InferOutput<typeof ExportedReminderSchema>;

/** The JSON export, newest first; `format=json` imports read it back. */
export const ExportFileSchema = v.object({
  format: v.literal('remindme'),
  version: v.literal(1),
  exportedAt: IsoDateSchema,
  reminders: v.array(ExportedReminderSchema),
});
export type ExportFile = v.InferOutput<typeof ExportFileSchema>;

// ---- Sharing -----------------------------------------------------------------------------
/** Names that would be confusing or misleading as someone's page. */
export const RESERVED_HANDLES: readonly string[] = [
  'about',
  'account',
  'admin',
  'administrator',
  'api',
  'app',
  'auth',
  'blog',
  'contact',
  'dashboard',
  'docs',
  'export',
  'feed',
  'help',
  'healthz',
  'home',
  'images',
  'import',
  'index',
  'login',
  'logout',
  'me',
  'mod',
  'moderator',
  'new',
  'null',
  'official',
  'owner',
  'privacy',
  'public',
  'readyz',
  'register',
  'remindme',
  'root',
  'security',
  'settings',
  'signin',
  'signup',
  'static',
  'staff',
  'support',
  'sync',
  'system',
  'terms',
  'test',
  'trash',
  'undefined',
  'user',
  'users',
  'www',
];

/** 3–30 of a–z, 0–9, `-` and `_`, starting and ending with a letter or digit; compared lower-cased. */
export const HandleSchema = v.pipe(
  v.string('Handle must be text.'),
  v.trim(),
  v.toLowerCase(),
  v.regex(
    new RegExp(
      `^[a-z0-9](?:[a-z0-9_-]{${LIBRARY.handleMinLength - 2},${LIBRARY.handleMaxLength - 2}})[a-z0-9]$`,
    ),
    `Use ${LIBRARY.handleMinLength}–${LIBRARY.handleMaxLength} letters, digits, "-" or "_", starting and ending with a letter or digit.`,
  ),
  v.check((handle) => !RESERVED_HANDLES.includes(handle), 'That name is reserved. Choose another.'),
);

/** PATCH /api/auth/me {handle} (null removes it) → 200 {user}; a taken handle is 409 `handle_taken`. */
export const UpdateMeInputSchema = v.pipe(
  contract({ handle: v.optional(v.nullable(HandleSchema)) }),
  v.check((input) => Object.keys(input).length > 0, 'Nothing to change.'),
);

/**
 * GET /u/:handle (an HTML page), /u/:handle.json (this, paged with ?cursor=&limit=) and
 * /u/:handle.csv (the newest LIBRARY.publicFeedMaxItems): a person's public reminders.
 * Open to any origin, cacheable with ETag / If-None-Match.
 */
export const PublicFeedQuerySchema = contract({ cursor: cursorParam, limit: limitParam });
export const PublicFeedSchema = v.object({
  handle: v.string(),
  items: v.array(PublicReminderSchema),
  nextCursor: v.nullable(v.string()),
});

// ---- Devices -----------------------------------------------------------------------------
export const DeviceSchema = v.object({
  id: v.string(),
  label: v.nullable(v.string()),
  createdAt: IsoDateSchema,
  /** Refreshed at most once a day (SESSION.refreshAfterMs), so it is "last used" to the day. */
  lastUsedAt: IsoDateSchema,
  expiresAt: IsoDateSchema,
  /** The session making this request. */
  current: v.boolean(),
});
/** GET /api/auth/sessions → {sessions} (most recently used first); DELETE /api/auth/sessions/:id → 204. */
export const DeviceListSchema = v.object({ sessions: v.array(DeviceSchema) });

/**
 * POST /api/auth/password → 204; every other session of mine is signed out. A wrong current
 * password is 403 `wrong_password` (not 401: this session is still valid).
 */
export const ChangePasswordInputSchema = contract({
  currentPassword: v.pipe(
    passwordText(),
    v.nonEmpty('Enter your current password.'),
    v.maxLength(LIMITS.passwordMaxLength, 'Password is too long.'),
  ),
  newPassword: PasswordSchema,
});

export type Device = v.InferOutput<typeof DeviceSchema>;
export type UpdateMeInput = v.InferOutput<typeof UpdateMeInputSchema>;
export type ChangePasswordInput = v.InferOutput<typeof ChangePasswordInputSchema>;
export type PublicFeed = v.InferOutput<typeof PublicFeedSchema>;
export type TrashPage = v.InferOutput<typeof TrashPageSchema>;
