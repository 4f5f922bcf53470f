import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { editableFields } from '../../extension/utils/library-fields';
import { send } from '../../extension/utils/messages';
import { OUTBOX_ALARM } from '../../extension/utils/outbox';
import { outboxItem } from '../../extension/utils/storage';
import type { Reminder } from '../../shared/schemas/reminders';
import { apiCall, freshBrowser, ok, startWorker } from '../support/extension-harness';
import { secondDevice, signUpAt, wholeLibrary } from '../support/extension-library';
import { startRecordingProxy } from '../support/proxy';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startRecordingProxy(server.url);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  await removeDataDir(server);
});

async function edit(id: string, patch: Record<string, unknown>) {
  const shown = ok(await send({ type: 'getLibraryItem', id })).item;
  if (!shown) throw new Error(`${id} is not in the library`);
  return ok(
    await send({
      type: 'updateReminder',
      id,
      baseVersion: shown.version,
      base: editableFields(shown),
      patch,
    }),
  );
}

/** The server goes away (the proxy in front of it answers 502) and comes back on its port. */
async function offline<T>(work: () => Promise<T>): Promise<T> {
  const port = server.port;
  await server.close();
  try {
    return await work();
  } finally {
    server = await startTestServer({ port, dataDir: server.dataDir });
  }
}

describe('changes made offline', () => {
  beforeEach(() => {
    freshBrowser();
  });

  it('are queued, shown at once, survive a worker restart and reach the server in order, exactly once', async () => {
    let hooks = await startWorker();
    const session = await signUpAt(proxy.url);
    const other = await secondDevice(server.url, session.user.email);
    const [a, b, c] = [await other.create('Alpha'), await other.create('Beta'), await other.create('Gamma')];
    ok(await send({ type: 'sync' }));

    await offline(async () => {
      expect((await edit(a.id, { text: 'Alpha, edited offline' })).state).toBe('queued');
      expect((await edit(b.id, { favorite: true })).state).toBe('queued');
      expect((await edit(c.id, { visibility: 'public' })).state).toBe('queued');
      expect(ok(await send({ type: 'deleteReminder', id: b.id })).state).toBe('queued');
      expect(ok(await send({ type: 'restoreReminder', id: b.id })).state).toBe('queued'); // undo
      expect(ok(await send({ type: 'deleteReminder', id: c.id })).state).toBe('queued');
      expect((await edit(a.id, { author: 'Someone wise' })).state).toBe('queued');

      // The library shows the person's changes before the server has any of them.
      const shown = await wholeLibrary();
      expect(shown.map((i) => [i.id, i.text, i.author, i.favorite, i.status])).toEqual([
        [b.id, 'Beta', null, true, 'pending'],
        [a.id, 'Alpha, edited offline', 'Someone wise', false, 'pending'],
      ]);
      expect(ok(await send({ type: 'listTrash' }))).toMatchObject({
        offline: true,
        items: [{ id: c.id, pending: 'delete' }],
      });
      // The second edit of Alpha joined the first: one request will carry both.
      expect((await outboxItem.getValue()).map((e) => e.kind)).toEqual([
        'update',
        'update',
        'update',
        'delete',
        'restore',
        'delete',
      ]);
      hooks = await startWorker();
      expect(await outboxItem.getValue()).toHaveLength(6);
    });

    proxy.requests.length = 0;
    await hooks.flushOutbox();
    await hooks.flushOutbox();
    const sent = proxy.requests
      .filter((r) => r.method !== 'GET')
      .map(
        (r) =>
          `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, (id) => ({ [a.id]: 'A', [b.id]: 'B', [c.id]: 'C' })[id] ?? id)}`,
      );
    expect(sent).toEqual([
      'PATCH /api/reminders/A',
      'PATCH /api/reminders/B',
      'PATCH /api/reminders/C',
      'DELETE /api/reminders/B',
      'POST /api/reminders/B/restore',
      'DELETE /api/reminders/C',
    ]);
    expect(await outboxItem.getValue()).toEqual([]);

    expect(await other.get(a.id)).toMatchObject({
      text: 'Alpha, edited offline',
      author: 'Someone wise',
      version: 2,
    });
    expect(await other.get(b.id)).toMatchObject({ favorite: true, deletedAt: null });
    const gone = await apiCall(server.url, other.token, 'GET', `/api/reminders/${c.id}`);
    expect(gone.status).toBe(404);
    const trash = await apiCall<{ items: Reminder[] }>(server.url, other.token, 'GET', '/api/trash');
    expect(trash.json.items.map((r) => [r.id, r.visibility])).toEqual([[c.id, 'public']]);

    ok(await send({ type: 'sync' }));
    expect((await wholeLibrary()).map((i) => [i.id, i.status])).toEqual([
      [b.id, 'synced'],
      [a.id, 'synced'],
    ]);
  });

  it('keeps a later change waiting behind an earlier one of the same reminder that is backing off', async () => {
    const hooks = await startWorker();
    const session = await signUpAt(proxy.url);
    const other = await secondDevice(server.url, session.user.email);
    const r = await other.create('Order matters');
    const s = await other.create('Independent');
    ok(await send({ type: 'sync' }));

    await offline(async () => {
      await edit(r.id, { text: 'Edited first' });
      ok(await send({ type: 'deleteReminder', id: r.id }));
      await edit(s.id, { note: 'goes now' });
    });
    // Back online: the edit of r waits out its backoff; the delete after it and the edit of
    // s are due. An unforced flush (the retry alarm) must not let the delete overtake.
    await outboxItem.setValue(
      (await outboxItem.getValue()).map((e, i) => ({
        ...e,
        nextAttemptAt: i === 0 ? Date.now() + 60_000 : 0,
      })),
    );
    await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: Date.now() });
    await vi.waitFor(async () =>
      expect((await outboxItem.getValue()).map((e) => e.kind)).toEqual(['update', 'delete']),
    );
    expect(await other.get(s.id)).toMatchObject({ note: 'goes now' });
    expect(await other.get(r.id)).toMatchObject({ text: 'Order matters', deletedAt: null });

    await hooks.flushOutbox(); // retry now (as the person pressing retry would)
    expect(await outboxItem.getValue()).toEqual([]);
    const trash = await apiCall<{ items: Reminder[] }>(server.url, other.token, 'GET', '/api/trash');
    expect(trash.json.items.map((x) => [x.id, x.text])).toEqual([[r.id, 'Edited first']]);
  });

  it('edits a save that has not reached the server yet, after it is created', async () => {
    const hooks = await startWorker();
    const session = await signUpAt(proxy.url);
    const other = await secondDevice(server.url, session.user.email);
    const saved = await offline(async () => {
      const quick = ok(await send({ type: 'quickAdd', text: 'Typed in a hurry', author: null }));
      expect(quick.state).toBe('queued');
      expect((await edit(quick.id, { text: 'Typed in a hurry, then fixed' })).state).toBe('queued');
      expect((await wholeLibrary()).map((i) => [i.text, i.version, i.status])).toEqual([
        ['Typed in a hurry, then fixed', null, 'pending'],
      ]);
      return quick;
    });
    await hooks.flushOutbox();
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await other.get(saved.id)).toMatchObject({ text: 'Typed in a hurry, then fixed', version: 2 });
  });
});
