import type { CreateReminderInput, Reminder, Visibility } from '../../shared/schemas/reminders';
import type { Owner } from './storage';

/**
 * The shapes of outbox entries (stored in `local:outbox`, see storage.ts). New kinds only
 * widen the union, so every stored entry of an older build stays valid.
 */

export type OutboxStatus = 'pending' | 'failed';

/**
 * An image waiting to go to the server with an outbox entry: bytes captured on this
 * device (in IndexedDB under `blobKey`), or a public address the server fetches itself.
 * `sourceUrl` is where the image was found (an http(s) image address), kept by the server.
 */
export type PendingImage =
  | { kind: 'bytes'; blobKey: string; mime: string; size: number; sourceUrl: string | null }
  | { kind: 'remote'; url: string };

interface OutboxBase {
  /** null when saved while signed out: the first account signed in to claims it. */
  owner: Owner | null;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms before which a retry is pointless (exponential backoff). */
  nextAttemptAt: number;
  lastError: { code: string; message: string } | null;
}

/** A new reminder. Edits and deletes (issue #4) get their own `kind`. */
export interface CreateEntry extends OutboxBase {
  kind: 'create';
  /** The reminder's id, generated here so that repeating the request cannot make a copy. */
  id: string;
  input: CreateReminderInput & { id: string };
  /** Uploaded first, then attached by id in the create. */
  image?: PendingImage | null;
  /** Set once the upload is on the server, so a retry attaches it instead of uploading again. */
  uploadedImageId?: string | null;
}

/** Attach, replace (`image` set) or remove (`image` null) the image of a synced reminder. */
export interface SetImageEntry extends OutboxBase {
  kind: 'setImage';
  /** `setImage:<reminderId>`: a newer change to the same reminder's image replaces this one. */
  id: string;
  reminderId: string;
  image: PendingImage | null;
  uploadedImageId?: string | null;
  /** What the person saw when they chose the image, for messages about it. */
  preview: string;
}

/** The fields a person edits in the library; an update names only those it changes. */
export interface ReminderFields {
  text: string;
  note: string | null;
  author: string | null;
  sourceUrl: string | null;
  sourceTitle: string | null;
  visibility: Visibility;
  favorite: boolean;
}
export type ReminderPatch = Partial<ReminderFields>;

/**
 * An edit (text, note, author, source, visibility, favourite). It carries what it was based
 * on: `baseVersion` goes in If-Match, and `base` (the values the person saw, for the fields
 * in `patch`) tells an edit made elsewhere in the meantime from a field nobody else touched,
 * so a 412 is resolved without asking only when no one's change would be lost.
 */
export interface UpdateEntry extends OutboxBase {
  kind: 'update';
  /** A fresh id per edit; later edits of the same reminder merge into one still waiting. */
  id: string;
  reminderId: string;
  patch: ReminderPatch;
  base: ReminderPatch;
  /** null while the reminder itself is still in the outbox (set once it is created). */
  baseVersion: number | null;
  preview: string;
  /** The server's copy when it changed elsewhere: the person chooses (status `failed`). */
  theirs?: Reminder | null;
}

/** Moves a reminder to the server's trash; repeating it is harmless. */
export interface DeleteEntry extends OutboxBase {
  kind: 'delete';
  id: string;
  reminderId: string;
  preview: string;
  /** The reminder as it was, so an undo can show it again before the server answers. */
  snapshot: Reminder | null;
}

/** Brings a reminder back from the trash (an undo, or Restore in the trash view). */
export interface RestoreEntry extends OutboxBase {
  kind: 'restore';
  id: string;
  reminderId: string;
  preview: string;
  snapshot: Reminder | null;
}

export type LibraryEntry = UpdateEntry | DeleteEntry | RestoreEntry;
export type OutboxEntry = CreateEntry | SetImageEntry | LibraryEntry;

/** The reminder an entry is about: a create is about the reminder it makes. */
export const reminderIdOf = (entry: OutboxEntry): string =>
  entry.kind === 'create' ? entry.id : entry.reminderId;

export const setImageEntryId = (reminderId: string) => `setImage:${reminderId}`;
