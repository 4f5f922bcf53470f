import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, normaliseServerUrl } from '../../extension/utils/api';
import { UNREACHABLE_URL, uniqueEmail } from '../support/extension-harness';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Something that is not RemindMe answering on the URL (a proxy, a captive portal). */
async function foreignServer(status: number, body: string): Promise<{ url: string; server: Server }> {
  const foreign = createServer((_, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(body));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`, server: foreign };
}

describe('the API client', () => {
  it('reports an unreachable server as unreachable and worth retrying', async () => {
    const error = await failure(createApiClient({ baseUrl: UNREACHABLE_URL }).me());
    expect(error).toMatchObject({ kind: 'unreachable', code: 'network_error', retryable: true });
  });

  it('maps the server’s error shape, fields included, to a refusal', async () => {
    const api = createApiClient({ baseUrl: server.url });
    const error = await failure(api.register({ email: 'x@example.test', password: 'short' }));
    expect(error).toMatchObject({
      kind: 'refused',
      status: 400,
      code: 'validation_failed',
      retryable: false,
    });
    expect(error.fields.password).toMatch(/at least/);
  });

  it('sends the bearer token and validates what comes back', async () => {
    const anonymous = createApiClient({ baseUrl: server.url });
    const email = uniqueEmail();
    const { token, user } = await anonymous.register({ email, password: 'correct horse battery' });
    const api = createApiClient({ baseUrl: `${server.url}/`, token });
    expect((await api.me()).user).toEqual(user);
    const text = 'مرحبا 👋 world → “ok” — 𝐁 👩🏽‍💻';
    const { reminder } = await api.createReminder({ id: crypto.randomUUID(), text });
    expect(reminder.text).toBe(text);
    const page = await api.sync({ since: null });
    expect(page.changes.map((r) => r.id)).toEqual([reminder.id]);
    expect((await failure(anonymous.me())).status).toBe(401);
  });

  it('treats a 5xx page from a proxy as unreachable, not as a refusal', async () => {
    const foreign = await foreignServer(503, '<h1>Service Unavailable</h1>');
    try {
      const error = await failure(createApiClient({ baseUrl: foreign.url }).me());
      expect(error).toMatchObject({ kind: 'unreachable', status: 503, retryable: true });
    } finally {
      foreign.server.close();
    }
  });

  it('treats a 200 that is not RemindMe’s answer as unreachable', async () => {
    const foreign = await foreignServer(200, '<html>Sign in to the Wi-Fi</html>');
    try {
      const error = await failure(createApiClient({ baseUrl: foreign.url }).me());
      expect(error).toMatchObject({ kind: 'unreachable', code: 'bad_response' });
    } finally {
      foreign.server.close();
    }
  });
});

describe('normaliseServerUrl', () => {
  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    [' https://remindme.example.org/ ', 'https://remindme.example.org'],
    ['https://example.org/remindme/', 'https://example.org/remindme'],
    ['javascript:alert(1)', null],
    ['ftp://example.org', null],
    ['https://user:pw@example.org', null],
    ['not a url', null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseServerUrl(input)).toBe(expected);
  });
});
