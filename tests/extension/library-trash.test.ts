import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send } from '../../extension/utils/messages';
import { mirrorItem, nextUpItem, outboxItem } from '../../extension/utils/storage';
import { LIBRARY } from '../../shared/limits';
import type { Reminder } from '../../shared/schemas/reminders';
import { apiCall, freshBrowser, ok, startWorker } from '../support/extension-harness';
import { secondDevice, signUpAt, wholeLibrary } from '../support/extension-library';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

const texts = async () => (await wholeLibrary()).map((i) => i.text);

describe('delete, undo and the trash', () => {
  beforeEach(() => {
    freshBrowser();
  });

  async function setUp(...words: string[]) {
    const hooks = await startWorker();
    const session = await signUpAt(server.url);
    const other = await secondDevice(server.url, session.user.email);
    const made: Reminder[] = [];
    for (const text of words) made.push(await other.create(text));
    ok(await send({ type: 'sync' }));
    return { hooks, session, other, made };
  }

  it('deletes at once, puts the reminder in the server’s trash for 30 days, and undo brings it back', async () => {
    const { hooks, other, made } = await setUp('Keep calm', 'Carry on');
    const [calm, carry] = made as [Reminder, Reminder];

    const deleted = ok(await send({ type: 'deleteReminder', id: carry.id }));
    expect(deleted).toMatchObject({ state: 'queued', message: 'Moved to the trash.' });
    // Gone from the library (and never offered by the new tab) before the server answers.
    expect(await texts()).toEqual(['Keep calm']);
    await hooks.flushOutbox();
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await apiCall(server.url, other.token, 'GET', `/api/reminders/${carry.id}`)).status).toBe(404);
    expect((await mirrorItem.getValue()).reminders[carry.id]).toBeUndefined();
    const next = await nextUpItem.getValue();
    expect(next.status === 'ready' && next.reminder.id).toBe(calm.id);

    const trash = ok(await send({ type: 'listTrash' }));
    expect(trash.offline).toBe(false);
    expect(trash.items).toEqual([expect.objectContaining({ id: carry.id, text: 'Carry on', pending: null })]);
    const [entry] = trash.items;
    expect(Date.parse(entry?.purgeAt ?? '') - Date.parse(entry?.deletedAt ?? '')).toBe(LIBRARY.trashMs);

    const undone = ok(await send({ type: 'restoreReminder', id: carry.id }));
    expect(undone.state).toBe('saved');
    expect(await texts()).toEqual(['Carry on', 'Keep calm']);
    expect(await other.get(carry.id)).toMatchObject({ text: 'Carry on', deletedAt: null });
    expect(ok(await send({ type: 'listTrash' })).items).toEqual([]);
  });

  it('restores from the trash view a reminder deleted on another device', async () => {
    const { other, made } = await setUp('Deleted elsewhere');
    const [gone] = made as [Reminder];
    expect((await apiCall(server.url, other.token, 'DELETE', `/api/reminders/${gone.id}`)).status).toBe(204);
    ok(await send({ type: 'sync' }));
    expect(await texts()).toEqual([]);

    const trash = ok(await send({ type: 'listTrash' }));
    expect(trash.items.map((i) => i.text)).toEqual(['Deleted elsewhere']);
    expect(ok(await send({ type: 'restoreReminder', id: gone.id })).state).toBe('saved');
    expect(await texts()).toEqual(['Deleted elsewhere']);
    expect((await mirrorItem.getValue()).reminders[gone.id]?.deletedAt).toBeNull();
  });

  it('undoes a delete made offline; both reach the server in order once it is back', async () => {
    const { hooks, other, made } = await setUp('Offline undo');
    const [kept] = made as [Reminder];
    const port = server.port;
    await server.close();
    try {
      ok(await send({ type: 'deleteReminder', id: kept.id }));
      expect(await texts()).toEqual([]);
      expect(ok(await send({ type: 'restoreReminder', id: kept.id })).state).toBe('queued');
      expect(await texts()).toEqual(['Offline undo']);
      expect((await outboxItem.getValue()).map((e) => e.kind)).toEqual(['delete', 'restore']);
    } finally {
      server = await startTestServer({ port, dataDir: server.dataDir });
    }
    await hooks.flushOutbox();
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await other.get(kept.id)).toMatchObject({ text: 'Offline undo', deletedAt: null });
    expect(await texts()).toEqual(['Offline undo']);
  });

  it('deleting a save the server refused removes it from this device', async () => {
    const { session } = await setUp();
    const id = crypto.randomUUID();
    await outboxItem.setValue([
      {
        kind: 'create',
        id,
        owner: { serverUrl: session.serverUrl, userId: session.user.id, email: session.user.email },
        input: { id, text: 'Refused by the server' },
        createdAt: new Date().toISOString(),
        status: 'failed',
        attempts: 1,
        nextAttemptAt: 0,
        lastError: { code: 'validation_failed', message: 'No.' },
      },
    ]);
    await startWorker();
    expect((await wholeLibrary()).map((i) => [i.text, i.status, i.reason])).toEqual([
      ['Refused by the server', 'failed', 'No.'],
    ]);
    expect(ok(await send({ type: 'deleteReminder', id })).message).toBe('Removed from this device.');
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await texts()).toEqual([]);
  });
});
