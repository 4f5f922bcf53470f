import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { send } from '../../extension/utils/messages';
import type { Reminder } from '../../shared/schemas/reminders';
import { mirrorItem, nextUpItem, serverUrlItem, sessionItem } from '../../extension/utils/storage';
import { apiCall, freshBrowser, ok, startWorker, uniqueEmail } from '../support/extension-harness';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

async function signedIn() {
  await serverUrlItem.setValue(server.url);
  const response = await send({
    type: 'signUp',
    email: uniqueEmail(),
    password: 'correct horse battery',
  });
  expect(response).toMatchObject({ ok: true });
  const session = await sessionItem.getValue();
  if (!session) throw new Error('no session');
  return session;
}

/** Another device (or the CLI) changes things on the server directly. */
async function create(token: string, text: string): Promise<Reminder> {
  const { status, json } = await apiCall<{ reminder: Reminder }>(
    server.url,
    token,
    'POST',
    '/api/reminders',
    { text },
  );
  expect(status).toBe(201);
  return json.reminder;
}

describe('sync with the real server', () => {
  beforeEach(() => {
    freshBrowser();
  });

  it('pulls changes into the mirror, applies edits and tombstones, and repaints the next reminder', async () => {
    await startWorker();
    const { token } = await signedIn();
    const [a, b, c] = [
      await create(token, 'alpha'),
      await create(token, 'beta'),
      await create(token, 'gamma'),
    ];

    const first = await send({ type: 'sync' });
    expect(first).toEqual({ ok: true, changed: 3 });
    let mirror = await mirrorItem.getValue();
    expect(
      Object.values(mirror.reminders)
        .map((r) => r.text)
        .sort(),
    ).toEqual(['alpha', 'beta', 'gamma']);
    expect(mirror.cursor).toMatch(/^\d+$/);
    expect(await nextUpItem.getValue()).toMatchObject({ status: 'ready', poolSize: 3 });

    const edited = await apiCall<{ reminder: Reminder }>(
      server.url,
      token,
      'PATCH',
      `/api/reminders/${b.id}`,
      { text: 'beta, edited' },
      { 'if-match': `"${b.version}"` },
    );
    expect(edited.status).toBe(200);
    expect((await apiCall(server.url, token, 'DELETE', `/api/reminders/${a.id}`)).status).toBe(204);

    const second = await send({ type: 'sync' });
    expect(second).toEqual({ ok: true, changed: 2 });
    mirror = await mirrorItem.getValue();
    expect(Object.keys(mirror.reminders).sort()).toEqual([b.id, c.id].sort());
    expect(mirror.reminders[b.id]).toMatchObject({
      text: 'beta, edited',
      version: edited.json.reminder.version,
    });

    for (let i = 0; i < 20; i++) {
      const next = await nextUpItem.getValue();
      expect(next.status === 'ready' && next.reminder.id).not.toBe(a.id);
      await send({ type: 'nextReminder', currentId: null });
    }

    // Nothing new: the cursor holds and nothing changes.
    expect(await send({ type: 'sync' })).toEqual({ ok: true, changed: 0 });
  });

  it('lists my latest reminders newest first from the mirror', async () => {
    await startWorker();
    const { token } = await signedIn();
    for (const text of ['one', 'two', 'three']) {
      await create(token, text);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await send({ type: 'sync' });
    const added = await send({ type: 'quickAdd', text: 'four', author: 'Me' });
    expect(added).toMatchObject({ ok: true, state: 'saved' });

    const latest = ok(await send({ type: 'listLatest', limit: 3 }));
    expect(latest.items.map((i) => i.text)).toEqual(['four', 'three', 'two']);
    expect(latest.items[0]).toMatchObject({ author: 'Me', status: 'synced' });
  });

  it('forgets the local copy on sign-out and shows the signed-out state', async () => {
    await startWorker();
    const { token } = await signedIn();
    await create(token, 'private thought');
    await send({ type: 'sync' });
    expect(Object.keys((await mirrorItem.getValue()).reminders)).toHaveLength(1);

    const out = await send({ type: 'signOut' });
    expect(out).toMatchObject({ ok: true, state: { user: null } });
    expect((await mirrorItem.getValue()).reminders).toEqual({});
    expect(await nextUpItem.getValue()).toEqual({ status: 'signed-out' });
    // The server ended that session too.
    expect((await apiCall(server.url, token, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('follows hasMore through every page in one sync', async () => {
    await startWorker();
    const { token } = await signedIn();
    const total = 1_005; // more than one page of LIMITS.syncPageSizeMax
    for (let start = 0; start < total; start += 100) {
      const batch = Array.from({ length: Math.min(100, total - start) }, (_, i) => `saying ${start + i}`);
      await Promise.all(batch.map((text) => create(token, text)));
    }
    expect(await send({ type: 'sync' })).toEqual({ ok: true, changed: total });
    const texts = new Set(Object.values((await mirrorItem.getValue()).reminders).map((r) => r.text));
    expect(texts.size).toBe(total);
    expect(texts.has('saying 0') && texts.has(`saying ${total - 1}`)).toBe(true);
  }, 30_000);

  it('syncs on the periodic alarm', async () => {
    await startWorker();
    const { token } = await signedIn();
    await create(token, 'arrived from elsewhere');
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'remindme-sync', scheduledTime: Date.now() });
    await expect
      .poll(async () => Object.values((await mirrorItem.getValue()).reminders).map((r) => r.text))
      .toEqual(['arrived from elsewhere']);
    expect(await fakeBrowser.alarms.get('remindme-sync')).toMatchObject({ periodInMinutes: 15 });
  });
});
