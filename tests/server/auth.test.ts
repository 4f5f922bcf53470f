import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SESSION } from '../../shared/limits';
import { sessions as mysqlSessions } from '../../server/db/schema.mysql';
import { sessions as sqliteSessions } from '../../server/db/schema.sqlite';
import { dialects } from '../support/databases';
import { uniqueEmail, useHarness, type Harness } from './harness';

async function storedSession(h: Harness, id: string) {
  if (h.database.dialect === 'sqlite') {
    return h.database.db.select().from(sqliteSessions).where(eq(sqliteSessions.id, id)).get();
  }
  const [row] = await h.database.db.select().from(mysqlSessions).where(eq(mysqlSessions.id, id));
  return row;
}

describe.each(dialects())('accounts and sessions (%s)', (dialect) => {
  const h = useHarness(dialect);
  const password = 'correct horse battery';

  it('registers, returns a session token, and answers /me with that user', async () => {
    const email = uniqueEmail();
    const reg = await h.call('POST', '/api/auth/register', {
      json: { email, password, label: 'Chrome extension' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user.email).toBe(email);
    expect(reg.body.token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);
    expect(new Date(reg.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + SESSION.lifetimeMs - 60_000);
    const me = await h.call('GET', '/api/auth/me', { token: reg.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(reg.body.user);
  });

  it('stores only a SHA-256 of the secret, never the token or the password', async () => {
    const email = uniqueEmail();
    const reg = await h.call('POST', '/api/auth/register', { json: { email, password } });
    const [id, secret] = (reg.body.token as string).split('.');
    const row = await storedSession(h, id!);
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.secretHash).not.toContain(secret);
    const user = await h.repos.auth.findUserByEmail(email);
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user?.passwordHash).not.toContain(password);
  });

  it('treats email case-insensitively for sign-up and sign-in', async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password } });
    const dup = await h.call('POST', '/api/auth/register', {
      json: { email: email.toUpperCase(), password },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('email_taken');
    const login = await h.call('POST', '/api/auth/login', {
      json: { email: `  ${email.toUpperCase()} `, password },
    });
    expect(login.status).toBe(200);
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password } });
    const wrong = await h.call('POST', '/api/auth/login', { json: { email, password: 'not the password' } });
    const unknown = await h.call('POST', '/api/auth/login', {
      json: { email: uniqueEmail(), password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('logout ends only the calling session', async () => {
    const email = uniqueEmail();
    const a = await h.call('POST', '/api/auth/register', { json: { email, password } });
    const b = await h.call('POST', '/api/auth/login', { json: { email, password } });
    expect((await h.call('POST', '/api/auth/logout', { token: a.body.token })).status).toBe(204);
    expect((await h.call('GET', '/api/auth/me', { token: a.body.token })).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { token: b.body.token })).status).toBe(200);
  });

  it('rejects a token whose secret was tampered with, and malformed headers', async () => {
    const { token } = await h.signUp();
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect((await h.call('GET', '/api/auth/me', { token: tampered })).status).toBe(401);
    const cookieOnly = await h.call('GET', '/api/auth/me', { headers: { cookie: `session=${token}` } });
    expect(cookieOnly.status).toBe(401);
    expect(cookieOnly.body.error.code).toBe('unauthorized');
    const basic = await h.call('GET', '/api/auth/me', { headers: { authorization: `Basic ${token}` } });
    expect(basic.status).toBe(401);
  });

  it('slides the expiry forward on use and expires an idle session', async () => {
    const { token } = await h.signUp();
    const id = token.split('.')[0]!;
    const before = await storedSession(h, id);
    h.clock.advance(SESSION.lifetimeMs - 60 * 60 * 1000);
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(200);
    const after = await storedSession(h, id);
    expect(after!.expiresAt.getTime()).toBeGreaterThan(before!.expiresAt.getTime());
    h.clock.advance(SESSION.lifetimeMs + 1000);
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(401);
    expect(await storedSession(h, id)).toBeUndefined();
  });

  it('names every invalid field and rejects unknown ones', async () => {
    const res = await h.call('POST', '/api/auth/register', {
      json: { email: 'nope', password: 'short', admin: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['admin', 'email', 'password']);
    expect(res.body.error.fields.admin).toBe('Unknown field "admin".');
  });

  it('slows down password guessing with 429 after repeated failures', async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password } });
    for (let i = 0; i < 10; i++) {
      expect(
        (await h.call('POST', '/api/auth/login', { json: { email, password: `guess-${i}-xx` } })).status,
      ).toBe(401);
    }
    const blocked = await h.call('POST', '/api/auth/login', { json: { email, password } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.advance(16 * 60 * 1000);
    expect((await h.call('POST', '/api/auth/login', { json: { email, password } })).status).toBe(200);
  });
});
