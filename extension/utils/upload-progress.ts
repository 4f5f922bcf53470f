import { createSerialQueue } from './serial';
import { uploadProgressItem, type UploadProgress } from './storage';

/**
 * Writes upload progress where the popup can watch it (session storage, see storage.ts).
 * Writes are spaced out: XHR reports every few kilobytes, the bar needs a few per second.
 */

const WRITE_EVERY_MS = 100;
/** Finished uploads are forgotten after a while; the popup has long shown the outcome. */
const KEEP_MS = 10 * 60_000;

const mutate = createSerialQueue();
const lastWrite = new Map<string, number>();

export function setProgress(
  key: string,
  phase: UploadProgress['phase'],
  loaded = 0,
  total = 0,
  message: string | null = null,
): Promise<void> {
  const now = Date.now();
  if (phase === 'uploading' && now - (lastWrite.get(key) ?? 0) < WRITE_EVERY_MS && loaded < total) {
    return Promise.resolve();
  }
  lastWrite.set(key, now);
  return mutate(async () => {
    const all = await uploadProgressItem.getValue();
    const next: Record<string, UploadProgress> = {};
    for (const [k, p] of Object.entries(all)) if (now - p.at < KEEP_MS) next[k] = p;
    // Done is full in the units the upload counted in (the form's size, not the file's).
    const before = all[key];
    next[key] =
      phase === 'done' && before && before.total > 0
        ? { phase, loaded: before.total, total: before.total, message, at: now }
        : { phase, loaded, total, message, at: now };
    await uploadProgressItem.setValue(next);
  }).catch(() => undefined);
}

/** Progress for one upload: 'uploading' while bytes go out, 'processing' once all are sent. */
export function progressReporter(key: string): (loaded: number, total: number) => void {
  return (loaded, total) => {
    void setProgress(key, loaded >= total && total > 0 ? 'processing' : 'uploading', loaded, total);
  };
}
