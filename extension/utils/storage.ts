import { storage } from 'wxt/utils/storage';
import { DEFAULT_SERVER_URL } from '../../shared/limits';
import type { User } from '../../shared/schemas/auth';
import type { ImportFormat, ImportReport } from '../../shared/schemas/library';
import type { CreateReminderInput, Reminder, Visibility } from '../../shared/schemas/reminders';

/**
 * Every piece of extension state, defined once. Everything lives in `storage.local`: it
 * survives the service worker being stopped and the browser restarting, and it is never
 * synced to other devices (a session token must not travel through the browser's sync).
 *
 * Values are treated as immutable: `fallback` objects are shared, so code always writes
 * a new value instead of mutating what it read.
 *
 * Each item carries `version: 1`; a later change of shape bumps the version and adds a
 * migration next to the item. Fields added since (an outbox entry's `image`, a shown
 * reminder's `image`) are optional or nullable, and new outbox kinds (issue #4: `update`,
 * `delete`, `restore`) only widen the union, so every stored version-1 value is still a
 * valid value and needs no migration.
 *
 * Image bytes are not here: they live in IndexedDB (image-db.ts), referenced by key.
 */

/** Who an outbox entry or the mirror belongs to: a user on a particular server. */
export interface Owner {
  serverUrl: string;
  userId: string;
  email: string;
}

export interface Session {
  token: string;
  user: User;
  expiresAt: string;
  serverUrl: string;
}

/** The local copy of my reminders, so the new tab can pick one offline. */
export interface Mirror {
  owner: Owner | null;
  /** The `since` value for the next `GET /api/sync`; null until the first full sync. */
  cursor: string | null;
  reminders: Record<string, Reminder>;
}

export interface SyncStatus {
  lastSyncedAt: string | null;
  lastError: string | null;
}

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

/** A cached image the new tab can show, read from IndexedDB by `key`. */
export interface ShownImage {
  key: string;
  width: number;
  height: number;
}

/** The few fields the new tab paints; kept small so the new tab reads it in one go. */
export interface ShownReminder {
  id: string;
  text: string;
  author: string | null;
  sourceUrl: string | null;
  sourceTitle: string | null;
  /** Still in the outbox, not yet on the server. */
  pending: boolean;
  /** Present only once the image is in the cache: the new tab never waits for the network. */
  image?: ShownImage | null;
}

export type NextUp =
  | { status: 'signed-out' }
  | { status: 'empty'; synced: boolean }
  | { status: 'ready'; reminder: ShownReminder; poolSize: number };

export type SaveState = 'saved' | 'queued' | 'failed' | 'refused';

export interface LastSave {
  state: SaveState;
  /** The start of the text, so the person recognises which save this was. */
  preview: string;
  message: string;
  reminderId: string | null;
  at: string;
}

export const serverUrlItem = storage.defineItem<string>('local:serverUrl', {
  fallback: DEFAULT_SERVER_URL,
  version: 1,
});

export const sessionItem = storage.defineItem<Session | null>('local:session', {
  fallback: null,
  version: 1,
});

export const mirrorItem = storage.defineItem<Mirror>('local:mirror', {
  fallback: { owner: null, cursor: null, reminders: {} },
  version: 1,
});

export const syncStatusItem = storage.defineItem<SyncStatus>('local:syncStatus', {
  fallback: { lastSyncedAt: null, lastError: null },
  version: 1,
});

export const outboxItem = storage.defineItem<OutboxEntry[]>('local:outbox', {
  fallback: [],
  version: 1,
});

export const nextUpItem = storage.defineItem<NextUp>('local:nextUp', {
  fallback: { status: 'signed-out' },
  version: 1,
});

/** Ids most recently shown on a new tab, newest last, so picks avoid repeats. */
export const recentlyShownItem = storage.defineItem<string[]>('local:recentlyShown', {
  fallback: [],
  version: 1,
});

export const lastSaveItem = storage.defineItem<LastSave | null>('local:lastSave', {
  fallback: null,
  version: 1,
});

/**
 * The new tab's screen width in device pixels (CSS width × devicePixelRatio), as last
 * reported by a new tab: the background cannot see the screen, and it picks which size of
 * an image to fetch ahead of time by it.
 */
export const screenItem = storage.defineItem<{ devicePixels: number }>('local:screen', {
  fallback: { devicePixels: 1920 },
  version: 1,
});

export interface UploadProgress {
  phase: 'waiting' | 'uploading' | 'processing' | 'done' | 'failed';
  loaded: number;
  total: number;
  message: string | null;
  at: number;
}

/**
 * Progress of image uploads by the key the page chose for the bytes (see image-db.ts), so
 * the popup can draw a real progress bar for an upload the background performs, and show
 * it again when reopened. Session storage: in memory only, gone when the browser closes.
 */
export const uploadProgressItem = storage.defineItem<Record<string, UploadProgress>>(
  'session:uploadProgress',
  { fallback: {}, version: 1 },
);

/**
 * Bumped by the background whenever the mirror or the outbox changes, so the popup and the
 * options page know to ask again. Session storage and a number: a page that watched the
 * mirror itself would receive the whole collection (megabytes) with every change.
 */
export const libraryRevisionItem = storage.defineItem<number>('session:libraryRevision', {
  fallback: 0,
  version: 1,
});

export interface ImportProgress {
  /** The import this is about (the key its file was handed over under). */
  key: string;
  format: ImportFormat;
  dryRun: boolean;
  phase: 'sending' | 'importing' | 'done' | 'failed';
  done: number;
  total: number;
  report: ImportReport | null;
  message: string | null;
  at: number;
}

/** The running (or last) import, so the options page shows its progress, also when reopened. */
export const importProgressItem = storage.defineItem<ImportProgress | null>('session:importProgress', {
  fallback: null,
  version: 1,
});
