import { describe, expect, it } from 'vitest';
import { dialects } from '../support/databases';
import { useHarness } from './harness';

const NASTY = `<script>alert("x")</script> "quotes" 'apostrophes' & ampersands`;

describe.each(dialects())('sharing by handle (%s)', (dialect) => {
  const h = useHarness(dialect);
  const create = (token: string, json: Record<string, unknown>) =>
    h.call('POST', '/api/reminders', { token, json });
  const setHandle = (token: string, handle: unknown) =>
    h.call('PATCH', '/api/auth/me', { token, json: { handle } });
  let n = 0;
  const fresh = () => `reader-${dialect}-${Date.now().toString(36)}${n++}`;

  it('sets a handle, unique regardless of case, refusing reserved and malformed names', async () => {
    const a = await h.signUp();
    const b = await h.signUp();
    const name = fresh();
    const set = await setHandle(a.token, `  ${name.toUpperCase()} `);
    expect(set.status).toBe(200);
    expect(set.body.user).toMatchObject({ handle: name });
    expect((await h.call('GET', '/api/auth/me', { token: a.token })).body.user.handle).toBe(name);
    const taken = await setHandle(b.token, name.toUpperCase());
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'handle_taken', fields: { handle: expect.any(String) } });
    for (const bad of ['admin', 'API', 'ab', 'has space', '-dash', 'x'.repeat(31), 'émile', 42]) {
      const res = await setHandle(b.token, bad);
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields.handle).toBeDefined();
    }
    expect(
      (await h.call('PATCH', '/api/auth/me', { token: b.token, json: { handle: fresh(), bio: 'x' } })).body
        .error.fields,
    ).toEqual({
      bio: 'Unknown field "bio".',
    });
    // Letting go of a handle frees it for someone else.
    expect((await setHandle(a.token, null)).body.user.handle).toBeNull();
    expect((await setHandle(b.token, name)).status).toBe(200);
  });

  it('serves a page of public reminders only, every value escaped, under a strict CSP', async () => {
    const me = await h.signUp();
    const name = fresh();
    await setHandle(me.token, name);
    await create(me.token, {
      text: NASTY,
      author: NASTY,
      note: NASTY,
      sourceTitle: NASTY,
      sourceUrl: 'https://example.org/?a=1&b="2"',
      visibility: 'public',
    });
    await create(me.token, { text: 'My private diary line' });
    const res = await h.call('GET', `/u/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.text).not.toContain('<script');
    expect(res.text).not.toContain('My private diary line');
    expect(res.text).toContain(
      '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#34;quotes&#34; &#39;apostrophes&#39; &#38; ampersands',
    );
    expect(res.text).toContain('href="https://example.org/?a=1&#38;b=&#34;2&#34;"');
    expect(res.text).not.toMatch(/<[a-z]+[^>]*\son\w+=/i);
  });

  it('answers an unknown or reserved handle with a 404 page', async () => {
    for (const path of ['/u/nobody-has-this-name', '/u/admin', '/u/%3Cscript%3E']) {
      const res = await h.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.text).not.toContain('<script');
    }
    const json = await h.call('GET', '/u/nobody-has-this-name.json');
    expect(json.status).toBe(404);
    expect(json.body.error.code).toBe('not_found');
  });

  it('offers the same list as JSON (paged) and CSV feeds, open to any origin and cacheable', async () => {
    const me = await h.signUp();
    const name = fresh();
    await setHandle(me.token, name);
    for (let i = 0; i < 3; i++) {
      await create(me.token, { text: `Shared ${i}, "quoted"`, author: 'Me', visibility: 'public' });
      h.clock.advance(1000);
    }
    await create(me.token, { text: 'Not shared' });
    const json = await h.call('GET', `/u/${name}.json?limit=2`, {
      headers: { origin: 'https://other.example' },
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    expect(json.headers.get('cache-control')).toMatch(/public/);
    expect(json.body.handle).toBe(name);
    expect(json.body.items.map((r: { text: string }) => r.text)).toEqual([
      'Shared 2, "quoted"',
      'Shared 1, "quoted"',
    ]);
    expect(Object.keys(json.body.items[0]).sort()).toEqual([
      'author',
      'createdAt',
      'id',
      'note',
      'sourceTitle',
      'sourceUrl',
      'text',
    ]);
    const next = await h.call('GET', `/u/${name}.json?limit=2&cursor=${json.body.nextCursor}`);
    expect(next.body.items.map((r: { text: string }) => r.text)).toEqual(['Shared 0, "quoted"']);
    expect((await h.call('GET', `/api/public/users/${name}/reminders`)).body.items).toHaveLength(3);

    const etag = json.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await h.call('GET', `/u/${name}.json?limit=2`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);

    const csv = await h.call('GET', `/u/${name}.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(
      csv.text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 2),
    ).toEqual([
      'text,author,note,sourceUrl,sourceTitle,createdAt',
      expect.stringMatching(/^"Shared 2, ""quoted""",Me,,,,\d{4}-/),
    ]);
    expect(csv.text).not.toContain('Not shared');
    expect((await h.call('GET', `/u/${name}.json?secret=1`)).status).toBe(400);
  });

  it('keeps a page working with tracking parameters on a shared link', async () => {
    const me = await h.signUp();
    const name = fresh();
    await setHandle(me.token, name);
    expect((await h.call('GET', `/u/${name}?utm_source=mastodon`)).status).toBe(200);
  });
});
