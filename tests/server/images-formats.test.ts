import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PNG_MAGIC,
  dataUrlFixture,
  fixture,
  gpsJpeg,
  noiseJpeg,
  pngClaiming,
  realPhotos,
  threeFrameGif,
} from '../support/image-fixtures';
import { useHarness } from './harness';
import { uploader } from './images-helpers';

/** What goes in and what comes out: types, sizes, orientation, metadata, hostile files. */
describe('image formats and edge cases', () => {
  const h = useHarness('sqlite');
  const upload = uploader(h);
  let token: string;
  const stored = async (url: string) => Buffer.from(await (await h.app.request(url)).arrayBuffer());
  const everyStoredFile = async (image: { url: string; variants: { url: string }[] }) =>
    Promise.all([image.url, ...image.variants.map((x) => x.url)].map(stored));

  beforeAll(async () => {
    token = (await h.signUp()).token;
  });

  const photos = realPhotos();
  describe.runIf(photos)("Debian's wallpaper photographs", () => {
    it.each([
      ['JPEG', 'jpeg', 'image/jpeg', 'jpeg'],
      ['PNG', 'png', 'image/png', 'webp'],
      ['WebP', 'webp', 'image/webp', 'webp'],
    ] as const)(
      'stores a real %s photo at its size, with narrower %s copies',
      async (_label, key, mime, copies) => {
        const path = photos![key];
        const meta = await sharp(path).metadata();
        const res = await upload(token, await readFile(path), { name: path.split('/').pop() });
        expect(res.status).toBe(201);
        expect(res.body.image).toMatchObject({ mime, width: meta.width, height: meta.height });
        const files = await everyStoredFile(res.body.image);
        expect((await sharp(files[0]!).metadata()).format).toBe(key);
        const formats = await Promise.all(
          files.slice(1).map(async (f) => (await sharp(f).metadata()).format),
        );
        expect(formats).toEqual(res.body.image.variants.map(() => copies));
        expect(formats.length).toBeGreaterThan(0);
      },
    );
  });

  it('stores the 70-byte 1×1 PNG from a base64 data: URL', async () => {
    const { mime, bytes } = dataUrlFixture('pixel-1x1.png.dataurl');
    expect([mime, bytes.length]).toEqual(['image/png', 70]);
    const res = await upload(token, bytes, { type: mime });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ mime: 'image/png', width: 1, height: 1, variants: [] });
  });

  it('rasterises a URL-encoded SVG data: URL to a sharp PNG', async () => {
    const { mime, bytes } = dataUrlFixture('icon.svg.dataurl');
    expect(mime).toBe('image/svg+xml');
    const res = await upload(token, bytes, { type: mime });
    expect(res.status).toBe(201);
    // A 24-pixel icon is drawn at 1024 pixels, not blown up from 24.
    expect(res.body.image).toMatchObject({ mime: 'image/png', width: 1024, height: 1024 });
    expect((await stored(res.body.image.url)).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  });

  it('turns an SVG with scripts into plain pixels: no markup survives anywhere', async () => {
    const res = await upload(token, await readFile(fixture('script.svg')), {
      name: 'evil.svg',
      type: 'image/svg+xml',
    });
    expect(res.status).toBe(201);
    expect(res.body.image.mime).toBe('image/png');
    for (const file of await everyStoredFile(res.body.image)) {
      expect(file.includes('<script')).toBe(false);
      expect(file.includes('alert')).toBe(false);
      expect(file.includes('<svg')).toBe(false);
    }
    const served = await h.app.request(res.body.image.url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('does not let an SVG make the server fetch anything', async () => {
    let hits = 0;
    const bait = createServer((_req, res) => {
      hits++;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    const port = (bait.address() as AddressInfo).port;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">` +
      `<image href="http://127.0.0.1:${port}/a.png" width="50" height="50"/>` +
      `<image xlink:href="file:///etc/passwd" width="50" height="50"/>` +
      `<style>@import url("http://127.0.0.1:${port}/b.css");</style></svg>`;
    const res = await upload(token, Buffer.from(svg));
    bait.close();
    expect(res.status).toBe(201);
    expect(hits).toBe(0);
  });

  it('keeps all three frames of an animated GIF, in the original and the narrower copies', async () => {
    const res = await upload(token, await threeFrameGif(700, 400), { name: 'anim.gif' });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ mime: 'image/gif', width: 700, height: 400 });
    for (const file of await everyStoredFile(res.body.image)) {
      expect((await sharp(file).metadata()).pages).toBe(3);
    }
  });

  it('stores an AVIF as AVIF', async () => {
    const avif = await sharp(await noiseJpeg(320, 240))
      .avif({ effort: 2 })
      .toBuffer();
    const res = await upload(token, avif);
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ mime: 'image/avif', width: 320, height: 240 });
  });

  it('saves a 12 MB JPEG', async () => {
    const big = await noiseJpeg(2400, 1800);
    expect(big.length).toBeGreaterThan(12_000_000);
    const res = await upload(token, big, { name: 'big.jpg' });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ width: 2400, height: 1800 });
  });

  it('refuses a 26 MB file with 413 and a readable message', async () => {
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(26_000_000 - 4, 7)]);
    const res = await upload(token, huge, { name: 'huge.jpg' });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: 'payload_too_large',
      message: 'The image is too large: the limit is 25 MB.',
    });
  });

  it('applies EXIF orientation and strips every tag, GPS included', async () => {
    const input = await gpsJpeg();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(exifReader(before.exif!).GPSInfo?.GPSLatitude).toEqual([51, 30, 32.3]);
    const res = await upload(token, input, { name: 'gps.jpg' });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatchObject({ width: 200, height: 300 });
    const file = await stored(res.body.image.url);
    const after = await sharp(file).metadata();
    expect([after.width, after.height, after.orientation, after.exif, after.xmp, after.iptc]).toEqual([
      200,
      300,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(file.includes('RemindMe Test Camera')).toBe(false);
    // Rotated 90° clockwise: the light right half of the original is now the bottom half.
    const { data } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(data[10 * 200 + 100]).toBeLessThan(100);
    expect(data[290 * 200 + 100]).toBeGreaterThan(150);
  });

  it('refuses an HTML page named .png with 415, whatever its declared type', async () => {
    const res = await upload(token, await readFile(fixture('not-an-image.png')), {
      name: 'photo.png',
      type: 'image/png',
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toMatch(/JPEG, PNG, WebP, GIF, AVIF or SVG/);
  });

  it('refuses types it does not serve (BMP, TIFF, PDF) with 415', async () => {
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(100)]);
    const tiff = await sharp(await noiseJpeg(20, 20))
      .tiff()
      .toBuffer();
    for (const bytes of [bmp, tiff, Buffer.from('%PDF-1.7\n')]) {
      expect((await upload(token, bytes)).status).toBe(415);
    }
  });

  it('stops a decompression bomb at its header, quickly, with 413', async () => {
    const bomb = pngClaiming(20_000, 20_000);
    expect(bomb.length).toBe(70);
    const started = performance.now();
    const res = await upload(token, bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('image_too_large');
    expect(res.body.error.message).toBe(
      'The image is too large to process (400 megapixels): the limit is 100 megapixels.',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('answers 422 for a file that starts like an image but is broken', async () => {
    const res = await upload(token, Buffer.concat([PNG_MAGIC, Buffer.from('not really a png')]));
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'invalid_image',
      message: 'The file starts like a PNG image but could not be read.',
    });
  });
});
