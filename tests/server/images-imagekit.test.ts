import { readFile } from 'node:fs/promises';
import ImageKit from '@imagekit/nodejs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createImageKitStore } from '../../server/images/store-imagekit';
import { startFakeImageKit, type FakeImageKit } from '../support/fake-imagekit';
import { fixture, noiseJpeg } from '../support/image-fixtures';
import { testImageDeps } from '../support/image-deps';
import { useHarness } from './harness';
import { uploader } from './images-helpers';
import { trashPurge } from './trash-helpers';

/** The API with images in ImageKit (the contract-faithful fake on loopback). */
describe('images in ImageKit', () => {
  let fake: FakeImageKit;
  const h = useHarness('sqlite', {
    images: async () => {
      fake = await startFakeImageKit();
      return testImageDeps({ env: fake.env });
    },
  });
  const upload = uploader(h);
  let me: { token: string; userId: string };

  beforeAll(async () => {
    me = await h.signUp();
  });
  afterAll(() => fake.close());

  const apiCalls = () => fake.requests.filter((r) => !r.path.startsWith('/fake_id/'));

  it('uploads the processed file as a private file in the uploader’s folder, named by the server', async () => {
    const before = apiCalls().length;
    const res = await upload(me.token, await noiseJpeg(1600, 1000), { name: 'My Holiday.jpg' });
    expect(res.status).toBe(201);
    const { image } = res.body;
    expect(
      apiCalls()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['POST /api/v1/files/upload']);
    const file = [...fake.files.values()].find((f) => f.name === `${image.id}.jpg`);
    expect(file).toMatchObject({
      isPrivateFile: true,
      filePath: `/remindme/${me.userId}/${image.id}.jpg`,
      width: 1600,
      height: 1000,
    });
    expect(file!.bytes.length).toBe(image.bytes);
    const row = await h.repos.images.findForUser(image.id, me.userId);
    expect(row).toMatchObject({ store: 'imagekit', key: file!.filePath, fileId: file!.fileId });
  });

  it('hands out signed, expiring URLs that ImageKit serves, with transformations for the narrower sizes', async () => {
    const { image } = (await upload(me.token, await noiseJpeg(2200, 1400))).body;
    expect(image.url).toMatch(/\?ik-t=\d+&ik-s=[0-9a-f]{40}$/);
    expect(Number(/ik-t=(\d+)/.exec(image.url)![1]) * 1000).toBe(Date.parse(image.expiresAt));
    expect((await fetch(image.url)).status).toBe(200);
    expect((await fetch(image.url.split('?')[0]!)).status).toBe(401);
    const [small] = image.variants;
    expect(small.url).toMatch(/\?tr=w-640,q-70,f-auto&ik-t=\d+&ik-s=[0-9a-f]{40}$/);
    const res = await fetch(small.url, { headers: { accept: 'image/avif,image/webp,*/*' } });
    expect(res.headers.get('content-type')).toBe('image/avif');
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(640);
    expect((await fetch(small.url.replace('w-640', 'w-2200'))).status).toBe(401);
  });

  it('is served by the fake with path-based transformations too, signed the same way', async () => {
    const { image } = (await upload(me.token, await noiseJpeg(900, 600))).body;
    const { key } = (await h.repos.images.findForUser(image.id, me.userId))!;
    const sdk = new ImageKit({ privateKey: fake.privateKey, baseURL: fake.apiUrl });
    const url = sdk.helper.buildSrc({
      urlEndpoint: fake.urlEndpoint,
      src: key,
      transformation: [{ width: 300, format: 'webp' }],
      transformationPosition: 'path',
      signed: true,
      expiresIn: 60,
    });
    expect(url).toContain('/tr:w-300,f-webp/');
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(300);
    expect((await fetch(url.replace('w-300', 'w-301'))).status).toBe(401);
  });

  it('sends nothing to ImageKit for a 26 MB upload (413) or a file that is not an image (415)', async () => {
    const before = fake.requests.length;
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(26_000_000, 1)]);
    expect((await upload(me.token, huge)).status).toBe(413);
    expect((await upload(me.token, await readFile(fixture('not-an-image.png')))).status).toBe(415);
    expect(fake.requests.length).toBe(before);
  });

  it('deletes the ImageKit file when the image is replaced and when its reminder is purged from the trash', async () => {
    const first = (await upload(me.token, await noiseJpeg(300, 200))).body.image;
    const second = (await upload(me.token, await noiseJpeg(300, 200))).body.image;
    const fileId = async (id: string) => (await h.repos.images.findForUser(id, me.userId))!.fileId!;
    const firstFile = await fileId(first.id);
    const secondFile = await fileId(second.id);
    const { reminder } = (
      await h.call('POST', '/api/reminders', { token: me.token, json: { text: 'x', imageId: first.id } })
    ).body;

    await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: me.token,
      json: { imageId: second.id },
      headers: { 'if-match': '"1"' },
    });
    expect(fake.requests).toContainEqual(
      expect.objectContaining({ method: 'DELETE', path: `/v1/files/${firstFile}`, status: 204 }),
    );
    expect(fake.files.has(firstFile)).toBe(false);
    expect((await fetch(first.url)).status).toBe(404);

    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token: me.token });
    // In the trash it stays (an undo shows it again); the purge after the trash period removes it.
    expect(fake.files.has(secondFile)).toBe(true);
    await trashPurge(h).purgeExpired();
    expect(fake.requests).toContainEqual(
      expect.objectContaining({ method: 'DELETE', path: `/v1/files/${secondFile}` }),
    );
    expect(fake.files.has(secondFile)).toBe(false);
    expect(await h.repos.images.findForUser(second.id, me.userId)).toBeNull();
  });

  it('reports readiness, and names refused keys', async () => {
    expect((await h.call('GET', '/readyz')).body.checks.storage).toBe('ok');
    const config = loadConfig({
      DATA_DIR: '/nonexistent',
      ...fake.env,
      IMAGEKIT_PRIVATE_KEY: 'private_wrong=',
    }).images.store;
    if (config.kind !== 'imagekit') throw new Error('expected ImageKit settings');
    expect(await createImageKitStore(config).ready()).toEqual({
      ok: false,
      detail: 'ImageKit refused the keys: check IMAGEKIT_PRIVATE_KEY',
    });
  });
});
