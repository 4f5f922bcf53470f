import * as v from 'valibot';
import { IMPORT_FORMATS } from '../../shared/schemas/library';
import { VISIBILITIES } from '../../shared/schemas/reminders';

/**
 * The shape of every message a page may send the background, checked on arrival by the
 * router. Kept apart from `send` (messages.ts) so the pages, the new tab above all, do not
 * load the validation library just to ask.
 */

const short = (max: number) => v.pipe(v.string(), v.maxLength(max));
// Generous envelope bounds; the background checks the content with the shared schemas and
// reports per-field errors, so an over-long text still gets a readable refusal.
const TEXT_ENVELOPE_MAX = 1_000_000;

/** Bytes a page stored in IndexedDB (image-db.ts) for the background to upload. */
const StoredImageSchema = v.object({
  key: v.pipe(v.string(), v.uuid()),
  mime: short(200),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type StoredImageRef = v.InferOutput<typeof StoredImageSchema>;

const filter = {
  q: v.optional(short(1_000)),
  visibility: v.optional(v.picklist(VISIBILITIES)),
  favorite: v.optional(v.boolean()),
};

const nullableText = v.optional(v.nullable(short(TEXT_ENVELOPE_MAX)));
/** The editable fields; their content is checked with the shared schema in the background. */
const FieldsSchema = v.strictObject({
  text: v.optional(short(TEXT_ENVELOPE_MAX)),
  note: nullableText,
  author: nullableText,
  sourceUrl: nullableText,
  sourceTitle: nullableText,
  visibility: v.optional(v.picklist(VISIBILITIES)),
  favorite: v.optional(v.boolean()),
});

const count = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));

const libraryMessages = [
  v.object({ type: v.literal('listLibrary'), ...filter, offset: count(10_000_000), limit: count(200) }),
  v.object({ type: v.literal('searchServer'), ...filter, q: short(1_000) }),
  v.object({ type: v.literal('getLibraryItem'), id: short(100) }),
  /** `base`: the values the person saw, for the fields in `patch` (see UpdateEntry). */
  v.object({
    type: v.literal('updateReminder'),
    id: short(100),
    baseVersion: v.nullable(count(1_000_000_000)),
    base: FieldsSchema,
    patch: FieldsSchema,
  }),
  v.object({ type: v.literal('deleteReminder'), id: short(100) }),
  v.object({ type: v.literal('restoreReminder'), id: short(100) }),
  v.object({
    type: v.literal('resolveConflict'),
    entryId: short(100),
    keep: v.picklist(['mine', 'theirs']),
  }),
  v.object({ type: v.literal('listTrash'), cursor: v.optional(short(200)) }),
  /** The file's bytes were stored in IndexedDB under `key` by the options page. */
  v.object({
    type: v.literal('importFile'),
    key: v.pipe(v.string(), v.uuid()),
    format: v.picklist(IMPORT_FORMATS),
    dryRun: v.boolean(),
  }),
  v.object({ type: v.literal('discardImport'), key: v.pipe(v.string(), v.uuid()) }),
  v.object({ type: v.literal('exportFile'), format: v.picklist(['json', 'csv']) }),
  v.object({ type: v.literal('setHandle'), handle: v.nullable(short(200)) }),
  v.object({ type: v.literal('listDevices') }),
  v.object({ type: v.literal('signOutDevice'), id: short(200) }),
  v.object({
    type: v.literal('changePassword'),
    currentPassword: short(4_096),
    newPassword: short(4_096),
  }),
] as const;

export const MessageSchema = v.variant('type', [
  ...libraryMessages,
  v.object({ type: v.literal('getState') }),
  v.object({ type: v.literal('setServerUrl'), url: short(4_096) }),
  v.object({ type: v.literal('signUp'), email: short(4_096), password: short(4_096) }),
  v.object({ type: v.literal('signIn'), email: short(4_096), password: short(4_096) }),
  v.object({ type: v.literal('signOut') }),
  v.object({
    type: v.literal('quickAdd'),
    text: short(TEXT_ENVELOPE_MAX),
    author: v.optional(v.nullable(short(4_096))),
    image: v.optional(v.nullable(StoredImageSchema)),
  }),
  /** Attach or replace (`image`) or remove (`null`) the image of a synced reminder. */
  v.object({ type: v.literal('setImage'), id: short(100), image: v.nullable(StoredImageSchema) }),
  v.object({
    type: v.literal('listLatest'),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200))),
  }),
  v.object({ type: v.literal('sync') }),
  v.object({
    type: v.literal('shown'),
    id: short(100),
    /** The tab's screen (CSS pixels and pixel ratio), so images are fetched at the size they show. */
    screen: v.optional(
      v.object({
        width: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20_000)),
        height: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20_000)),
        dpr: v.pipe(v.number(), v.minValue(0.25), v.maxValue(8)),
      }),
    ),
  }),
  v.object({ type: v.literal('nextReminder'), currentId: v.nullable(short(100)) }),
  v.object({ type: v.literal('retryFailed'), id: short(100) }),
  v.object({ type: v.literal('dismissFailed'), id: short(100) }),
  /** From the offscreen document, while it uploads for the background. */
  v.object({
    type: v.literal('uploadProgress'),
    uploadId: short(100),
    loaded: v.pipe(v.number(), v.minValue(0)),
    total: v.pipe(v.number(), v.minValue(0)),
  }),
]);

export type Message = v.InferOutput<typeof MessageSchema>;
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
