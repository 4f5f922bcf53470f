import { browser } from 'wxt/browser';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_LIMITS, evictImages } from '../../extension/utils/image-cache';
import { cacheKey, getCached, listCacheMeta, putCached, putPending } from '../../extension/utils/image-db';
import { send } from '../../extension/utils/messages';
import { recomputeNextUp } from '../../extension/utils/next-up';
import {
  mirrorItem,
  nextUpItem,
  screenItem,
  serverUrlItem,
  sessionItem,
} from '../../extension/utils/storage';
import { freshBrowser, ok, resetImageStore, startWorker, uniqueEmail } from '../support/extension-harness';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

const PHOTO = readFileSync('/usr/share/backgrounds/mate/nature/FreshFlower.jpg'); // 1600 × 1203

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

/** A signed-in person with one reminder whose image is on the server, synced here. */
async function oneImageReminder() {
  const hooks = await startWorker();
  await serverUrlItem.setValue(server.url);
  ok(await send({ type: 'signUp', email: uniqueEmail(), password: 'correct horse battery' }));
  const key = crypto.randomUUID();
  await putPending(key, { data: new Uint8Array(PHOTO).buffer, mime: 'image/jpeg' });
  const saved = ok(
    await send({ type: 'quickAdd', text: 'Flowers', image: { key, mime: 'image/jpeg', size: PHOTO.length } }),
  );
  await hooks.syncNow();
  const reminder = (await mirrorItem.getValue()).reminders[saved.id];
  if (!reminder?.image) throw new Error('the synced reminder has no image');
  return { hooks, reminder, image: reminder.image };
}

const shownImage = async () => {
  const next = await nextUpItem.getValue();
  return next.status === 'ready' ? (next.reminder.image ?? null) : 'not ready';
};

describe('the new tab image cache', () => {
  beforeEach(async () => {
    await resetImageStore();
    freshBrowser({ selection: null });
    // The image box on this screen is 817 CSS pixels wide (60% of its height × 4:3).
    await screenItem.setValue({ width: 1280, height: 1024, dpr: 1 });
  });

  it('caches, ahead of time, the variant that fits the screen, keyed by image id and width', async () => {
    const { image } = await oneImageReminder();
    const key = cacheKey(image.id, 1280);
    expect((await listCacheMeta()).map((m) => [m.key, m.width, m.height])).toEqual([[key, 1280, 962]]);
    expect(await shownImage()).toEqual({ key, width: 1280, height: 962 });
    const cached = await getCached(key);
    const meta = await sharp(Buffer.from(cached!.data)).metadata();
    // A variant, not the original upload.
    expect([meta.format, meta.width, cached!.mime]).toEqual(['jpeg', 1280, 'image/jpeg']);
    expect(key).not.toContain('sig=');
  });

  it('presents the reminder as text until its image is cached, then adds the image to the same pick', async () => {
    const { hooks, reminder, image } = await oneImageReminder();
    await resetImageStore();
    const { port, dataDir } = server;
    await server.close();
    try {
      const next = await recomputeNextUp();
      expect(next).toMatchObject({ status: 'ready', reminder: { id: reminder.id, image: null } });
      await hooks.prefetchImages();
      expect(await shownImage()).toBeNull();
    } finally {
      server = await startTestServer({ port, dataDir });
    }
    await hooks.prefetchImages();
    expect(await nextUpItem.getValue()).toMatchObject({
      status: 'ready',
      reminder: { id: reminder.id, image: { key: cacheKey(image.id, 1280) } },
    });
  });

  it('shows a cached image offline, never waiting for the network', async () => {
    const { image } = await oneImageReminder();
    const { port, dataDir } = server;
    await server.close();
    try {
      await recomputeNextUp();
      expect(await shownImage()).toEqual({ key: cacheKey(image.id, 1280), width: 1280, height: 962 });
    } finally {
      server = await startTestServer({ port, dataDir });
    }
  });

  it('follows the screen a new tab reports: fetches the size for it and drops the other', async () => {
    const { hooks, reminder, image } = await oneImageReminder();
    // A narrow window: the box is 92% of 600 = 552 pixels wide, so the 640-pixel copy.
    ok(await send({ type: 'shown', id: reminder.id, screen: { width: 600, height: 800, dpr: 1 } }));
    expect(await screenItem.getValue()).toEqual({ width: 600, height: 800, dpr: 1 });
    await hooks.prefetchImages();
    expect((await listCacheMeta()).map((m) => m.key)).toEqual([cacheKey(image.id, 640)]);
    expect(await shownImage()).toMatchObject({ key: cacheKey(image.id, 640), width: 640 });
  });

  it('reads the screen a version-1 install stored (its width in device pixels only)', async () => {
    await browser.storage.local.set({ screen: { devicePixels: 1366 }, screen$: { v: 1 } });
    // A fresh module, as after an update: the item is defined (and migrated) on first use.
    vi.resetModules();
    const { screenItem: updated } = await import('../../extension/utils/storage');
    expect(await updated.getValue()).toEqual({ width: 1366, height: 768, dpr: 1 });
  });

  it('re-signs an expired image URL before downloading', async () => {
    const { hooks, reminder, image } = await oneImageReminder();
    await resetImageStore();
    const expired = {
      ...image,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
      url: image.url.replace(/sig=[^&]+/, 'sig=expired'),
      variants: image.variants.map((v) => ({ ...v, url: v.url.replace(/sig=[^&]+/, 'sig=expired') })),
    };
    const mirror = await mirrorItem.getValue();
    await mirrorItem.setValue({
      ...mirror,
      reminders: { ...mirror.reminders, [reminder.id]: { ...reminder, image: expired } },
    });
    await hooks.prefetchImages();
    expect((await listCacheMeta()).map((m) => m.key)).toEqual([cacheKey(image.id, 1280)]);
  });

  it('evicts the image of a reminder that no longer has it, and the new tab stops showing it', async () => {
    const { hooks, reminder } = await oneImageReminder();
    expect(await listCacheMeta()).toHaveLength(1);
    expect(await send({ type: 'setImage', id: reminder.id, image: null })).toMatchObject({
      ok: true,
      state: 'saved',
    });
    await hooks.prefetchImages();
    expect(await listCacheMeta()).toEqual([]);
    expect(await shownImage()).toBeNull();
  });

  it('forgets cached images on sign-out', async () => {
    await oneImageReminder();
    expect(await listCacheMeta()).toHaveLength(1);
    ok(await send({ type: 'signOut' }));
    expect(await listCacheMeta()).toEqual([]);
    expect(await sessionItem.getValue()).toBeNull();
  });
});

describe('the cache budget', () => {
  beforeEach(async () => {
    await resetImageStore();
  });

  it('evicts the least recently shown first, never what is about to be shown', async () => {
    const count = CACHE_LIMITS.maxEntries + 5;
    const ids = Array.from({ length: count }, (_, i) => `image-${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      const key = cacheKey(id, 640);
      await putCached(
        { key, imageId: id, width: 640, height: 480, size: 10, storedAt: i, usedAt: i },
        { data: new Uint8Array(10).buffer, mime: 'image/jpeg' },
      );
    }
    const protect = new Set([cacheKey('image-00', 640)]);
    const gone = await evictImages({ inUse: new Set(ids), preferred: new Set(), protect });
    expect(gone.sort()).toEqual(
      ['image-01', 'image-02', 'image-03', 'image-04', 'image-05'].map((id) => cacheKey(id, 640)),
    );
    expect(await listCacheMeta()).toHaveLength(CACHE_LIMITS.maxEntries);
  });
});
