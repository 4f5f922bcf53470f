import {
  storage,
  type StorageItemKey,
  type WxtStorageItem,
  type WxtStorageItemOptions,
} from 'wxt/utils/storage';
import { DEFAULT_SERVER_URL } from '../../shared/limits';
import type { User } from '../../shared/schemas/auth';
import type { ImportFormat, ImportReport } from '../../shared/schemas/library';
import type { ScreenSize } from '../../shared/schemas/images';
import type { Reminder } from '../../shared/schemas/reminders';

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

export * from './outbox-entries';
import type { OutboxEntry } from './outbox-entries';

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

/**
 * Defines an item on first use, not when this module loads: WXT reads an item's whole
 * stored value as soon as it is defined, the mirror is megabytes at 10,000 reminders, and
 * every page importing this module (the new tab first of all) would read it for nothing.
 * Marked free of side effects, so a page's bundle leaves out the items it never uses.
 */
/*#__NO_SIDE_EFFECTS__*/
function item<T>(key: StorageItemKey, options: WxtStorageItemOptions<T> & { fallback: T }) {
  let defined: WxtStorageItem<T, Record<string, never>> | undefined;
  const real = () => (defined ??= storage.defineItem<T, Record<string, never>>(key, options));
  return new Proxy({} as WxtStorageItem<T, Record<string, never>>, {
    get(_target, prop) {
      const value: unknown = Reflect.get(real(), prop);
      return typeof value === 'function' ? value.bind(real()) : value;
    },
  });
}

export const serverUrlItem = item<string>('local:serverUrl', {
  fallback: DEFAULT_SERVER_URL,
  version: 1,
});

export const sessionItem = item<Session | null>('local:session', {
  fallback: null,
  version: 1,
});

export const mirrorItem = item<Mirror>('local:mirror', {
  fallback: { owner: null, cursor: null, reminders: {} },
  version: 1,
});

export const syncStatusItem = item<SyncStatus>('local:syncStatus', {
  fallback: { lastSyncedAt: null, lastError: null },
  version: 1,
});

export const outboxItem = item<OutboxEntry[]>('local:outbox', {
  fallback: [],
  version: 1,
});

export const nextUpItem = item<NextUp>('local:nextUp', {
  fallback: { status: 'signed-out' },
  version: 1,
});

/** Ids most recently shown on a new tab, newest last, so picks avoid repeats. */
export const recentlyShownItem = item<string[]>('local:recentlyShown', {
  fallback: [],
  version: 1,
});

export const lastSaveItem = item<LastSave | null>('local:lastSave', {
  fallback: null,
  version: 1,
});

/**
 * The new tab's screen (CSS pixels and devicePixelRatio), as last reported by a new tab:
 * the background cannot see the screen, and it picks which size of an image to fetch ahead
 * of time by the image box it gives (`newTabImagePixels`). Version 1 held only the width in
 * device pixels.
 */
export const screenItem = item<ScreenSize>('local:screen', {
  fallback: { width: 1920, height: 1080, dpr: 1 },
  version: 2,
  migrations: {
    2: (old: { devicePixels?: number }): ScreenSize => {
      const width = old?.devicePixels && old.devicePixels > 0 ? old.devicePixels : 1920;
      return { width, height: Math.round((width * 9) / 16), dpr: 1 };
    },
  },
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
export const uploadProgressItem = item<Record<string, UploadProgress>>('session:uploadProgress', {
  fallback: {},
  version: 1,
});

/**
 * Bumped by the background whenever the mirror or the outbox changes, so the popup and the
 * options page know to ask again. Session storage and a number: a page that watched the
 * mirror itself would receive the whole collection (megabytes) with every change.
 */
export const libraryRevisionItem = item<number>('session:libraryRevision', {
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
export const importProgressItem = item<ImportProgress | null>('session:importProgress', {
  fallback: null,
  version: 1,
});
