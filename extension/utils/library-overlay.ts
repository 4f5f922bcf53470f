import type { Reminder } from '../../shared/schemas/reminders';
import type {
  CreateEntry,
  DeleteEntry,
  OutboxEntry,
  ReminderFields,
  RestoreEntry,
  SetImageEntry,
  UpdateEntry,
} from './storage';

/**
 * What the outbox still has to tell the server, read as changes to the mirror: the library
 * and the new tab show a reminder the way the person left it (edited, deleted, restored)
 * before the server has heard of it. The mirror itself only ever holds the server's copies.
 */

export interface Overlay {
  creates: CreateEntry[];
  /** Every edit still waiting or refused, per reminder, oldest first. */
  edits: Map<string, UpdateEntry[]>;
  /** The latest delete or restore per reminder: a delete hides it, a restore shows it. */
  lastRemoval: Map<string, DeleteEntry | RestoreEntry>;
  images: Map<string, SetImageEntry>;
}

export function overlayOf(entries: readonly OutboxEntry[]): Overlay {
  const overlay: Overlay = { creates: [], edits: new Map(), lastRemoval: new Map(), images: new Map() };
  for (const entry of entries) {
    switch (entry.kind) {
      case 'create':
        overlay.creates.push(entry);
        break;
      case 'setImage':
        overlay.images.set(entry.reminderId, entry);
        break;
      case 'update':
        overlay.edits.set(entry.reminderId, [...(overlay.edits.get(entry.reminderId) ?? []), entry]);
        break;
      case 'delete':
      case 'restore':
        overlay.lastRemoval.set(entry.reminderId, entry);
        break;
    }
  }
  return overlay;
}

export const isHidden = (overlay: Overlay, id: string): boolean =>
  overlay.lastRemoval.get(id)?.kind === 'delete';

export const fieldsOf = (r: Reminder): ReminderFields => ({
  text: r.text,
  note: r.note,
  author: r.author,
  sourceUrl: r.sourceUrl,
  sourceTitle: r.sourceTitle,
  visibility: r.visibility,
  favorite: r.favorite,
});

export function fieldsOfCreate(entry: CreateEntry): ReminderFields {
  const input = entry.input;
  return {
    text: input.text,
    note: input.note ?? null,
    author: input.author ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sourceTitle: input.sourceTitle ?? null,
    visibility: input.visibility ?? 'private',
    favorite: input.favorite ?? false,
  };
}

/** The fields with every waiting edit applied, in order. */
export function edited(fields: ReminderFields, edits: readonly UpdateEntry[] | undefined): ReminderFields {
  if (!edits?.length) return fields;
  let out = fields;
  for (const edit of edits) out = { ...out, ...edit.patch };
  return out;
}
