import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError, type ApiClient } from './api';
import { deletePending } from './image-db';
import { MissingBytesError, uploadPendingBytes } from './image-upload';
import { deliverLibrary, type Delivered } from './outbox-library';
import { setProgress, progressReporter } from './upload-progress';
import type { CreateEntry, OutboxEntry, PendingImage, Session, SetImageEntry } from './storage';

/**
 * Sends one outbox entry. An entry with an image is two requests: the upload, then the
 * create (or the change of an existing reminder's image) naming the uploaded id. The id is
 * written back to the entry between the two (`remember`), so a retry after a lost answer
 * attaches the image that is already on the server instead of uploading it again.
 */

export type Remember = (id: string, uploadedImageId: string | null) => Promise<void>;

const refused = (code: string, message: string) => new ApiError('refused', 0, code, message);

/** The bytes of a pending image, if any, to delete once the server has it. */
export function pendingKey(image: PendingImage | null | undefined): string | null {
  return image?.kind === 'bytes' ? image.blobKey : null;
}

async function ensureUploaded(
  api: ApiClient,
  session: Session,
  entry: CreateEntry | SetImageEntry,
  remember: Remember,
): Promise<string | null> {
  if (entry.uploadedImageId) return entry.uploadedImageId;
  const image = entry.image;
  if (!image) return null;
  const key = pendingKey(image);
  try {
    const uploaded =
      image.kind === 'bytes'
        ? await uploadPendingBytes(api, session, image, progressReporter(image.blobKey))
        : (await api.uploadImageFromUrl(image.url)).image;
    await remember(entry.id, uploaded.id);
    return uploaded.id;
  } catch (error) {
    const failure = error instanceof MissingBytesError ? refused('image_missing', error.message) : error;
    if (key) {
      const waiting = failure instanceof ApiError && failure.retryable;
      await setProgress(key, waiting ? 'waiting' : 'failed', 0, 0, (failure as Error).message);
    }
    throw failure;
  }
}

async function setReminderImage(
  api: ApiClient,
  reminderId: string,
  imageId: string | null,
): Promise<Reminder> {
  // The change is one field the person just chose: based on the current copy, not a stale one.
  for (let attempt = 0; ; attempt++) {
    const { reminder } = await api.getReminder(reminderId);
    if (reminder.imageId === imageId) return reminder;
    try {
      return (await api.updateReminder(reminderId, { imageId }, reminder.version)).reminder;
    } catch (error) {
      if (attempt === 0 && error instanceof ApiError && error.status === 412) continue;
      throw error;
    }
  }
}

/** The bytes an entry holds in IndexedDB, if any (only creates and image changes have any). */
export const entryImageKey = (entry: OutboxEntry): string | null =>
  entry.kind === 'create' || entry.kind === 'setImage' ? pendingKey(entry.image) : null;

/**
 * Delivers `entry`; resolves with the server's copy of the reminder (or, for a delete, the
 * id that left). Throws ApiError, or ConflictError for an edit that met one made elsewhere.
 */
export async function deliver(
  api: ApiClient,
  session: Session,
  entry: OutboxEntry,
  remember: Remember,
): Promise<Delivered> {
  if (entry.kind !== 'create' && entry.kind !== 'setImage') return deliverLibrary(api, entry);
  return { reminder: await deliverImageOrCreate(api, session, entry, remember) };
}

async function deliverImageOrCreate(
  api: ApiClient,
  session: Session,
  entry: CreateEntry | SetImageEntry,
  remember: Remember,
): Promise<Reminder> {
  const imageId = await ensureUploaded(api, session, entry, remember);
  let reminder: Reminder;
  try {
    reminder =
      entry.kind === 'create'
        ? (await api.createReminder(imageId ? { ...entry.input, imageId } : entry.input)).reminder
        : await setReminderImage(api, entry.reminderId, imageId);
  } catch (error) {
    // The upload is gone from the server (removed while unattached): upload it again.
    if (imageId && error instanceof ApiError && error.fields.imageId) {
      await remember(entry.id, null);
      throw new ApiError('unreachable', error.status, 'image_expired', 'The image has to be sent again.');
    }
    throw error;
  }
  const key = pendingKey(entry.image);
  if (key) {
    const size = entry.image?.kind === 'bytes' ? entry.image.size : 0;
    await setProgress(key, 'done', size, size);
    await deletePending([key]).catch(() => undefined);
  }
  return reminder;
}
