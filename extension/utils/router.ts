import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { failureOf, setServerUrl, signIn, signOut, signUp } from './account';
import { refreshBadge } from './feedback';
import { touchCached } from './image-db';
import { changeReminderImage, pendingFromPage } from './image-save';
import { offscreenProgress } from './image-upload';
import { MessageSchema, type Message } from './message-schema';
import type { Responses } from './messages';
import { markShown, recomputeNextUp, takeNext } from './next-up';
import { dispatchLibrary, isLibraryMessage } from './library-router';
import { dismissFailed, flushOutbox, retryFailed } from './outbox';
import { saveReminder } from './save';
import { listLatest, readState } from './snapshot';
import { nextUpItem, screenItem } from './storage';
import { syncIfStale, syncNow } from './sync';

/**
 * Answers the pages. Anything that is not a well-formed message from this extension is
 * refused without doing work: `onMessage` only hears our own pages today, but a content
 * script added later would be running next to untrusted page code.
 */

type AnyResponse = Responses[keyof Responses];

export const SYNC_STALE_MS = 15 * 60_000;

export async function handleMessage(raw: unknown, sender: { id?: string } = {}): Promise<AnyResponse> {
  if (sender.id !== undefined && sender.id !== browser.runtime.id) {
    return refusal('forbidden', 'Messages are only accepted from RemindMe itself.');
  }
  const parsed = v.safeParse(MessageSchema, raw);
  if (!parsed.success) return refusal('bad_message', 'The request was not understood.');
  try {
    return await dispatch(parsed.output);
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

function refusal(code: string, message: string): AnyResponse {
  return { ok: false, error: { code, message, fields: {} } };
}

/** After the account changes: send what waited for it, fetch its reminders, repaint. */
async function afterSignIn(): Promise<void> {
  await flushOutbox({ force: true });
  await syncNow();
  await recomputeNextUp();
  await refreshBadge();
}

async function dispatch(message: Message): Promise<AnyResponse> {
  if (isLibraryMessage(message)) return dispatchLibrary(message);
  switch (message.type) {
    case 'getState':
      return { ok: true, state: await readState() };
    case 'setServerUrl':
      await setServerUrl(message.url);
      await recomputeNextUp();
      return { ok: true, state: await readState() };
    case 'signUp':
      await signUp({ email: message.email, password: message.password });
      await afterSignIn();
      return { ok: true, state: await readState() };
    case 'signIn':
      await signIn({ email: message.email, password: message.password });
      await afterSignIn();
      return { ok: true, state: await readState() };
    case 'signOut':
      await signOut();
      await recomputeNextUp();
      await refreshBadge();
      return { ok: true, state: await readState() };
    case 'quickAdd': {
      const image = message.image ? await pendingFromPage(message.image) : null;
      if (typeof image === 'string')
        return { ok: false, error: { code: 'image_refused', message: image, fields: { image } } };
      const result = await saveReminder({ text: message.text, author: message.author ?? null, image });
      return result.ok
        ? { ok: true, id: result.id, state: result.state, message: result.message }
        : { ok: false, error: result.error };
    }
    case 'setImage':
      return changeReminderImage(message.id, message.image);
    case 'uploadProgress':
      offscreenProgress(message.uploadId, message.loaded, message.total);
      return { ok: true };
    case 'listLatest':
      return { ok: true, items: await listLatest(message.limit ?? 20) };
    case 'sync': {
      void flushOutbox();
      const result = await syncNow();
      // The prepared reminder stays valid when nothing changed (a page opened, that is all).
      if (!result.ok || result.changed > 0) await recomputeNextUp();
      return result.ok ? { ok: true, changed: result.changed } : result;
    }
    case 'shown': {
      const reported = message.screen;
      const known = await screenItem.getValue();
      if (
        reported &&
        (reported.width !== known.width || reported.height !== known.height || reported.dpr !== known.dpr)
      ) {
        await screenItem.setValue(reported);
      }
      const shown = await nextUpItem.getValue();
      if (shown.status === 'ready' && shown.reminder.id === message.id && shown.reminder.image) {
        await touchCached(shown.reminder.image.key).catch(() => undefined);
      }
      await markShown(message.id);
      // The new tab is the natural heartbeat: refresh in the background if it is due.
      void syncIfStale(SYNC_STALE_MS)
        .then((synced) => (synced ? recomputeNextUp() : undefined))
        .catch(() => undefined);
      return { ok: true };
    }
    case 'nextReminder':
      return { ok: true, next: await takeNext(message.currentId) };
    case 'retryFailed':
      await retryFailed(message.id);
      await flushOutbox({ force: true });
      await refreshBadge();
      return { ok: true };
    case 'dismissFailed':
      await dismissFailed(message.id);
      await recomputeNextUp();
      await refreshBadge();
      return { ok: true };
  }
}
