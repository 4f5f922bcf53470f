import { mirrorItem, type Mirror } from './storage';

/**
 * The mirror as the background reads it: from storage once per worker, then from memory.
 * At 10,000 reminders it is megabytes, which Chrome takes hundreds of milliseconds to read
 * (and the popup would wait on every read). The background is its only writer and every
 * write goes through here, so the copy in memory is the stored one. Values are immutable.
 */

let cached: Promise<Mirror> | null = null;

export function readMirror(): Promise<Mirror> {
  if (!cached) {
    const reading = mirrorItem.getValue();
    cached = reading;
    reading.catch(() => {
      if (cached === reading) cached = null;
    });
  }
  return cached;
}

export async function writeMirror(next: Mirror): Promise<void> {
  await mirrorItem.setValue(next);
  cached = Promise.resolve(next);
}

export async function clearMirror(): Promise<void> {
  cached = null;
  await mirrorItem.removeValue();
  cached = null;
}
