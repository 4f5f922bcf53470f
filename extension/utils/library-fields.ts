import type { LibraryItem } from './messages';
import type { ReminderFields } from './storage';

/** The fields the library edits, read from an item the way the edit message names them. */
export type EditableFields = ReminderFields;

export const EDITABLE_KEYS = [
  'text',
  'note',
  'author',
  'sourceUrl',
  'sourceTitle',
  'visibility',
  'favorite',
] as const;

export function editableFields(item: Pick<LibraryItem, (typeof EDITABLE_KEYS)[number]>): EditableFields {
  return {
    text: item.text,
    note: item.note,
    author: item.author,
    sourceUrl: item.sourceUrl,
    sourceTitle: item.sourceTitle,
    visibility: item.visibility,
    favorite: item.favorite,
  };
}

/** The start of a text on one line, to name a reminder in a message. */
export function previewText(text: string, max = 40): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
