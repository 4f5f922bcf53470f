import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseJpeg } from '../support/image-fixtures';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

/** Uploads through the real Node server, which hands the route its raw request stream. */
describe('image uploads over real HTTP', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'http-images@example.org', password: 'correct horse battery' }),
    });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await server.close();
    await removeDataDir(server);
  });

  const post = (bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'photo.jpg');
    return fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };

  it('stores an upload and serves its signed URLs', async () => {
    const res = await post(await noiseJpeg(1500, 1000));
    expect(res.status).toBe(201);
    const { image } = (await res.json()) as { image: { url: string; variants: { url: string }[] } };
    expect(image.url.startsWith(`${server.url}/images/`)).toBe(true);
    expect((await fetch(image.variants[0]!.url)).status).toBe(200);
    expect((await fetch(image.url.split('?')[0]!)).status).toBe(403);
  });

  it('answers 413 to a 26 MB upload, stays up, and keeps no scratch file', async () => {
    const res = await post(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(26_000_000, 3)]));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await readdir(join(server.dataDir, 'tmp'))).toEqual([]);
  });
});
