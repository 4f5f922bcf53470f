import type { PublicReminder, Reminder } from '../../shared/schemas/reminders';
import type { ListPosition, ReminderRow, TrashPosition } from './repo';

export function toReminder(row: ReminderRow): Reminder {
  return {
    id: row.id,
    text: row.text,
    note: row.note,
    author: row.author,
    sourceUrl: row.sourceUrl,
    sourceTitle: row.sourceTitle,
    visibility: row.visibility,
    favorite: row.favorite,
    imageId: row.imageId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt ? row.deletedAt.toISOString() : null,
  };
}

export function toPublicReminder(row: ReminderRow): PublicReminder {
  return {
    id: row.id,
    text: row.text,
    note: row.note,
    author: row.author,
    sourceUrl: row.sourceUrl,
    sourceTitle: row.sourceTitle,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Opaque page cursors: base64url of "<createdAt ms>.<id>". */
export function encodeCursor(row: Pick<ReminderRow, 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.createdAt.getTime()}.${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition | null {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/i.exec(decoded);
  if (!match?.[1] || !match[2]) return null;
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

/** Trash cursors: base64url of "<deletedAt ms>.<createdAt ms>.<id>". */
export function encodeTrashCursor(row: Pick<ReminderRow, 'deletedAt' | 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.deletedAt?.getTime() ?? 0}.${row.createdAt.getTime()}.${row.id}`).toString(
    'base64url',
  );
}

export function decodeTrashCursor(cursor: string): TrashPosition | null {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.(\d{1,15})\.([0-9a-f-]{36})$/i.exec(decoded);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  return { deletedAt: new Date(Number(match[1])), createdAt: new Date(Number(match[2])), id: match[3] };
}
