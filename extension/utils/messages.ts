import { browser } from 'wxt/browser';
import type { User } from '../../shared/schemas/auth';
import type { Device, ImportReport } from '../../shared/schemas/library';
import type { Reminder, Visibility } from '../../shared/schemas/reminders';
import type { Failure } from './account';
import type { MessageOf, MessageType } from './message-schema';
import type { LastSave, NextUp, SyncStatus } from './storage';

/**
 * The protocol between the extension's pages (popup, new tab, options) and the background,
 * which alone talks to the server. Every message is checked on arrival against
 * `MessageSchema` (message-schema.ts); the request types are inferred from it, and
 * `Responses` maps each message type to what the background answers.
 */

export type { Message, MessageOf, MessageType, StoredImageRef } from './message-schema';

export interface ExtensionState {
  serverUrl: string;
  user: User | null;
  sessionExpiresAt: string | null;
  lastSave: LastSave | null;
  sync: SyncStatus;
  outbox: { pending: number; failed: number };
}

/** One row of "my latest reminders": synced ones and saves still in the outbox. */
export interface LatestItem {
  id: string;
  text: string;
  author: string | null;
  sourceUrl: string | null;
  sourceTitle: string | null;
  createdAt: string;
  status: 'synced' | 'pending' | 'failed';
  /** Why a save failed, or why it is still waiting. */
  reason: string | null;
  /** The reminder has (or, unsent, will have) an image. */
  hasImage: boolean;
  /** A small size to show, while its signed URL is valid; null otherwise. */
  image: LatestImage | null;
  /** A change of this reminder's image still in the outbox. */
  imageChange: {
    entryId: string;
    removing: boolean;
    status: 'pending' | 'failed';
    reason: string | null;
    blobKey: string | null;
  } | null;
  /** The progress key of an unsent save's image upload. */
  uploadKey: string | null;
}

/**
 * One reminder in the library: the server's copy with whatever this device still has to
 * send applied (an edit, a restore), or a new one not yet on the server (`version` null).
 */
export interface LibraryItem extends Omit<LatestItem, 'status'> {
  note: string | null;
  visibility: Visibility;
  favorite: boolean;
  /** The server's version this copy is based on; null until the server has it. */
  version: number | null;
  updatedAt: string;
  /**
   * `pending`: a change waits to be sent; `failed`: the server refused one (`reason`);
   * `conflict`: it changed elsewhere meanwhile and the person chooses (`conflict`).
   */
  status: 'synced' | 'pending' | 'failed' | 'conflict';
  /** The outbox entry to retry, discard or resolve. */
  entryId: string | null;
  /** Both sides of an edit that met a change made elsewhere. */
  conflict: { mine: Reminder; theirs: Reminder } | null;
}

export interface LibraryFilter {
  q?: string;
  visibility?: Visibility;
  favorite?: boolean;
}

/** A reminder in the server's trash, or one this device is about to put there. */
export interface TrashItem {
  id: string;
  text: string;
  author: string | null;
  deletedAt: string;
  /** When the server purges it for good. */
  purgeAt: string;
  /** A delete or restore this device has not sent yet. */
  pending: 'delete' | 'restore' | null;
}

export type ChangeState = 'saved' | 'queued';

export interface LatestImage {
  url: string;
  width: number;
  height: number;
}

export type Result<T extends object = object> = ({ ok: true } & T) | { ok: false; error: Failure };

export interface Responses {
  getState: Result<{ state: ExtensionState }>;
  setServerUrl: Result<{ state: ExtensionState }>;
  signUp: Result<{ state: ExtensionState }>;
  signIn: Result<{ state: ExtensionState }>;
  signOut: Result<{ state: ExtensionState }>;
  quickAdd: Result<{ id: string; state: 'saved' | 'queued'; message: string }>;
  setImage: Result<{ state: 'saved' | 'queued'; message: string }>;
  listLatest: Result<{ items: LatestItem[] }>;
  sync: Result<{ changed: number }>;
  shown: Result;
  nextReminder: Result<{ next: NextUp }>;
  retryFailed: Result;
  dismissFailed: Result;
  uploadProgress: Result;
  listLibrary: Result<{ items: LibraryItem[]; total: number; offset: number; synced: boolean }>;
  searchServer: Result<{ found: number; added: number }>;
  getLibraryItem: Result<{ item: LibraryItem | null }>;
  updateReminder: Result<{ state: ChangeState | 'conflict'; message: string }>;
  deleteReminder: Result<{ state: ChangeState; message: string; undoable: boolean }>;
  restoreReminder: Result<{ state: ChangeState; message: string }>;
  resolveConflict: Result<{ state: ChangeState | 'conflict'; message: string }>;
  listTrash: Result<{ items: TrashItem[]; nextCursor: string | null; offline: boolean }>;
  importFile: Result<{ report: ImportReport }>;
  discardImport: Result;
  exportFile: Result<{ fileName: string; mime: string; text: string }>;
  setHandle: Result<{ state: ExtensionState }>;
  listDevices: Result<{ devices: Device[] }>;
  signOutDevice: Result<{ state: ExtensionState }>;
  changePassword: Result;
}

/** Asks the background. Never rejects: a missing or broken answer becomes a Failure. */
export async function send<T extends MessageType>(message: MessageOf<T>): Promise<Responses[T]> {
  try {
    const response: unknown = await browser.runtime.sendMessage(message);
    if (response && typeof response === 'object' && 'ok' in response) return response as Responses[T];
  } catch {
    // Falls through: the background did not answer (it is starting, or was reloaded).
  }
  return {
    ok: false,
    error: {
      code: 'no_background',
      message: 'RemindMe is not responding. Try again in a moment.',
      fields: {},
    },
  } as Responses[T];
}
