import {
  newTabImagePixels,
  pickImageVariant,
  type Image,
  type ScreenSize,
} from '../../shared/schemas/images';
import type { ApiClient } from './api';
import { cacheKey, deleteCached, getCacheMeta, listCacheMeta, putCached, type CacheMeta } from './image-db';
import type { ShownImage } from './storage';

/**
 * The new tab's image cache, filled by the background ahead of time so a new tab shows an
 * image from IndexedDB and never waits for the network (offline too).
 *
 * - Which size: the variant for the image box on the screen a new tab reported
 *   (`newTabImagePixels`: the box's CSS width × pixel ratio), never the original upload.
 * - Keyed by image id and width, never by the signed URL: its query string changes as
 *   URLs are re-signed, and an expired URL is refreshed (`GET /api/images/:id`) before use.
 * - Bounded: entries for images no reminder uses any more are evicted, then the least
 *   recently shown ones until the cache is within its entry and byte budget.
 */

export const CACHE_LIMITS = {
  maxEntries: 40,
  maxBytes: 64 * 1024 * 1024,
  /** The newest image reminders are kept ready, so what was just saved shows offline. */
  newest: 6,
  /** A URL this close to expiring is refreshed before it is used. */
  refreshBeforeMs: 60_000,
} as const;

export interface SizedImage {
  key: string;
  width: number;
  height: number;
  url: string;
}

/** The size to fetch for the image box on this screen, with the height it will have. */
export function sizeFor(image: Image, screen: ScreenSize): SizedImage {
  const variant = pickImageVariant(image, newTabImagePixels(screen, image));
  const height = Math.max(1, Math.round((image.height * variant.width) / Math.max(1, image.width)));
  return { key: cacheKey(image.id, variant.width), width: variant.width, height, url: variant.url };
}

/**
 * What the new tab can show for `image` now: the size for this screen if cached, else any
 * cached size of it (the screen changed; better a slightly wrong size than none); null when
 * nothing is cached yet.
 */
export async function cachedImage(image: Image, screen: ScreenSize): Promise<ShownImage | null> {
  const wanted = sizeFor(image, screen);
  const exact = await getCacheMeta(wanted.key);
  if (exact) return { key: exact.key, width: exact.width, height: exact.height };
  const other = (await listCacheMeta()).find((m) => m.imageId === image.id);
  return other ? { key: other.key, width: other.width, height: other.height } : null;
}

/** Images are served with these types only; anything else is an error page. */
const IMAGE_TYPE = /^image\/(jpeg|png|webp|gif|avif)\b/i;

async function download(url: string): Promise<{ data: ArrayBuffer; mime: string } | 'denied' | null> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(30_000) });
  } catch {
    return null;
  }
  if (response.status === 403 || response.status === 404) return 'denied';
  const mime = response.headers.get('content-type') ?? '';
  if (!response.ok || !IMAGE_TYPE.test(mime)) return null;
  try {
    return { data: await response.arrayBuffer(), mime: mime.split(';')[0] ?? mime };
  } catch {
    return null;
  }
}

/**
 * Makes sure the size of `image` for this screen is cached. Returns whether it is. An
 * expired or refused URL is re-signed once by asking the server for the image again.
 */
export async function ensureCached(api: ApiClient, image: Image, screen: ScreenSize): Promise<boolean> {
  let current = image;
  let sized = sizeFor(current, screen);
  if (await getCacheMeta(sized.key)) return true;
  let refreshed = false;
  const refresh = async (): Promise<boolean> => {
    if (refreshed) return false;
    refreshed = true;
    try {
      current = (await api.getImage(image.id)).image;
    } catch {
      return false;
    }
    sized = sizeFor(current, screen);
    return true;
  };
  if (Date.parse(current.expiresAt) - Date.now() < CACHE_LIMITS.refreshBeforeMs && !(await refresh())) {
    return false;
  }
  let got = await download(sized.url);
  if (got === 'denied' && (await refresh())) got = await download(sized.url);
  if (!got || got === 'denied') return false;
  const now = Date.now();
  const meta: CacheMeta = {
    key: sized.key,
    imageId: current.id,
    width: sized.width,
    height: sized.height,
    size: got.data.byteLength,
    storedAt: now,
    usedAt: now,
  };
  await putCached(meta, got);
  return true;
}

/**
 * Evicts what is no longer needed: sizes of images no reminder uses (`inUse`), other sizes
 * of an image whose size for this screen is cached (`preferred`), then the least recently
 * used until within budget. `protect` (what the new tab is about to show) is never evicted.
 */
export async function evictImages(options: {
  inUse: ReadonlySet<string>;
  preferred: ReadonlySet<string>;
  protect: ReadonlySet<string>;
}): Promise<string[]> {
  const all = await listCacheMeta();
  const gone = new Set<string>();
  const preferredImages = new Set(all.filter((m) => options.preferred.has(m.key)).map((m) => m.imageId));
  for (const meta of all) {
    if (options.protect.has(meta.key)) continue;
    if (!options.inUse.has(meta.imageId)) gone.add(meta.key);
    else if (preferredImages.has(meta.imageId) && !options.preferred.has(meta.key)) gone.add(meta.key);
  }
  const left = all.filter((m) => !gone.has(m.key)).sort((a, b) => a.usedAt - b.usedAt);
  let entries = left.length;
  let bytes = left.reduce((sum, m) => sum + m.size, 0);
  for (const meta of left) {
    if (entries <= CACHE_LIMITS.maxEntries && bytes <= CACHE_LIMITS.maxBytes) break;
    if (options.protect.has(meta.key)) continue;
    gone.add(meta.key);
    entries--;
    bytes -= meta.size;
  }
  await deleteCached([...gone]);
  return [...gone];
}

let prefetchHandler: () => void = () => undefined;

/** The background wires this to its prefetch run (image-prefetch.ts). */
export function onPrefetchRequested(handler: () => void): void {
  prefetchHandler = handler;
}

/** Asks for a prefetch run soon (the next reminder has an image that is not cached yet). */
export function requestPrefetch(): void {
  prefetchHandler();
}
