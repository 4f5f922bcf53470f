import { browser } from 'wxt/browser';
import { deletePending, putPending } from './image-db';
import { imageProblem } from './image-rules';
import type { StoredImageRef } from './messages';
import { uploadProgressItem, type UploadProgress } from './storage';

/**
 * An image a person is choosing in a page (popup, attach page): from a file picker, a
 * drop or a paste; checked at once against the shared limits for a fast, readable error;
 * previewed from the local file. `store()` hands the bytes to the background through
 * IndexedDB (messages carry JSON only) and from then on `progress` follows the upload the
 * background performs.
 */
export class ImageChoice {
  file = $state<File | null>(null);
  previewUrl = $state<string | null>(null);
  error = $state<string | null>(null);
  progress = $state<UploadProgress | null>(null);
  private stopWatching: (() => void) | null = null;

  choose(file: File | null | undefined): void {
    if (!file) return;
    const problem = imageProblem(file.type, file.size);
    if (problem) {
      this.error = problem;
      return;
    }
    this.clear();
    this.file = file;
    this.previewUrl = URL.createObjectURL(file);
  }

  /** The first image among pasted or dropped items, if any. */
  chooseFrom(data: DataTransfer | null): boolean {
    const files = Array.from(data?.files ?? []);
    const file = files.find((f) => f.type.startsWith('image/')) ?? files[0];
    if (!file) return false;
    this.choose(file);
    return true;
  }

  clear(): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.file = null;
    this.previewUrl = null;
    this.error = null;
    this.progress = null;
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /** Stores the bytes for the background; returns what to name them by in the message. */
  async store(): Promise<StoredImageRef | null> {
    const file = this.file;
    if (!file) return null;
    const key = crypto.randomUUID();
    try {
      await putPending(key, { data: await file.arrayBuffer(), mime: file.type });
    } catch {
      this.error = 'The image could not be stored on this device (is the disk full?).';
      return null;
    }
    this.progress = { phase: 'waiting', loaded: 0, total: file.size, message: null, at: Date.now() };
    this.stopWatching?.();
    this.stopWatching = uploadProgressItem.watch((all) => {
      const p = all?.[key];
      if (p) this.progress = p;
    });
    return { key, mime: file.type, size: file.size };
  }

  /**
   * Bytes stored for a save the background refused before queueing it (a bad type, no
   * text). Never after an unanswered message: the save may have been queued after all,
   * and the background sweeps bytes that nothing names.
   */
  async discard(ref: StoredImageRef): Promise<void> {
    await deletePending([ref.key]).catch(() => undefined);
  }
}

/**
 * Firefox closes the popup as soon as a file picker opens, taking the choice with it, so
 * there the picker lives in a tab of its own (attach.html).
 */
export const pickerNeedsTab = (inPopup: boolean) => inPopup && import.meta.env.FIREFOX;

export async function openAttachTab(reminderId: string | null): Promise<void> {
  const url =
    browser.runtime.getURL('/attach.html') +
    (reminderId ? `?reminder=${encodeURIComponent(reminderId)}` : '');
  await browser.tabs.create({ url });
  window.close();
}
