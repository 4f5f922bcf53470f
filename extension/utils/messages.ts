import * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { User } from '../../shared/schemas/auth';
import type { Failure } from './account';
import type { LastSave, NextUp, SyncStatus } from './storage';

/**
 * The protocol between the extension's pages (popup, new tab, options) and the background,
 * which alone talks to the server. Every message is checked on arrival against
 * `MessageSchema`; the request types are inferred from it, and `Responses` maps each
 * message type to what the background answers.
 */

const short = (max: number) => v.pipe(v.string(), v.maxLength(max));
// Generous envelope bounds; the background checks the content with the shared schemas and
// reports per-field errors, so an over-long text still gets a readable refusal.
const TEXT_ENVELOPE_MAX = 1_000_000;

/** Bytes a page stored in IndexedDB (image-db.ts) for the background to upload. */
const StoredImageSchema = v.object({
  key: v.pipe(v.string(), v.uuid()),
  mime: short(200),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type StoredImageRef = v.InferOutput<typeof StoredImageSchema>;

export const MessageSchema = v.variant('type', [
  v.object({ type: v.literal('getState') }),
  v.object({ type: v.literal('setServerUrl'), url: short(4_096) }),
  v.object({ type: v.literal('signUp'), email: short(4_096), password: short(4_096) }),
  v.object({ type: v.literal('signIn'), email: short(4_096), password: short(4_096) }),
  v.object({ type: v.literal('signOut') }),
  v.object({
    type: v.literal('quickAdd'),
    text: short(TEXT_ENVELOPE_MAX),
    author: v.optional(v.nullable(short(4_096))),
    image: v.optional(v.nullable(StoredImageSchema)),
  }),
  /** Attach or replace (`image`) or remove (`null`) the image of a synced reminder. */
  v.object({ type: v.literal('setImage'), id: short(100), image: v.nullable(StoredImageSchema) }),
  v.object({
    type: v.literal('listLatest'),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200))),
  }),
  v.object({ type: v.literal('sync') }),
  v.object({
    type: v.literal('shown'),
    id: short(100),
    /** The tab's screen width in device pixels, so images are fetched at the right size. */
    devicePixels: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20_000))),
  }),
  v.object({ type: v.literal('nextReminder'), currentId: v.nullable(short(100)) }),
  v.object({ type: v.literal('retryFailed'), id: short(100) }),
  v.object({ type: v.literal('dismissFailed'), id: short(100) }),
  /** From the offscreen document, while it uploads for the background. */
  v.object({
    type: v.literal('uploadProgress'),
    uploadId: short(100),
    loaded: v.pipe(v.number(), v.minValue(0)),
    total: v.pipe(v.number(), v.minValue(0)),
  }),
]);

export type Message = v.InferOutput<typeof MessageSchema>;
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

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
