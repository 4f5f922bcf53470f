import * as v from 'valibot';
import { LIBRARY, LIMITS } from '../limits';
import { HttpUrlSchema, IsoDateSchema, UuidSchema, boundedText, contract, hasVisibleText } from './common';
import { ImageSchema } from './images';

export const VISIBILITIES = ['private', 'public'] as const;
export const VisibilitySchema = v.picklist(VISIBILITIES, 'Visibility must be "private" or "public".');
export type Visibility = v.InferOutput<typeof VisibilitySchema>;

export const ReminderTextSchema = v.pipe(
  boundedText('Text', LIMITS.textMaxLength),
  v.check(hasVisibleText, 'Text is required.'),
);

const note = boundedText('Note', LIMITS.noteMaxLength);
const author = boundedText('Author', LIMITS.authorMaxLength);
const sourceUrl = HttpUrlSchema('Source URL', LIMITS.sourceUrlMaxLength);
const sourceTitle = boundedText('Source title', LIMITS.sourceTitleMaxLength);

export const CreateReminderInputSchema = contract({
  id: v.optional(UuidSchema),
  text: ReminderTextSchema,
  note: v.optional(v.nullable(note)),
  author: v.optional(v.nullable(author)),
  sourceUrl: v.optional(v.nullable(sourceUrl)),
  sourceTitle: v.optional(v.nullable(sourceTitle)),
  visibility: v.optional(VisibilitySchema),
  favorite: v.optional(v.boolean('Favorite must be true or false.')),
  imageId: v.optional(v.nullable(UuidSchema)),
});

/** Every field optional; `null` clears a field. At least one field must be present. */
export const UpdateReminderInputSchema = v.pipe(
  contract({
    text: v.optional(ReminderTextSchema),
    note: v.optional(v.nullable(note)),
    author: v.optional(v.nullable(author)),
    sourceUrl: v.optional(v.nullable(sourceUrl)),
    sourceTitle: v.optional(v.nullable(sourceTitle)),
    visibility: v.optional(VisibilitySchema),
    favorite: v.optional(v.boolean('Favorite must be true or false.')),
    imageId: v.optional(v.nullable(UuidSchema)),
  }),
  v.check((input) => Object.keys(input).length > 0, 'Nothing to change.'),
);

const booleanParam = v.pipe(
  v.picklist(['true', 'false'], 'Must be "true" or "false".'),
  v.transform((value) => value === 'true'),
);

const limitParam = (max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,4}$/, 'Limit must be a whole number.'),
    v.transform(Number),
    v.minValue(1, 'Limit must be at least 1.'),
    v.maxValue(max, `Limit must be at most ${max}.`),
  );

export const ListRemindersQuerySchema = contract({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200, 'Cursor is not valid.'))),
  limit: v.optional(limitParam(LIMITS.pageSizeMax)),
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LIBRARY.searchMaxLength, 'Search is too long.'))),
  visibility: v.optional(VisibilitySchema),
  favorite: v.optional(booleanParam),
});

export const SyncQuerySchema = contract({
  since: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'Cursor is not valid.'))),
  limit: v.optional(limitParam(LIMITS.syncPageSizeMax)),
});

export const PublicListQuerySchema = contract({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200, 'Cursor is not valid.'))),
  limit: v.optional(limitParam(LIMITS.pageSizeMax)),
});

export const ReminderSchema = v.object({
  id: v.string(),
  text: v.string(),
  note: v.nullable(v.string()),
  author: v.nullable(v.string()),
  sourceUrl: v.nullable(v.string()),
  sourceTitle: v.nullable(v.string()),
  visibility: VisibilitySchema,
  favorite: v.boolean(),
  imageId: v.nullable(v.string()),
  /** What the new tab needs to show `imageId` (signed URLs, sizes); null when there is none. */
  image: v.optional(v.nullable(ImageSchema)),
  version: v.number(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  deletedAt: v.nullable(IsoDateSchema),
});

export const PublicReminderSchema = v.object({
  id: v.string(),
  text: v.string(),
  note: v.nullable(v.string()),
  author: v.nullable(v.string()),
  sourceUrl: v.nullable(v.string()),
  sourceTitle: v.nullable(v.string()),
  createdAt: IsoDateSchema,
});

export const ReminderResponseSchema = v.object({ reminder: ReminderSchema });
export const ReminderPageSchema = v.object({
  items: v.array(ReminderSchema),
  nextCursor: v.nullable(v.string()),
});
export const SyncResponseSchema = v.object({
  changes: v.array(ReminderSchema),
  cursor: v.string(),
  hasMore: v.boolean(),
});
export const PublicReminderPageSchema = v.object({
  items: v.array(PublicReminderSchema),
  nextCursor: v.nullable(v.string()),
});
export const PublicReminderResponseSchema = v.object({ reminder: PublicReminderSchema });

export type CreateReminderInput = v.InferOutput<typeof CreateReminderInputSchema>;
export type UpdateReminderInput = v.InferOutput<typeof UpdateReminderInputSchema>;
export type ListRemindersQuery = v.InferOutput<typeof ListRemindersQuerySchema>;
export type SyncQuery = v.InferOutput<typeof SyncQuerySchema>;
export type Reminder = v.InferOutput<typeof ReminderSchema>;
export type PublicReminder = v.InferOutput<typeof PublicReminderSchema>;
export type ReminderPage = v.InferOutput<typeof ReminderPageSchema>;
export type SyncResponse = v.InferOutput<typeof SyncResponseSchema>;
