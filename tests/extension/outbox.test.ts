import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { send } from '../../extension/utils/messages';
import type { Reminder } from '../../shared/schemas/reminders';
import { MENU_SAVE_SELECTION } from '../../extension/utils/context-menu';
import { OUTBOX_ALARM } from '../../extension/utils/outbox';
import {
  lastSaveItem,
  outboxItem,
  serverUrlItem,
  sessionItem,
  type CreateEntry,
  type OutboxEntry,
} from '../../extension/utils/storage';
import { apiCall, freshBrowser, ok, startWorker, uniqueEmail } from '../support/extension-harness';
import { startRecordingProxy } from '../support/proxy';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});
afterEach(() => {
  vi.useRealTimers();
});

const PAGE = { id: 5, url: 'http://127.0.0.1/page.html', title: 'A real page' };

async function signUp(url: string) {
  await serverUrlItem.setValue(url);
  const response = await send({
    type: 'signUp',
    email: uniqueEmail(),
    password: 'correct horse battery',
  });
  expect(response).toMatchObject({ ok: true });
  const session = await sessionItem.getValue();
  if (!session) throw new Error('no session after sign-up');
  return session;
}

async function remindersOnServer(url: string, token: string): Promise<Reminder[]> {
  const { status, json } = await apiCall<{ items: Reminder[] }>(
    url,
    token,
    'GET',
    '/api/reminders?limit=200',
  );
  expect(status).toBe(200);
  return json.items;
}

function entry(id: string, owner: OutboxEntry['owner'], input: Record<string, unknown>): OutboxEntry {
  return {
    kind: 'create',
    id,
    owner,
    input: { id, text: 'x', ...input } as CreateEntry['input'],
    createdAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
  };
}

