import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPending, putPending } from '../../extension/utils/image-db';
import { send } from '../../extension/utils/messages';
import { outboxItem, serverUrlItem, sessionItem, uploadProgressItem } from '../../extension/utils/storage';
import type { Reminder } from '../../shared/schemas/reminders';
import {
  apiCall,
  freshBrowser,
  ok,
  resetImageStore,
  startWorker,
  uniqueEmail,
} from '../support/extension-harness';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';
import { startThrottlingProxy } from '../support/proxy';

const PHOTOS = '/usr/share/backgrounds/mate/nature';
const PHOTO = readFileSync(`${PHOTOS}/FreshFlower.jpg`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

async function signUp(url: string) {
  await serverUrlItem.setValue(url);
  ok(await send({ type: 'signUp', email: uniqueEmail(), password: 'correct horse battery' }));
  const session = await sessionItem.getValue();
  if (!session) throw new Error('no session after sign-up');
  return session;
}

async function remindersOf(url: string, token: string): Promise<Reminder[]> {
  const { json } = await apiCall<{ items: Reminder[] }>(url, token, 'GET', '/api/reminders?limit=200');
  return json.items;
}

describe('images chosen in the popup', () => {
  beforeEach(async () => {
    await resetImageStore();
    freshBrowser({ selection: null });
  });

  it('saves a new reminder with an image the popup stored, reporting upload progress', async () => {
    await startWorker();
    const session = await signUp(server.url);
    const key = crypto.randomUUID();
    await putPending(key, { data: new Uint8Array(PHOTO).buffer, mime: 'image/jpeg' });
    const seen: string[] = [];
    const stop = uploadProgressItem.watch((all) => {
      const p = all[key];
      if (p) seen.push(p.phase);
    });
    const saved = ok(
      await send({
        type: 'quickAdd',
        text: 'Spring again',
        image: { key, mime: 'image/jpeg', size: PHOTO.length },
      }),
    );
    stop();
    expect(saved.state).toBe('saved');
    expect(seen.at(-1)).toBe('done');
    expect(seen).toContain('processing');
    const [reminder] = await remindersOf(server.url, session.token);
    expect(reminder).toMatchObject({ id: saved.id, text: 'Spring again', image: { width: 1600 } });
    expect(await getPending(key)).toBeUndefined();
  });

  it('refuses, before anything is queued, an image the shared limits rule out or bytes that are missing', async () => {
    await startWorker();
    await signUp(server.url);
    const missing = await send({
      type: 'quickAdd',
      text: 'x',
      image: { key: crypto.randomUUID(), mime: 'image/png', size: 10 },
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'image_refused' } });
    const huge = await send({
      type: 'quickAdd',
      text: 'x',
      image: { key: crypto.randomUUID(), mime: 'image/png', size: 26_000_000 },
    });
    expect(huge).toMatchObject({ ok: false, error: { message: expect.stringMatching(/too large/) } });
    expect(await outboxItem.getValue()).toEqual([]);
  });

  it('attaches, replaces and removes the image of a synced reminder; replaced files are gone', async () => {
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const created = ok(await send({ type: 'quickAdd', text: 'Needs a picture' }));
    await hooks.syncNow();

    const attach = async (file: string) => {
      const bytes = readFileSync(`${PHOTOS}/${file}`);
      const key = crypto.randomUUID();
      await putPending(key, { data: new Uint8Array(bytes).buffer, mime: 'image/jpeg' });
      return send({
        type: 'setImage',
        id: created.id,
        image: { key, mime: 'image/jpeg', size: bytes.length },
      });
    };
    const get = async () =>
      (
        await apiCall<{ reminder: Reminder }>(
          server.url,
          session.token,
          'GET',
          `/api/reminders/${created.id}`,
        )
      ).json.reminder;

    expect(await attach('FreshFlower.jpg')).toMatchObject({ ok: true, state: 'saved' });
    const first = await get();
    expect(first.image).toMatchObject({ width: 1600 });

    expect(await attach('GreenMeadow.jpg')).toMatchObject({ ok: true, state: 'saved' });
    const second = await get();
    expect(second.image).toMatchObject({ width: 1280 });
    expect(second.imageId).not.toBe(first.imageId);
    const old = await apiCall(server.url, session.token, 'GET', `/api/images/${first.imageId}`);
    expect(old.status).toBe(404);

    expect(await send({ type: 'setImage', id: created.id, image: null })).toMatchObject({
      ok: true,
      state: 'saved',
    });
    expect((await get()).imageId).toBeNull();
    expect(await outboxItem.getValue()).toEqual([]);
  });

  it('lets a newer image choice win over one still uploading, losing neither the choice nor a word', async () => {
    // A slow link, so the first upload is still on its way when the person changes their mind.
    const link = await startThrottlingProxy(server.url, 200_000);
    try {
      const hooks = await startWorker();
      const session = await signUp(link.url);
      const created = ok(await send({ type: 'quickAdd', text: 'Which picture?' }));
      await hooks.syncNow();
      const store = async (file: string) => {
        const bytes = readFileSync(`${PHOTOS}/${file}`);
        const key = crypto.randomUUID();
        await putPending(key, { data: new Uint8Array(bytes).buffer, mime: 'image/jpeg' });
        return { key, mime: 'image/jpeg', size: bytes.length };
      };
      const first = send({ type: 'setImage', id: created.id, image: await store('Garden.jpg') });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = send({ type: 'setImage', id: created.id, image: await store('FreshFlower.jpg') });
      await Promise.all([first, second]);
      await hooks.flushOutbox();
      const { json } = await apiCall<{ reminder: Reminder }>(
        server.url,
        session.token,
        'GET',
        `/api/reminders/${created.id}`,
      );
      expect(json.reminder.image).toMatchObject({ width: 1600 });
      expect(await outboxItem.getValue()).toEqual([]);
    } finally {
      await link.close();
    }
  });
});
