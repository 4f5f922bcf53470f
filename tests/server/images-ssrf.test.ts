import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, checkUrl, nonPublicReason, type Resolved } from '../../server/images/ssrf-guard';
import { noiseJpeg } from '../support/image-fixtures';
import { testImageDeps } from '../support/image-deps';
import { useHarness } from './harness';

/**
 * Nothing here ever connects anywhere but loopback: every refused address is refused before
 * a connection is attempted, and made-up host names are answered by an injected resolver.
 */
describe('SSRF guard: which addresses count as public', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback (IPv4-mapped)'],
    ['::ffff:7f00:1', 'loopback (IPv4-mapped)'],
    ['::ffff:10.0.0.1', 'private (IPv4-mapped)'],
    ['::ffff:169.254.169.254', 'link-local (IPv4-mapped)'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b:1::a00:1', 'NAT64'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::127.0.0.1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2002:7f00:1::1', '6to4 (embeds IPv4)'],
  ])('%s is not public (%s)', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });
});

describe('SSRF guard: URLs', () => {
  const noDns = { resolve: async (): Promise<Resolved[]> => [] };

  it.each([
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://0x7f000001/',
    'http://127.000.000.001/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::1]:8080/',
    'http://0/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'https://10.0.0.1/a.png',
  ])('refuses %s (normalised by the URL parser) before any connection', async (raw) => {
    await expect(checkTarget(checkUrl(raw), noDns)).rejects.toMatchObject({ code: 'url_not_allowed' });
  });

  it('normalises odd IPv4 spellings to 127.0.0.1', () => {
    for (const raw of ['http://127.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://017700000001/']) {
      expect(checkUrl(raw).hostname).toBe('127.0.0.1');
    }
  });

  it('refuses localhost, which resolves to loopback', async () => {
    await expect(checkTarget(checkUrl('http://localhost:1/x.png'), {})).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
  });

  it.each([
    'ftp://example.org/a.png',
    'file:///etc/passwd',
    'gopher://example.org/',
    'data:image/png;base64,AAAA',
    'javascript:alert(1)',
  ])('refuses the scheme of %s', (raw) => {
    expect(() => checkUrl(raw)).toThrow(/Only http:\/\/ and https:\/\//);
  });

  it('refuses credentials in the URL', () => {
    expect(() => checkUrl('https://user:secret@example.org/a.png')).toThrow(/user name or password/);
    expect(() => checkUrl('https://user@example.org/a.png')).toThrow(/user name or password/);
  });

  it('refuses a name when ANY of its addresses is not public, whatever the order', async () => {
    for (const answers of [
      ['127.0.0.1', '10.0.0.1'],
      ['10.0.0.1', '127.0.0.1'],
    ]) {
      const resolve = async () => answers.map((address) => ({ address, family: 4 as const }));
      await expect(
        checkTarget(checkUrl('http://mixed.test/'), { resolve, allowLoopback: true }),
      ).rejects.toMatchObject({
        code: 'url_not_allowed',
      });
    }
  });
});

/** A loopback image server with the misbehaviours the fetcher must survive. */
async function startImageHost(): Promise<{ server: Server; port: number; hits: string[] }> {
  const png = await noiseJpeg(64, 48);
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(`${req.headers.host} ${url.pathname}`);
    const hop = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (url.pathname === '/photo.jpg')
      return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(png);
    if (hop) {
      const left = Number(hop[1]);
      return void res.writeHead(302, { location: left > 0 ? `/chain/${left - 1}` : '/photo.jpg' }).end();
    }
    if (url.pathname === '/to-private')
      return void res.writeHead(302, { location: 'http://10.0.0.1/x.png' }).end();
    if (url.pathname === '/to-metadata')
      return void res.writeHead(301, { location: 'http://metadata.test/latest' }).end();
    if (url.pathname === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (url.pathname === '/declared-huge')
      return void res.writeHead(200, { 'content-length': String(26_000_000) }).end();
    if (url.pathname === '/streamed-huge') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(1_000_000, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 27 && res.write(chunk)) sent++;
        if (sent >= 27) res.end();
        else res.once('drain', () => (sent++, pump()));
      };
      return pump();
    }
    if (url.pathname === '/stall') return; // never answers
    if (url.pathname === '/page.html')
      return void res.writeHead(200, { 'content-type': 'image/png' }).end('<!DOCTYPE html><p>hi</p>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

describe('fetching {url} with the guard on (the default)', () => {
  const h = useHarness('sqlite');
  let host: Awaited<ReturnType<typeof startImageHost>>;
  beforeAll(async () => {
    host = await startImageHost();
  });
  afterAll(() => host.server.close());

  it('refuses a loopback image server, in any spelling, without contacting it', async () => {
    const { token } = await h.signUp();
    for (const origin of [
      `127.0.0.1:${host.port}`,
      `127.1:${host.port}`,
      `2130706433:${host.port}`,
      `localhost:${host.port}`,
      `[::ffff:127.0.0.1]:${host.port}`,
    ]) {
      const res = await h.call('POST', '/api/images', { token, json: { url: `http://${origin}/photo.jpg` } });
      expect(res.status, origin).toBe(400);
      expect(res.body.error.code).toBe('url_not_allowed');
      expect(res.body.error.fields.url).toMatch(/only fetches from public internet addresses/);
    }
    expect(host.hits).toEqual([]);
  });

  it('refuses credentials and other schemes with a field message', async () => {
    const { token } = await h.signUp();
    const creds = await h.call('POST', '/api/images', {
      token,
      json: { url: 'https://me:pw@example.org/a.png' },
    });
    expect([creds.status, creds.body.error.code]).toEqual([400, 'url_not_allowed']);
    const ftp = await h.call('POST', '/api/images', { token, json: { url: 'ftp://example.org/a.png' } });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.fields.url).toMatch(/http/);
  });
});

describe('fetching {url} from a test server (loopback allowed by test configuration)', () => {
  let host: Awaited<ReturnType<typeof startImageHost>>;
  const lookups: string[] = [];
  const names: Record<string, string[]> = {};
  const h = useHarness('sqlite', {
    images: () =>
      testImageDeps({
        extra: {
          remoteFetch: {
            allowLoopback: true,
            totalTimeoutMs: 1_500,
            resolve: async (hostname) => {
              lookups.push(hostname);
              return (names[hostname] ?? []).map(
                (address) => ({ address, family: address.includes(':') ? 6 : 4 }) as Resolved,
              );
            },
          },
        },
      }),
  });
  let token: string;
  const fetchUrl = (url: string) => h.call('POST', '/api/images', { token, json: { url } });

  beforeAll(async () => {
    host = await startImageHost();
    token = (await h.signUp()).token;
    names['pictures.test'] = ['127.0.0.1'];
    names['metadata.test'] = ['169.254.169.254'];
  });
  afterAll(() => host.server.close());

  it('stores a fetched image and remembers where it came from', async () => {
    const url = `http://127.0.0.1:${host.port}/photo.jpg`;
    const res = await fetchUrl(url);
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ mime: 'image/jpeg', width: 64, height: 48, sourceUrl: url });
  });

  it('connects to the address it checked: one lookup per hop, the name kept in the Host header', async () => {
    lookups.length = 0;
    const res = await fetchUrl(`http://pictures.test:${host.port}/photo.jpg`);
    expect(res.status).toBe(201);
    expect(lookups).toEqual(['pictures.test']);
    expect(host.hits.at(-1)).toBe(`pictures.test:${host.port} /photo.jpg`);
  });

  it('follows up to three redirects and no more', async () => {
    expect((await fetchUrl(`http://127.0.0.1:${host.port}/chain/2`)).status).toBe(201);
    const res = await fetchUrl(`http://127.0.0.1:${host.port}/chain/3`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'remote_fetch_failed',
      message: 'The image address redirected more than 3 times.',
    });
  });

  it('re-checks every redirect: to a private address, to a name for the metadata service, to file:', async () => {
    const before = host.hits.length;
    for (const path of ['/to-private', '/to-metadata', '/to-file']) {
      const res = await fetchUrl(`http://127.0.0.1:${host.port}${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('url_not_allowed');
    }
    expect(host.hits.length - before).toBe(3); // only the first hops, on loopback
  });

  it('applies the byte cap to a declared size and to a stream without one', async () => {
    for (const path of ['/declared-huge', '/streamed-huge']) {
      const res = await fetchUrl(`http://127.0.0.1:${host.port}${path}`);
      expect(res.status, path).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
  });

  it('gives up on a server that never answers', async () => {
    const started = Date.now();
    const res = await fetchUrl(`http://127.0.0.1:${host.port}/stall`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/too long|did not answer/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a missing image, an unknown host and a page that is not an image', async () => {
    const missing = await fetchUrl(`http://127.0.0.1:${host.port}/nope.png`);
    expect([missing.status, missing.body.error.message]).toEqual([
      422,
      'The image address answered 404 Not Found.',
    ]);
    const unknown = await fetchUrl('http://nowhere.test/a.png');
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'remote_fetch_failed']);
    const html = await fetchUrl(`http://127.0.0.1:${host.port}/page.html`);
    expect(html.status).toBe(415);
  });
});
