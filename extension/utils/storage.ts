import { storage } from 'wxt/utils/storage';
import { DEFAULT_SERVER_URL } from '../../shared/limits';
import type { User } from '../../shared/schemas/auth';
import type { CreateReminderInput, Reminder } from '../../shared/schemas/reminders';

/**
 * Every piece of extension state, defined once. Everything lives in `storage.local`: it
 * survives the service worker being stopped and the browser restarting, and it is never
 * synced to other devices (a session token must not travel through the browser's sync).
 *
 * Values are treated as immutable: `fallback` objects are shared, so code always writes
 * a new value instead of mutating what it read.
 *
 * Each item carries `version: 1`; a later change of shape bumps the version and adds a
 * migration next to the item.
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

/** An unsent change. Only creates today; edits and deletes (issue #4) get their own `kind`. */
export interface OutboxEntry {
  kind: 'create';
  /** The reminder's id, generated here so that repeating the request cannot make a copy. */
  id: string;
  /** null when saved while signed out: the first account signed in to claims it. */
  owner: Owner | null;
  input: CreateReminderInput & { id: string };
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms before which a retry is pointless (exponential backoff). */
  nextAttemptAt: number;
  lastError: { code: string; message: string } | null;
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
