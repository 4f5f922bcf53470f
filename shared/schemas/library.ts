import * as v from 'valibot';
import { IsoDateSchema, contract } from './common';
import { PasswordSchema } from './auth';
import { PublicReminderSchema, ReminderSchema, VisibilitySchema } from './reminders';

/**
 * The contract for managing a collection (issue #4): trash, import/export, sharing by
 * handle, and signed-in devices. Limits live in ../limits.ts (LIBRARY).
 */

// ---- Trash -------------------------------------------------------------------------------
// DELETE /api/reminders/:id moves a reminder to the trash (a tombstone with `deletedAt`);
// POST /api/reminders/:id/restore brings it back (200 {reminder}) within LIBRARY.trashDays;
// GET /api/trash?cursor=&limit= lists my trash, most recently deleted first.
export const TrashPageSchema = v.object({
  items: v.array(ReminderSchema),
  nextCursor: v.nullable(v.string()),
});

// ---- Import ------------------------------------------------------------------------------
export const IMPORT_FORMATS = ['fortune', 'csv', 'kindle', 'readwise', 'json'] as const;
export const ImportFormatSchema = v.picklist(IMPORT_FORMATS, 'Format must be one of fortune, csv, kindle, readwise, json.');
export type ImportFormat = v.InferOutput<typeof ImportFormatSchema>;

/** POST /api/import?format=…&dryRun=true|false, the file as the body or multipart `file`. */
export const ImportQuerySchema = contract({
  format: ImportFormatSchema,
  dryRun: v.optional(
    v.pipe(v.picklist(['true', 'false'], 'dryRun must be "true" or "false".'), v.transform((x) => x === 'true')),
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
});
export type ImportEntry = v.InferOutput<typeof ImportEntrySchema>;

export const ImportSkipSchema = v.object({
  /** 1-based position of the entry in the file, and its first line when known. */
  entry: v.number(),
  line: v.nullable(v.number()),
  reason: v.string(),
  excerpt: v.string(),
});

export const ImportReportSchema = v.object({
  format: ImportFormatSchema,
  dryRun: v.boolean(),
  total: v.number(),
  created: v.number(),
  duplicates: v.number(),
  skipped: v.array(ImportSkipSchema),
  /** Dry run: the first entries that would be added, for a preview. */
  preview: v.array(ImportEntrySchema),
});
export type ImportReport = v.InferOutput<typeof ImportReportSchema>;

/**
 * With `Accept: application/x-ndjson` the import answers a stream of lines: progress events
 * while it works, then the report. Without it, the report as plain JSON.
 */
export const ImportEventSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), done: v.number(), total: v.number() }),
  v.object({ type: v.literal('report'), report: ImportReportSchema }),
  v.object({ type: v.literal('error'), error: v.object({ code: v.string(), message: v.string() }) }),
]);
export type ImportEvent = v.InferOutput<typeof ImportEventSchema>;

// ---- Export ------------------------------------------------------------------------------
export const ExportQuerySchema = contract({
  format: v.optional(v.picklist(['json', 'csv'], 'Format must be json or csv.')),
});

/** GET /api/export?format=json: everything needed to rebuild the collection elsewhere. */
export const ExportedReminderSchema = v.object({
  id: v.string(),
  text: v.string(),
  note: v.nullable(v.string()),
  author: v.nullable(v.string()),
  sourceUrl: v.nullable(v.string()),
  sourceTitle: v.nullable(v.string()),
  visibility: VisibilitySchema,
  favorite: v.boolean(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  /** The image as a data: URL or a long-lived link, so an import can bring it back. */
  image: v.nullable(
    v.object({ mime: v.string(), width: v.number(), height: v.number(), sourceUrl: v.nullable(v.string()), dataUrl: v.optional(v.string()), url: v.optional(v.string()) }),
  ),
});
export const ExportFileSchema = v.object({
  format: v.literal('remindme'),
  version: v.literal(1),
  exportedAt: IsoDateSchema,
  reminders: v.array(ExportedReminderSchema),
});
export type ExportFile = v.InferOutput<typeof ExportFileSchema>;

// ---- Sharing -----------------------------------------------------------------------------
/** 3–30 of a–z, 0–9, `-` and `_`, starting with a letter or digit; compared lower-cased. */
export const HandleSchema = v.pipe(
  v.string('Handle must be text.'),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9][a-z0-9_-]{2,29}$/, 'Use 3–30 letters, digits, "-" or "_", starting with a letter or digit.'),
);

/** PATCH /api/auth/me {handle} (null removes it) → {user}. */
export const UpdateMeInputSchema = contract({
  handle: v.nullable(HandleSchema),
});

/** GET /u/:handle (HTML), /u/:handle/feed.json, /u/:handle/feed.csv: public reminders. */
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
  lastUsedAt: IsoDateSchema,
  current: v.boolean(),
});
/** GET /api/auth/sessions → {sessions}; DELETE /api/auth/sessions/:id → 204. */
export const DeviceListSchema = v.object({ sessions: v.array(DeviceSchema) });

/** POST /api/auth/password → 204; every other session of mine is signed out. */
export const ChangePasswordInputSchema = contract({
  currentPassword: v.pipe(v.string('Password must be text.'), v.nonEmpty('Enter your current password.')),
  newPassword: PasswordSchema,
});

export type Device = v.InferOutput<typeof DeviceSchema>;
export type UpdateMeInput = v.InferOutput<typeof UpdateMeInputSchema>;
export type ChangePasswordInput = v.InferOutput<typeof ChangePasswordInputSchema>;
