import * as v from 'valibot';
import { VisibilitySchema } from '../../shared/schemas/reminders';
import { emptyParsed, issue, optional, unreadable, type Parsed } from './text';

/**
 * Our own export (ExportFileSchema), or a bare array of such reminders. The file is read
 * leniently — unknown keys are ignored, so an export from a newer version still imports —
 * and each entry on its own: one damaged entry is reported, the others still come in.
 */
const text = v.nullish(v.string());
const EntrySchema = v.object({
  text: v.string('Has no text.'),
  note: text,
  author: text,
  sourceUrl: text,
  sourceTitle: text,
  visibility: v.optional(VisibilitySchema),
  favorite: v.optional(v.boolean('favorite must be true or false.')),
  createdAt: v.optional(v.pipe(v.string(), v.isoTimestamp('createdAt is not a date.'))),
  updatedAt: v.optional(v.pipe(v.string(), v.isoTimestamp('updatedAt is not a date.'))),
  image: v.nullish(
    v.object({ id: v.string(), url: v.nullish(v.string()), sourceUrl: v.nullish(v.string()) }),
  ),
});

export function parseJsonExport(input: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(input);
  } catch {
    throw unreadable('This file is not valid JSON.');
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { reminders?: unknown }).reminders)
      ? (data as { reminders: unknown[] }).reminders
      : null;
  if (!list) throw unreadable('This JSON is not a RemindMe export: it has no "reminders" list.');

  const out = emptyParsed();
  list.forEach((item, index) => {
    const at = { entry: index + 1, line: null };
    const raw = item && typeof item === 'object' ? (item as { text?: unknown }).text : undefined;
    const parsed = v.safeParse(EntrySchema, item);
    if (!parsed.success || typeof raw !== 'string') {
      const reason =
        typeof raw !== 'string' ? 'Has no text.' : (parsed.issues?.[0]?.message ?? 'Not a reminder.');
      out.errors.push(issue(at, reason, typeof raw === 'string' ? raw : undefined));
      return;
    }
    const e = parsed.output;
    out.entries.push({
      at,
      text: e.text,
      note: optional(e.note),
      author: optional(e.author),
      sourceUrl: optional(e.sourceUrl),
      sourceTitle: optional(e.sourceTitle),
      visibility: e.visibility,
      favorite: e.favorite,
      createdAt: e.createdAt && new Date(e.createdAt).toISOString(),
      updatedAt: e.updatedAt && new Date(e.updatedAt).toISOString(),
      image: e.image
        ? { id: e.image.id, url: e.image.url ?? null, sourceUrl: e.image.sourceUrl ?? null }
        : null,
    });
  });
  return out;
}
