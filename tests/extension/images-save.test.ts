import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MENU_SAVE_IMAGE } from '../../extension/utils/context-menu';
import { getPending, listPendingKeys, putPending } from '../../extension/utils/image-db';
import { send } from '../../extension/utils/messages';
import { lastSaveItem, outboxItem, serverUrlItem, sessionItem } from '../../extension/utils/storage';
import type { Reminder } from '../../shared/schemas/reminders';
import {
  apiCall,
  freshBrowser,
  ok,
  queuedCreates,
  resetImageStore,
  startWorker,
  uniqueEmail,
} from '../support/extension-harness';
import { startRecordingProxy } from '../support/proxy';
import type { FakePage } from '../support/extension-fakes';
import { fixture } from '../support/image-fixtures';
import { serveDirectory } from '../support/static-server';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

const PHOTOS = '/usr/share/backgrounds/mate/nature';
const PHOTO = readFileSync(`${PHOTOS}/FreshFlower.jpg`);
const PAGE = { id: 9, url: 'http://127.0.0.1/gallery.html', title: 'Flowers of the field' };

let server: TestServer;
let running = false;
let photos: { url: string; close(): Promise<void> };
// Test configuration only: the server may fetch `{url}` images from the loopback photo server.
const IMAGES_CONFIG = { remoteFetch: { allowLoopback: true } };
beforeAll(async () => {
  server = await startTestServer({ images: IMAGES_CONFIG });
  running = true;
  photos = await serveDirectory(PHOTOS);
});

async function stopServer() {
  await server.close();
  running = false;
}
/** The same server (port, data) back again. */
async function restartServer() {
  if (running) return;
  server = await startTestServer({ port: server.port, dataDir: server.dataDir, images: IMAGES_CONFIG });
  running = true;
}
afterAll(async () => {
  await photos.close();
  await server.close();
  await removeDataDir(server);
});

const pageReads =
  (bytes: Buffer, mime: string): FakePage['image'] =>
  () => ({
    status: 'ok',
    base64: bytes.toString('base64'),
    mime,
    size: bytes.length,
    alt: 'White flowers',
    title: PAGE.title,
  });

async function signUp(url: string) {
  await serverUrlItem.setValue(url);
  ok(await send({ type: 'signUp', email: uniqueEmail(), password: 'correct horse battery' }));
  const session = await sessionItem.getValue();
  if (!session) throw new Error('no session after sign-up');
  return session;
}

const saveImage = (hooks: Awaited<ReturnType<typeof startWorker>>, srcUrl: string) =>
  hooks.handleMenuClick({ menuItemId: MENU_SAVE_IMAGE, srcUrl, pageUrl: PAGE.url, frameId: 0 }, PAGE);

async function remindersOf(url: string, token: string): Promise<Reminder[]> {
  const { json } = await apiCall<{ items: Reminder[] }>(url, token, 'GET', '/api/reminders?limit=200');
  return json.items;
}

