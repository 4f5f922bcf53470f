import { sameOwner, ownerOf } from './account';
import { cachedImage, requestPrefetch } from './image-cache';
import { listCacheMeta } from './image-db';
import { edited, fieldsOf, fieldsOfCreate, isHidden, overlayOf } from './library-overlay';
import {
  mirrorItem,
  nextUpItem,
  outboxItem,
  recentlyShownItem,
  screenItem,
  sessionItem,
  syncStatusItem,
  type Mirror,
  type NextUp,
  type ShownImage,
  type ShownReminder,
} from './storage';
import { createSerialQueue } from './serial';

/**
 * The new tab must paint without waiting, so the choice of what it shows next is made
 * here, ahead of time, and stored as one small record. Picks avoid whatever was shown
 * recently (up to half the collection), so "another one" never repeats immediately and a
 * small collection still rotates through everything.
 *
 * A reminder with an image is presented with it only once the image is in the cache
 * (image-cache.ts); until then it is presented as text, and the background is asked to
 * fetch the image, which `attachCachedImage` then adds to the record.
 */

const RECENT_LIMIT = 50;

export function pickNext(
  pool: readonly ShownReminder[],
  recent: readonly string[],
  random: () => number = Math.random,
): ShownReminder | null {
  if (pool.length === 0) return null;
  const avoidCount = Math.min(recent.length, Math.max(1, Math.floor(pool.length / 2)));
  const avoid = new Set(recent.slice(recent.length - avoidCount));
  let candidates = pool.filter((r) => !avoid.has(r.id));
  if (candidates.length === 0) candidates = [...pool];
  const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length));
  return candidates[index] ?? null;
}

/** My synced reminders plus my saves still waiting in the outbox (they are mine too). */
export async function currentPool(): Promise<ShownReminder[] | null> {
  return (await poolAndMirror())?.pool ?? null;
}

async function poolAndMirror(): Promise<{ pool: ShownReminder[]; mirror: Mirror } | null> {
  const session = await sessionItem.getValue();
  if (!session) return null;
  const owner = ownerOf(session);
  const [mirror, outbox] = await Promise.all([mirrorItem.getValue(), outboxItem.getValue()]);
  const pool: ShownReminder[] = [];
  const seen = new Set<string>();
  // Shown as the person left them: unsent edits applied, unsent deletes gone.
  const overlay = overlayOf(outbox.filter((e) => !e.owner || sameOwner(e.owner, owner)));
  if (sameOwner(mirror.owner, owner)) {
    for (const r of Object.values(mirror.reminders)) {
      if (r.deletedAt) continue;
      seen.add(r.id);
      if (isHidden(overlay, r.id)) continue;
      const f = edited(fieldsOf(r), overlay.edits.get(r.id));
      pool.push({
        id: r.id,
        text: f.text,
        author: f.author,
        sourceUrl: f.sourceUrl,
        sourceTitle: f.sourceTitle,
        pending: false,
      });
    }
  }
  for (const entry of overlay.creates) {
    if (entry.status !== 'pending' || seen.has(entry.id) || isHidden(overlay, entry.id)) continue;
    const f = edited(fieldsOfCreate(entry), overlay.edits.get(entry.id));
    pool.push({
      id: entry.id,
      text: f.text,
      author: f.author,
      sourceUrl: f.sourceUrl,
      sourceTitle: f.sourceTitle,
      pending: true,
    });
  }
  return { pool, mirror: sameOwner(mirror.owner, owner) ? mirror : { ...mirror, reminders: {} } };
}

const mutateNextUp = createSerialQueue();

/** Something to evict after the last image reminder went. */
const hasAnyCached = () =>
  listCacheMeta().then(
    (all) => all.length > 0,
    () => false,
  );

/** The cached image of a synced reminder, or null when it has none or it is not cached yet. */
async function imageFor(id: string, mirror: Mirror): Promise<ShownImage | null> {
  const image = mirror.reminders[id]?.image;
  if (!image) return null;
  return cachedImage(image, await screenItem.getValue()).catch(() => null);
}

export function recomputeNextUp(random: () => number = Math.random): Promise<NextUp> {
  return mutateNextUp(async () => {
    const found = await poolAndMirror();
    let next: NextUp;
    if (!found) {
      next = { status: 'signed-out' };
    } else {
      const { pool, mirror } = found;
      const picked = pickNext(pool, await recentlyShownItem.getValue(), random);
      const synced = (await syncStatusItem.getValue()).lastSyncedAt !== null;
      next = picked
        ? {
            status: 'ready',
            reminder: { ...picked, image: picked.pending ? null : await imageFor(picked.id, mirror) },
            poolSize: pool.length,
          }
        : { status: 'empty', synced };
      // Keeps the cache in step: fetches what the pick lacks, evicts what nobody uses.
      if (Object.values(mirror.reminders).some((r) => r.image) || (await hasAnyCached())) requestPrefetch();
    }
    await nextUpItem.setValue(next);
    return next;
  });
}

/**
 * After a prefetch: gives the prepared reminder its image if it is now cached, or drops an
 * image that is no longer its own (replaced or removed), without picking another reminder.
 */
export function attachCachedImage(): Promise<NextUp> {
  return mutateNextUp(async () => {
    const next = await nextUpItem.getValue();
    if (next.status !== 'ready' || next.reminder.pending) return next;
    const found = await poolAndMirror();
    const image = found ? await imageFor(next.reminder.id, found.mirror) : null;
    if (image?.key === next.reminder.image?.key) return next;
    const updated: NextUp = { ...next, reminder: { ...next.reminder, image } };
    await nextUpItem.setValue(updated);
    return updated;
  });
}

/** A new tab showed `id`: remember it and prepare a different one for the next tab. */
export async function markShown(id: string): Promise<NextUp> {
  const recent = (await recentlyShownItem.getValue()).filter((r) => r !== id);
  recent.push(id);
  await recentlyShownItem.setValue(recent.slice(-RECENT_LIMIT));
  return recomputeNextUp();
}

/** "Another one": hands out the prepared reminder and prepares the one after it. */
export async function takeNext(currentId: string | null): Promise<NextUp> {
  let next = await nextUpItem.getValue();
  if (next.status !== 'ready' || next.reminder.id === currentId) {
    if (currentId) await markShown(currentId);
    next = await recomputeNextUp();
  }
  if (next.status === 'ready') await markShown(next.reminder.id);
  return next;
}
