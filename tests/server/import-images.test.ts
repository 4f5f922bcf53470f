import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testImageDeps } from '../support/image-deps';
import { noiseJpeg } from '../support/image-fixtures';
import { useHarness } from './harness';

/** Moving house with pictures: an export's images come along into another account. */
describe('importing an export with images (loopback allowed by test configuration)', () => {
  const h = useHarness('sqlite', {
    images: () => testImageDeps({ extra: { remoteFetch: { allowLoopback: true, totalTimeoutMs: 3_000 } } }),
  });
  let server: Server;
  let photoUrl: string;

  beforeAll(async () => {
    const photo = await noiseJpeg(400, 300);
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    photoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.jpg`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives the new account its own copy of each image, and leaves the original alone', async () => {
    const a = await h.signUp();
    const image = (await h.call('POST', '/api/images', { token: a.token, json: { url: photoUrl } })).body
      .image;
    expect(image.sourceUrl).toBe(photoUrl);
    await h.call('POST', '/api/reminders', {
      token: a.token,
      json: { text: 'Seen on a walk', imageId: image.id },
    });
    const file = await h.call('GET', '/api/export', { token: a.token });

    const b = await h.signUp();
    const report = await h.call('POST', '/api/import?format=json', { token: b.token, body: file.text });
    expect(report.body).toMatchObject({ created: 1, warnings: [] });
    const [copy] = (await h.call('GET', '/api/reminders', { token: b.token })).body.items;
    expect(copy.image).toMatchObject({ width: 400, height: 300, mime: 'image/jpeg' });
    expect(copy.image.id).not.toBe(image.id);
    expect((await h.app.request(copy.image.url)).status).toBe(200);
    expect((await h.call('GET', `/api/images/${image.id}`, { token: a.token })).status).toBe(200);
    expect((await h.call('GET', `/api/images/${image.id}`, { token: b.token })).status).toBe(404);
  });
});