describe('saving an image from the context menu', () => {
  beforeEach(async () => {
    await resetImageStore();
  });

  it('uploads the bytes the page read, then creates the reminder with the image and the page', async () => {
    freshBrowser({ selection: null, image: pageReads(PHOTO, 'image/jpeg') });
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const src = `${photos.url}/FreshFlower.jpg`;

    const result = await saveImage(hooks, src);
    expect(result).toMatchObject({ ok: true, state: 'saved' });
    const [reminder] = await remindersOf(server.url, session.token);
    expect(reminder).toMatchObject({ text: 'White flowers', sourceUrl: PAGE.url, sourceTitle: PAGE.title });
    expect(reminder?.image).toMatchObject({ mime: 'image/jpeg', width: 1600, height: 1203, sourceUrl: src });
    expect(reminder?.image?.variants.map((v) => v.width)).toEqual([640, 1280]);
    // Nothing left behind on this device once the server has it.
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await listPendingKeys()).toEqual([]);
  });

  it('keeps an image saved offline, through a worker restart, and delivers it exactly once', async () => {
    const proxy = await startRecordingProxy(server.url);
    try {
      freshBrowser({ selection: null, image: pageReads(PHOTO, 'image/jpeg') });
      let hooks = await startWorker();
      const session = await signUp(proxy.url);
      await stopServer();

      const result = await saveImage(hooks, 'blob:http://127.0.0.1/5d1e');
      expect(result).toMatchObject({ ok: true, state: 'queued' });
      const [queued] = await queuedCreates();
      expect(queued?.image).toMatchObject({
        kind: 'bytes',
        mime: 'image/jpeg',
        size: PHOTO.length,
        sourceUrl: null,
      });
      const key = queued?.image?.kind === 'bytes' ? queued.image.blobKey : '';
      expect(Buffer.from((await getPending(key))!.data).equals(PHOTO)).toBe(true);

      hooks = await startWorker();
      await restartServer();
      proxy.requests.length = 0;
      await hooks.flushOutbox();
      await hooks.flushOutbox();
      const posts = proxy.requests.filter((r) => r.method === 'POST').map((r) => r.path);
      expect(posts).toEqual(['/api/images', '/api/reminders']);
      const onServer = await remindersOf(server.url, session.token);
      expect(onServer.map((r) => [r.id, r.text, !!r.imageId])).toEqual([[queued?.id, 'White flowers', true]]);
      expect(await outboxItem.getValue()).toEqual([]);
      expect(await getPending(key)).toBeUndefined();
      expect(await lastSaveItem.getValue()).toMatchObject({ state: 'saved', reminderId: queued?.id });
    } finally {
      await restartServer();
      await proxy.close();
    }
  });

  it('attaches an upload that already reached the server instead of uploading again', async () => {
    const proxy = await startRecordingProxy(server.url);
    try {
      freshBrowser({ selection: null, image: pageReads(PHOTO, 'image/jpeg') });
      const hooks = await startWorker();
      const session = await signUp(proxy.url);
      await stopServer();
      expect(await saveImage(hooks, `${photos.url}/FreshFlower.jpg`)).toMatchObject({ state: 'queued' });
      await restartServer();
      // The upload got through but its answer was lost: the entry knows the uploaded id.
      const form = new FormData();
      form.append('file', new Blob([PHOTO], { type: 'image/jpeg' }), 'x.jpg');
      const uploaded = await fetch(`${server.url}/api/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}` },
        body: form,
      });
      const imageId = ((await uploaded.json()) as { image: { id: string } }).image.id;
      await outboxItem.setValue(
        (await outboxItem.getValue()).map((e) => ({ ...e, uploadedImageId: imageId })),
      );

      proxy.requests.length = 0;
      await hooks.flushOutbox();
      expect(proxy.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
        '/api/reminders',
      ]);
      const [reminder] = await remindersOf(server.url, session.token);
      expect(reminder?.imageId).toBe(imageId);
    } finally {
      await restartServer();
      await proxy.close();
    }
  });

  it('has the server fetch a public image the page could not read', async () => {
    freshBrowser({ selection: null, image: () => ({ status: 'unreadable', alt: null, title: PAGE.title }) });
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const src = `${photos.url}/FreshFlower.jpg`;
    expect(await saveImage(hooks, src)).toMatchObject({ ok: true, state: 'saved' });
    const [reminder] = await remindersOf(server.url, session.token);
    expect(reminder).toMatchObject({ text: PAGE.title, sourceUrl: PAGE.url });
    expect(reminder?.image).toMatchObject({ width: 1600, sourceUrl: src });
  });

  it('keeps a save the server refuses (not an image) visible as failed, with its bytes, until discarded', async () => {
    const html = readFileSync(fixture('not-an-image.png'));
    freshBrowser({ selection: null, image: pageReads(html, 'image/png') });
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const result = await saveImage(hooks, `${photos.url}/not-there.png`);
    expect(result).toMatchObject({ ok: false, state: 'failed', error: { code: 'unsupported_media_type' } });
    const [failed] = await queuedCreates();
    expect(failed).toMatchObject({ status: 'failed', lastError: { code: 'unsupported_media_type' } });
    expect(await lastSaveItem.getValue()).toMatchObject({ state: 'failed' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await remindersOf(server.url, session.token)).toEqual([]);
    expect(await listPendingKeys()).toHaveLength(1);

    ok(await send({ type: 'dismissFailed', id: failed!.id }));
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await listPendingKeys()).toEqual([]);
  });

  it('says so and saves nothing when the image cannot be captured (a revoked blob:)', async () => {
    freshBrowser({ selection: null, image: () => ({ status: 'unreadable', alt: null, title: PAGE.title }) });
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const result = await saveImage(hooks, 'blob:http://127.0.0.1/revoked');
    expect(result).toMatchObject({ ok: false, state: 'refused', error: { code: 'unreadable' } });
    expect(await lastSaveItem.getValue()).toMatchObject({
      state: 'refused',
      message: expect.stringMatching(/blob:/),
    });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await listPendingKeys()).toEqual([]);
    expect(await remindersOf(server.url, session.token)).toEqual([]);
  });

  it('sweeps image bytes that no save names once they are an hour old, and keeps the rest', async () => {
    freshBrowser({ selection: null, image: pageReads(PHOTO, 'image/jpeg') });
    const hooks = await startWorker();
    await signUp(server.url);
    await stopServer();
    try {
      // Queued while the server is down: its bytes are named by the outbox entry.
      expect(await saveImage(hooks, `${photos.url}/FreshFlower.jpg`)).toMatchObject({ state: 'queued' });
      const [queued] = await queuedCreates();
      const named = queued?.image?.kind === 'bytes' ? queued.image.blobKey : 'none';
      const orphan = crypto.randomUUID();
      await putPending(orphan, { data: new Uint8Array([1, 2, 3]).buffer, mime: 'image/png' });
      const { sweepPendingBytes } = await import('../../extension/utils/outbox');
      expect(await sweepPendingBytes()).toBe(0);
      expect(await sweepPendingBytes(Date.now() + 2 * 60 * 60_000)).toBe(1);
      expect(await listPendingKeys()).toEqual([named]);
    } finally {
      await restartServer();
    }
  });
});
