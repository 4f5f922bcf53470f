import { LIMITS } from '../../shared/limits';
import { ownerOf } from './account';
import { previewOf, reportSave } from './feedback';
import { deletePending, hasPending, putPending } from './image-db';
import type { CapturedImage } from './image-capture';
import { imageProblem } from './image-rules';
import type { StoredImageRef } from './messages';
import { recomputeNextUp } from './next-up';
import { enqueueReplacing, flushOutbox } from './outbox';
import { httpSource, saveReminder, type SaveResult } from './save';
import { ownBuffer } from './data-url';
import {
  mirrorItem,
  outboxItem,
  sessionItem,
  setImageEntryId,
  type PendingImage,
  type SetImageEntry,
} from './storage';

/**
 * Image saves. The bytes are stored durably (IndexedDB) before the outbox entry that
 * names them, so a save is either complete on this device or refused as a whole: there is
 * never an entry whose image is missing, nor a half-saved reminder on the server (the
 * reminder is created only after its upload succeeded).
 */

const refusal = (message: string, code = 'image_refused'): SaveResult => ({
  ok: false,
  id: null,
  state: 'refused',
  error: { code, message, fields: {} },
});

/** Reminders need text: the image's own description, else the page's title, else its site. */
export function imageReminderText(alt: string | null, title: string | null, pageUrl: string | null): string {
  const text = alt?.trim() || title?.trim() || hostOf(pageUrl) || 'An image';
  return text.length > LIMITS.textMaxLength ? text.slice(0, LIMITS.textMaxLength) : text;
}

function hostOf(url: string | null): string | null {
  try {
    return url ? `Image from ${new URL(url).hostname}` : null;
  } catch {
    return null;
  }
}

/** A right-click "Save image to RemindMe": the image, where it was found, and the page. */
export async function saveCapturedImage(
  captured: CapturedImage,
  page: { pageUrl: string | null },
): Promise<SaveResult> {
  if (captured.kind === 'failed') {
    await reportSave('refused', { text: '', message: captured.message, reminderId: null });
    return refusal(captured.message, captured.code);
  }
  const text = imageReminderText(captured.alt, captured.title, page.pageUrl);
  const draft = { text, sourceUrl: page.pageUrl, sourceTitle: captured.title };
  if (captured.kind === 'remote') {
    return saveReminder({ ...draft, image: { kind: 'remote', url: captured.url } });
  }
  const problem = imageProblem(captured.mime, captured.bytes.byteLength);
  if (problem) {
    await reportSave('refused', { text, message: problem, reminderId: null });
    return refusal(problem);
  }
  const blobKey = crypto.randomUUID();
  await putPending(blobKey, { data: ownBuffer(captured.bytes), mime: captured.mime });
  const image: PendingImage = {
    kind: 'bytes',
    blobKey,
    mime: captured.mime,
    size: captured.bytes.byteLength,
    sourceUrl: httpSource(captured.sourceUrl),
  };
  const result = await saveReminder({ ...draft, image });
  if (!result.ok && result.state === 'refused') await deletePending([blobKey]).catch(() => undefined);
  return result;
}

/** Checks bytes a page stored for upload (the popup, the attach page). */
export async function pendingFromPage(ref: StoredImageRef): Promise<PendingImage | string> {
  const problem = imageProblem(ref.mime, ref.size);
  if (problem) return problem;
  if (!(await hasPending(ref.key))) return 'The chosen image could not be read. Choose it again.';
  return { kind: 'bytes', blobKey: ref.key, mime: ref.mime, size: ref.size, sourceUrl: null };
}

export type ImageChangeResult =
  | { ok: true; state: 'saved' | 'queued'; message: string }
  | { ok: false; error: { code: string; message: string; fields: Record<string, string> } };

/** Attaches, replaces or (with `ref` null) removes the image of a synced reminder. */
export async function changeReminderImage(
  reminderId: string,
  ref: StoredImageRef | null,
): Promise<ImageChangeResult> {
  const no = (message: string, code = 'image_refused'): ImageChangeResult => ({
    ok: false,
    error: { code, message, fields: {} },
  });
  const session = await sessionItem.getValue();
  if (!session) return no('Sign in to change images.', 'unauthorized');
  const reminder = (await mirrorItem.getValue()).reminders[reminderId];
  if (!reminder || reminder.deletedAt)
    return no('This reminder is not on this device any more.', 'not_found');
  const image = ref ? await pendingFromPage(ref) : null;
  if (typeof image === 'string') return no(image);

  const entry: SetImageEntry = {
    kind: 'setImage',
    id: setImageEntryId(reminderId),
    reminderId,
    image,
    preview: previewOf(reminder.text),
    owner: ownerOf(session),
    createdAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
  };
  await enqueueReplacing(entry);
  await flushOutbox({ force: true });
  const after = (await outboxItem.getValue()).find((e) => e.id === entry.id);
  if (!after) {
    const message = image ? 'Image attached.' : 'Image removed.';
    await reportSave('saved', { text: reminder.text, message, reminderId });
    await recomputeNextUp();
    return { ok: true, state: 'saved', message };
  }
  if (after.status === 'failed') {
    return no(after.lastError?.message ?? 'The server refused it.', after.lastError?.code ?? 'refused');
  }
  const message = image
    ? 'The image is saved on this device and will be attached when your RemindMe server can be reached.'
    : 'The image will be removed when your RemindMe server can be reached.';
  await reportSave('queued', { text: reminder.text, message, reminderId });
  return { ok: true, state: 'queued', message };
}
