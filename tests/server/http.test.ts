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

  it('names a missing required field instead of asking for a JSON object', async () => {
    const { token } = await h.signUp();
    const empty = await h.call('POST', '/api/reminders', { token, json: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual({ text: '"text" is required.' });
    const register = await h.call('POST', '/api/auth/register', { json: { email: 'someone@example.org' } });
    expect(register.body.error.fields).toEqual({ password: '"password" is required.' });
  });

  it('reports unknown fields named like Object.prototype members', async () => {
    const { token } = await h.signUp();
    for (const name of ['constructor', 'toString', '__proto__']) {
      const res = await h.call('POST', '/api/reminders', {
        token,
        body: `{"text":"x","${name}":1}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error.fields)).toEqual([name]);
      expect(res.body.error.fields[name]).toBe(`Unknown field "${name}".`);
    }
  });

  it('refuses a body that is not UTF-8 instead of storing replacement characters', async () => {
    const { token } = await h.signUp();
    const bytes = Buffer.concat([
      Buffer.from('{"text":"bad '),
      Buffer.from([0xed, 0xa0, 0x80, 0x20, 0xff]),
      Buffer.from('"}'),
    ]);
    const res = await h.call('POST', '/api/reminders', {
      token,
      body: bytes,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_json',
      message: 'The request body is not valid UTF-8 text.',
    });
    expect((await h.call('GET', '/api/reminders', { token })).body.items).toEqual([]);
  });

  it('refuses text that is only invisible characters, and control characters anywhere', async () => {
    const { token } = await h.signUp();
    for (const text of ['\u200b\u200b', ' \u2060\ufeff\n', '\u00ad']) {
      const res = await h.call('POST', '/api/reminders', { token, json: { text } });
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(res.body.error.fields.text).toBe('Text is required.');
    }
    const nul = await h.call('POST', '/api/reminders', { token, json: { text: '\u0000' } });
    expect(nul.body.error.fields.text).toBe('Text contains a control character.');
    const overstrike = await h.call('POST', '/api/reminders', {
      token,
      json: { text: 'Well, ____\b\b\b\bSOME' },
    });
    expect(overstrike.body.error.fields.text).toBe('Text contains a control character.');
    const author = await h.call('POST', '/api/reminders', {
      token,
      json: { text: 'ok', author: 'A\u001b[1mB' },
    });
    expect(author.body.error.fields.author).toBe('Author contains a control character.');
    const kept = await h.call('POST', '/api/reminders', { token, json: { text: 'tab\tand\r\nlines' } });
    expect(kept.status).toBe(201);
    expect(kept.body.reminder.text).toBe('tab\tand\r\nlines');
  });

  it('treats passwords as Unicode text: unpaired surrogates refused, composed and decomposed forms alike', async () => {
    const broken = await h.call('POST', '/api/auth/register', {
      json: { email: 'surrogate@example.org', password: '\ud800abcdefgh' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.fields.password).toMatch(/invalid character/);
    const reg = await h.call('POST', '/api/auth/register', {
      json: { email: 'cafe@example.org', password: 'cafe\u0301 horse battery' },
    });
    expect(reg.status).toBe(201);
    const login = await h.call('POST', '/api/auth/login', {
      json: { email: 'cafe@example.org', password: 'caf\u00e9 horse battery' },
    });
    expect(login.status).toBe(200);
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
