import { ownerOf, sameOwner, signedInClient } from './account';
import { CACHE_LIMITS, ensureCached, evictImages, sizeFor } from './image-cache';
import { attachCachedImage } from './next-up';
import { createSingleFlight } from './serial';
import { mirrorItem, nextUpItem, screenItem } from './storage';

/**
 * One prefetch run: downloads the image of the reminder the next new tab will show, and
 * those of the newest image reminders (so what was just saved shows offline too), then
 * gives the prepared reminder its image and evicts what is no longer needed. Runs after a
 * sync and whenever the next pick lacks its image; one run at a time.
 */
async function prefetchOnce(): Promise<{ cached: number; evicted: number }> {
  const client = await signedInClient();
  if (!client) return { cached: 0, evicted: 0 };
  const mirror = await mirrorItem.getValue();
  const mine = sameOwner(mirror.owner, ownerOf(client.session));
  const withImages = mine ? Object.values(mirror.reminders).filter((r) => !r.deletedAt && r.image) : [];
  const screen = await screenItem.getValue();

  const next = await nextUpItem.getValue();
  const first = next.status === 'ready' ? withImages.find((r) => r.id === next.reminder.id) : undefined;
  const newest = [...withImages]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, CACHE_LIMITS.newest);
  const wanted = [...new Set([first, ...newest])].flatMap((r) => (r?.image ? [r.image] : []));

  let cached = 0;
  for (const image of wanted) {
    if (await ensureCached(client.api, image, screen).catch(() => false)) cached++;
  }
  const shown = await attachCachedImage();

  const protect = new Set(wanted.map((image) => sizeFor(image, screen).key));
  if (shown.status === 'ready' && shown.reminder.image) protect.add(shown.reminder.image.key);
  const evicted = await evictImages({
    inUse: new Set(withImages.flatMap((r) => (r.image ? [r.image.id] : []))),
    preferred: new Set(withImages.flatMap((r) => (r.image ? [sizeFor(r.image, screen).key] : []))),
    protect,
  });
  return { cached, evicted: evicted.length };
}

export const prefetchImages = createSingleFlight(prefetchOnce);
