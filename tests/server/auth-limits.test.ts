import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from '../../server/auth/failure-limiter';
import { uniqueEmail, useHarness } from './harness';

const password = 'correct horse battery';

/** Sign-in and sign-up limits, by account and by the address a request comes from. */
describe('sign-in limits behind a proxy (TRUST_PROXY=true)', () => {
  const h = useHarness('sqlite', { trustProxy: true });
  const from = (address: string) => ({ 'x-forwarded-for': `10.0.0.1, ${address}` });
  const login = (email: string, pw: string, address: string) =>
    h.call('POST', '/api/auth/login', { json: { email, password: pw }, headers: from(address) });

  it("does not let someone else's guessing lock the owner out", async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password }, headers: from('198.51.100.7') });
    for (let i = 0; i < 10; i++)
      expect((await login(email, `guess-${i}-xx`, '203.0.113.9')).status).toBe(401);
    const attacker = await login(email, password, '203.0.113.9');
    expect(attacker.status).toBe(429);
    expect(attacker.body.error.code).toBe('rate_limited');
    expect((await login(email, password, '198.51.100.7')).status).toBe(200);
  });

  it('slows one address that sprays guesses over many accounts', async () => {
    const emails = Array.from({ length: 50 }, () => uniqueEmail());
    for (const email of emails)
      expect((await login(email, 'wrong password', '203.0.113.50')).status).toBe(401);
    const next = await login(uniqueEmail(), 'wrong password', '203.0.113.50');
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(uniqueEmail(), 'wrong password', '203.0.113.51')).status).toBe(401);
  });

  it('blocks an account guessed at from many addresses', async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password }, headers: from('198.51.100.8') });
    for (let i = 0; i < 100; i++)
      expect((await login(email, `guess-${i}-xx`, `192.0.2.${i}`)).status).toBe(401);
    expect((await login(email, password, '192.0.2.200')).status).toBe(429);
    h.clock.advance(16 * 60 * 1000);
    expect((await login(email, password, '192.0.2.200')).status).toBe(200);
  });

  it('allows 20 sign-ups an hour from one address', async () => {
    const register = (address: string) =>
      h.call('POST', '/api/auth/register', {
        json: { email: uniqueEmail(), password },
        headers: from(address),
      });
    for (let i = 0; i < 20; i++) expect((await register('203.0.113.77')).status).toBe(201);
    const refused = await register('203.0.113.77');
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('Too many sign-ups from this address. Try again later.');
    expect((await register('203.0.113.78')).status).toBe(201);
  });
});

describe('sign-in limits without a trusted proxy', () => {
  const h = useHarness('sqlite', { trustProxy: false });

  it('ignores X-Forwarded-For, so writing another address there does not reset the count', async () => {
    const email = uniqueEmail();
    await h.call('POST', '/api/auth/register', { json: { email, password } });
    for (let i = 0; i < 10; i++) {
      const res = await h.call('POST', '/api/auth/login', {
        json: { email, password: `guess-${i}-xx` },
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      expect(res.status).toBe(401);
    }
    const blocked = await h.call('POST', '/api/auth/login', {
      json: { email, password },
      headers: { 'x-forwarded-for': '203.0.113.99' },
    });
    expect(blocked.status).toBe(429);
  });
});

describe('failure limiter', () => {
  it('drops the oldest windows when full, never every counter at once', () => {
    const clock = { now: new Date(0) };
    const limiter = createFailureLimiter({ max: 2, windowMs: 60_000, maxKeys: 100, clock: () => clock.now });
    limiter.record('victim-guesser');
    limiter.record('victim-guesser');
    expect(limiter.blockedFor('victim-guesser')).toBeGreaterThan(0);
    clock.now = new Date(1_000);
    // A flood of new keys pushes out only windows older than the blocked one's… which is
    // the blocked one itself once 100 newer keys exist; until then it stays blocked.
    for (let i = 0; i < 99; i++) limiter.record(`flood-${i}`);
    expect(limiter.blockedFor('victim-guesser')).toBeGreaterThan(0);
    limiter.record('flood-99');
    expect(limiter.blockedFor('victim-guesser')).toBe(0);
    expect(limiter.blockedFor('flood-0')).toBe(0);
    limiter.record('flood-0');
    expect(limiter.blockedFor('flood-0')).toBeGreaterThan(0);
  });
});
