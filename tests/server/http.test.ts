import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits';
import { useHarness } from './harness';

describe('HTTP contract', () => {
  const h = useHarness('sqlite');

  it('caps request bodies with a 413 in the error shape', async () => {
    const { token } = await h.signUp();
    const res = await h.call('POST', '/api/reminders', {
      token,
      body: JSON.stringify({ text: 'x'.repeat(LIMITS.jsonBodyMaxBytes) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('tells malformed JSON, a wrong content type and a non-object body apart', async () => {
    const { token } = await h.signUp();
    const malformed = await h.call('POST', '/api/reminders', {
      token,
      body: '{"text": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const form = await h.call('POST', '/api/reminders', {
      token,
      body: 'text=hi',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
    const array = await h.call('POST', '/api/reminders', { token, json: ['text'] });
    expect(array.status).toBe(400);
    expect(array.body.error.message).toBe('Send a JSON object.');
  });

  it('rejects unpaired surrogates instead of storing mangled text', async () => {
    const { token } = await h.signUp();
    const res = await h.call('POST', '/api/reminders', {
      token,
      body: '{"text":"broken \\ud83d here"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.text).toMatch(/invalid character/);
  });

  it('answers CORS preflights for extension origins without a token', async () => {
    const res = await h.app.request('/api/reminders', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type,if-match',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-match');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives unknown routes and malformed ids the error shape', async () => {
    const { token } = await h.signUp();
    const unknown = await h.call('GET', '/api/nothing-here', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const badId = await h.call('GET', '/api/reminders/not-a-uuid', { token });
    expect(badId.status).toBe(404);
  });

  it('reports liveness and readiness', async () => {
    expect((await h.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/readyz')).body).toEqual({
      status: 'ready',
      checks: { database: 'ok', storage: 'ok' },
    });
  });
});

describe('when the database is gone', () => {
  const h = useHarness('sqlite');

  it('answers 503 in the error shape with no driver detail, and readiness says so', async () => {
    const { token } = await h.signUp();
    await h.database.close();
    const res = await h.call('GET', '/api/reminders', { token });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.text).not.toMatch(/sqlite|select|stack|at .*\.ts/i);
    expect((await h.call('GET', '/readyz')).status).toBe(503);
  });
});
