import * as v from 'valibot';

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

export const MessageSchema = v.variant('type', [
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
    /** The tab's screen width in device pixels, so images are fetched at the right size. */
    devicePixels: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20_000))),
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