describe('the outbox against the real server', () => {
  let env: ReturnType<typeof freshBrowser>;
  beforeEach(() => {
    env = freshBrowser({ selection: null });
  });

  it('keeps a save while the server is down, survives a worker restart, and delivers it exactly once', async () => {
    const port = server.port;
    let hooks = await startWorker();
    const session = await signUp(server.url);

    await server.close();
    env.page.selection = 'Saved while\nthe server was down.';
    const result = await hooks.handleMenuClick(
      {
        menuItemId: MENU_SAVE_SELECTION,
        selectionText: 'Saved while the server was down.',
        pageUrl: PAGE.url,
        frameId: 0,
      },
      PAGE,
    );
    expect(result).toMatchObject({ ok: true, state: 'queued' });
    const [queued] = await outboxItem.getValue();
    expect(queued).toMatchObject({ status: 'pending', attempts: 1, lastError: { code: 'network_error' } });
    expect(await fakeBrowser.alarms.get(OUTBOX_ALARM)).toBeDefined();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('…');

    // The worker is stopped and started again while the server is still down.
    hooks = await startWorker();
    expect(await outboxItem.getValue()).toHaveLength(1);

    server = await startTestServer({ port, dataDir: server.dataDir });
    // Time passes until the retry alarm is due, and it fires.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000);
    await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: Date.now() });
    await vi.waitFor(async () => expect(await outboxItem.getValue()).toEqual([]));

    // More chances to send it again must not make a copy.
    await hooks.flushOutbox();
    await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: Date.now() });
    const onServer = await remindersOnServer(server.url, session.token);
    expect(onServer.map((r) => [r.id, r.text, r.sourceUrl, r.sourceTitle])).toEqual([
      [queued?.id, 'Saved while\nthe server was down.', PAGE.url, PAGE.title],
    ]);
    expect(await lastSaveItem.getValue()).toMatchObject({ state: 'saved', reminderId: queued?.id });
  });

  it('sends each entry once when flushes overlap', async () => {
    const proxy = await startRecordingProxy(server.url);
    try {
      const hooks = await startWorker();
      const session = await signUp(proxy.url);
      const owner = { serverUrl: proxy.url, userId: session.user.id, email: session.user.email };
      const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      await outboxItem.setValue(ids.map((id, i) => entry(id, owner, { text: `overlap ${i}` })));
      proxy.requests.length = 0;

      await Promise.all([
        hooks.flushOutbox(),
        hooks.flushOutbox(),
        fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: Date.now() }),
        send({ type: 'retryFailed', id: ids[0] ?? '' }),
      ]);
      await hooks.flushOutbox();

      const creates = proxy.requests.filter((r) => r.method === 'POST' && r.path === '/api/reminders');
      expect(creates).toHaveLength(3);
      expect(await outboxItem.getValue()).toEqual([]);
      const onServer = await remindersOnServer(server.url, session.token);
      expect(onServer.map((r) => r.id).sort()).toEqual([...ids].sort());
    } finally {
      await proxy.close();
    }
  });

  it('keeps a refused save visible as failed, with the server’s reason, until dismissed', async () => {
    await startWorker();
    const session = await signUp(server.url);
    const owner = { serverUrl: server.url, userId: session.user.id, email: session.user.email };
    const id = crypto.randomUUID();
    // An entry written by an older version with a field the server no longer accepts.
    await outboxItem.setValue([entry(id, owner, { text: 'from an old version', colour: 'red' })]);

    await send({ type: 'sync' });
    await globalThis.remindme?.flushOutbox();

    const [failed] = await outboxItem.getValue();
    expect(failed).toMatchObject({ id, status: 'failed', lastError: { code: 'validation_failed' } });
    expect(failed?.lastError?.message).toMatch(/colour/);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    const notes = Object.values(await fakeBrowser.notifications.getAll()) as Array<{ message: string }>;
    expect(notes.some((n) => /colour/.test(n.message))).toBe(true);

    const latest = ok(await send({ type: 'listLatest' }));
    expect(latest.items[0]).toMatchObject({ id, status: 'failed', reason: failed?.lastError?.message });

    // Retrying does not make it acceptable; it stays failed rather than disappearing.
    await send({ type: 'retryFailed', id });
    expect(await outboxItem.getValue()).toMatchObject([{ id, status: 'failed' }]);

    await send({ type: 'dismissFailed', id });
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await remindersOnServer(server.url, session.token)).toEqual([]);
  });

  it('counts a 409 id_conflict for its own id as delivered', async () => {
    const hooks = await startWorker();
    const session = await signUp(server.url);
    const owner = { serverUrl: server.url, userId: session.user.id, email: session.user.email };
    const id = crypto.randomUUID();
    const first = await apiCall(server.url, session.token, 'POST', '/api/reminders', {
      id,
      text: 'first copy',
    });
    expect(first.status).toBe(201);

    await outboxItem.setValue([entry(id, owner, { text: 'first copy, edited before the answer came' })]);
    await hooks.flushOutbox();

    expect(await outboxItem.getValue()).toEqual([]);
    const onServer = await remindersOnServer(server.url, session.token);
    expect(onServer.map((r) => r.text)).toEqual(['first copy']);
  });

  it('holds saves when the session has ended and sends them after signing in again', async () => {
    const hooks = await startWorker();
    const session = await signUp(server.url);
    // Signed out elsewhere: the token no longer works.
    expect((await apiCall(server.url, session.token, 'POST', '/api/auth/logout')).status).toBe(204);

    env.page.selection = 'kept for later';
    const result = await hooks.handleMenuClick(
      { menuItemId: MENU_SAVE_SELECTION, selectionText: 'kept for later', pageUrl: PAGE.url, frameId: 0 },
      PAGE,
    );
    expect(result).toMatchObject({ ok: true, state: 'queued' });
    expect(await sessionItem.getValue()).toBeNull();
    expect(await outboxItem.getValue()).toMatchObject([
      { status: 'pending', input: { text: 'kept for later' } },
    ]);

    const again = await send({
      type: 'signIn',
      email: session.user.email,
      password: 'correct horse battery',
    });
    expect(again).toMatchObject({ ok: true });
    expect(await outboxItem.getValue()).toEqual([]);
    const token = (await sessionItem.getValue())?.token ?? '';
    expect((await remindersOnServer(server.url, token)).map((r) => r.text)).toEqual(['kept for later']);
  });
});
