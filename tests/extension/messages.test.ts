import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send } from '../../extension/utils/messages';
import { DEFAULT_SERVER_URL } from '../../shared/limits';
import { handleMessage } from '../../extension/utils/router';
import { outboxItem, serverUrlItem, sessionItem } from '../../extension/utils/storage';
import {
  UNREACHABLE_URL,
  failed,
  freshBrowser,
  startWorker,
  uniqueEmail,
} from '../support/extension-harness';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

describe('messages from the extension’s pages', () => {
  beforeEach(() => {
    freshBrowser();
  });

  it.each([
    ['not an object', 'getState'],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a missing field', { type: 'shown' }],
    ['a field of the wrong type', { type: 'signIn', email: 'a@b.c', password: 42 }],
    ['null', null],
  ])('refuses %s without doing anything', async (_, message) => {
    const response = await handleMessage(message, {});
    expect(response).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad_message' }) });
  });

  it('refuses messages from another extension', async () => {
    const response = await handleMessage({ type: 'signOut' }, { id: 'some-other-extension' });
    expect(response).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('answers getState with the default server and nobody signed in', async () => {
    await startWorker();
    const response = await send({ type: 'getState' });
    expect(response).toMatchObject({
      ok: true,
      state: { serverUrl: DEFAULT_SERVER_URL, user: null, lastSave: null, outbox: { pending: 0, failed: 0 } },
    });
  });

  it('reports form errors per field before asking the server', async () => {
    await serverUrlItem.setValue(UNREACHABLE_URL);
    await startWorker();
    const { error } = failed(await send({ type: 'signUp', email: 'not-an-email', password: 'short' }));
    expect(Object.keys(error.fields).sort()).toEqual(['email', 'password']);
    expect(error.fields.password).toMatch(/at least 8/);
  });

  it('says clearly when the server cannot be reached', async () => {
    await serverUrlItem.setValue(UNREACHABLE_URL);
    await startWorker();
    const response = await send({
      type: 'signIn',
      email: 'me@example.test',
      password: 'whatever it is',
    });
    expect(failed(response).error).toMatchObject({ code: 'network_error' });
    expect(failed(response).error.message).toContain(UNREACHABLE_URL);
  });

  it('signs up, refuses a second account for the same email, and rejects a wrong password', async () => {
    await serverUrlItem.setValue(server.url);
    await startWorker();
    const email = uniqueEmail();
    const up = await send({ type: 'signUp', email, password: 'correct horse battery' });
    expect(up).toMatchObject({ ok: true, state: { user: { email } } });
    const session = await sessionItem.getValue();
    expect(session).toMatchObject({ serverUrl: server.url, user: { email } });
    expect(session?.token.length).toBeGreaterThan(20);

    const twice = await send({ type: 'signUp', email, password: 'correct horse battery' });
    expect(twice).toMatchObject({ ok: false, error: { code: 'email_taken' } });

    await send({ type: 'signOut' });
    const wrong = await send({ type: 'signIn', email, password: 'not the password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    expect(await sessionItem.getValue()).toBeNull();
  });

  it('refuses a server URL that is not http(s), and signs out when the server changes', async () => {
    await serverUrlItem.setValue(server.url);
    await startWorker();
    const bad = await send({ type: 'setServerUrl', url: 'javascript:alert(1)' });
    expect(bad).toMatchObject({ ok: false, error: { fields: { serverUrl: expect.any(String) } } });

    await send({ type: 'signUp', email: uniqueEmail(), password: 'correct horse battery' });
    const moved = await send({ type: 'setServerUrl', url: ' https://remindme.example.org/ ' });
    expect(moved).toMatchObject({
      ok: true,
      state: { serverUrl: 'https://remindme.example.org', user: null },
    });
    expect(await sessionItem.getValue()).toBeNull();
  });

  it('quick add refuses an over-long text with the field’s message and queues nothing', async () => {
    await startWorker();
    const response = await send({ type: 'quickAdd', text: 'x'.repeat(70_000) });
    const { error } = failed(response);
    expect(error.code).toBe('validation_failed');
    expect(error.fields.text).toMatch(/70,000 characters, the limit is 20,000/);
    expect(await outboxItem.getValue()).toEqual([]);
  });
});
