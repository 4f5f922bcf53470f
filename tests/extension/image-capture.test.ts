import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { IMAGES } from '../../shared/limits';
import { decodeDataUrl } from '../../extension/utils/data-url';
import { captureImage } from '../../extension/utils/image-capture';
import { imageProblem } from '../../extension/utils/image-rules';
import { fixture } from '../support/image-fixtures';
import { freshBrowser } from '../support/extension-harness';

const PNG_DATA_URL = readFileSync(fixture('pixel-1x1.png.dataurl'), 'utf8').trim();
const SVG_DATA_URL = readFileSync(fixture('icon.svg.dataurl'), 'utf8').trim();
const PHOTO = '/usr/share/backgrounds/mate/nature/FreshFlower.jpg';
const PAGE = { id: 3, url: 'https://example.org/gallery', title: 'A gallery' };
const click = (srcUrl: string) => ({
  menuItemId: 'remindme-save-image',
  srcUrl,
  pageUrl: PAGE.url,
  frameId: 0,
});

/** What the in-page reader answers when it could read the bytes. */
const readOk = (bytes: Buffer, mime: string, alt: string | null = 'Flowers') => ({
  status: 'ok',
  base64: bytes.toString('base64'),
  mime,
  size: bytes.length,
  alt,
  title: 'A gallery',
});
const unreadable = { status: 'unreadable', alt: 'Flowers', title: 'A gallery' };

describe('decoding data: URLs in the extension', () => {
  it('decodes the base64 1×1 PNG to its 70 bytes', () => {
    const decoded = decodeDataUrl(PNG_DATA_URL);
    expect(decoded?.mime).toBe('image/png');
    expect(decoded?.bytes.byteLength).toBe(70);
    expect(Buffer.from(decoded!.bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
  });

  it('decodes a URL-encoded inline SVG to its markup', () => {
    const decoded = decodeDataUrl(SVG_DATA_URL);
    expect(decoded?.mime).toBe('image/svg+xml');
    const text = new TextDecoder().decode(decoded!.bytes);
    expect(text).toMatch(/^<svg[\s>]/);
    expect(text).toContain('</svg>');
  });

  it('refuses what is not a data: URL or is damaged', () => {
    expect(decodeDataUrl('https://example.org/a.png')).toBeNull();
    expect(decodeDataUrl('data:image/png;base64,%%%')).toBeNull();
    expect(decodeDataUrl('data:image/png;base64')).toBeNull();
  });
});

describe('capturing the right-clicked image', () => {
  beforeEach(() => {
    freshBrowser({ selection: null });
  });

  it('decodes a data: image without reading the page for its bytes', async () => {
    const reads: boolean[] = [];
    freshBrowser({
      selection: null,
      image: (_src, readBytes) => {
        reads.push(readBytes);
        return { status: 'skipped', alt: 'An icon', title: 'A gallery' };
      },
    });
    const captured = await captureImage(click(SVG_DATA_URL), PAGE);
    expect(captured).toMatchObject({ kind: 'bytes', mime: 'image/svg+xml', sourceUrl: null, alt: 'An icon' });
    expect(reads).toEqual([false]);
  });

  it('takes the bytes the page read (cookies, referrer, blob:) and keeps the image address', async () => {
    const photo = readFileSync(PHOTO);
    freshBrowser({ selection: null, image: () => readOk(photo, 'image/jpeg') });
    const src = 'https://images.example.org/private/flower.jpg';
    const captured = await captureImage(click(src), PAGE);
    expect(captured.kind).toBe('bytes');
    if (captured.kind !== 'bytes') return;
    expect(Buffer.from(captured.bytes).equals(photo)).toBe(true);
    expect(captured).toMatchObject({
      mime: 'image/jpeg',
      sourceUrl: src,
      alt: 'Flowers',
      title: 'A gallery',
    });
  });

  it('keeps no blob: address as the source (it means nothing outside the page)', async () => {
    freshBrowser({ selection: null, image: () => readOk(Buffer.from('GIF89a'), 'image/gif') });
    const captured = await captureImage(click('blob:https://example.org/1b2c'), PAGE);
    expect(captured).toMatchObject({ kind: 'bytes', sourceUrl: null });
  });

  it('hands a public image the page cannot read to the server by its address', async () => {
    freshBrowser({ selection: null, image: () => unreadable });
    const src = 'https://cdn.example.net/photo.jpg';
    expect(await captureImage(click(src), PAGE)).toEqual({
      kind: 'remote',
      url: src,
      alt: 'Flowers',
      title: 'A gallery',
    });
    // No script may run at all (a restricted page): the address still works.
    freshBrowser({ selection: null, image: null });
    expect(await captureImage(click(src), PAGE)).toMatchObject({ kind: 'remote', url: src, alt: null });
  });

  it('says clearly when a blob: image is gone, and captures nothing', async () => {
    freshBrowser({ selection: null, image: () => unreadable });
    const captured = await captureImage(click('blob:https://example.org/revoked'), PAGE);
    expect(captured.kind).toBe('failed');
    if (captured.kind === 'failed') expect(captured.message).toMatch(/could not be read.*blob:/s);
  });

  it('refuses an image larger than the upload limit with a readable message', async () => {
    freshBrowser({
      selection: null,
      image: () => ({ status: 'too_large', size: 30_000_000, alt: null, title: null }),
    });
    const captured = await captureImage(click('https://example.org/huge.jpg'), PAGE);
    expect(captured).toMatchObject({ kind: 'failed', code: 'image_too_large' });
    if (captured.kind === 'failed')
      expect(captured.message).toMatch(/too large \(30\.0 MB\); the limit is 25 MB/);
  });

  it('says so when there is no image address at all', async () => {
    expect(await captureImage({ menuItemId: 'remindme-save-image', pageUrl: PAGE.url }, PAGE)).toMatchObject({
      kind: 'failed',
      code: 'no_image',
    });
  });
});

describe('client-side image checks (the server stays the authority)', () => {
  it('uses the shared limits and names the problem', () => {
    expect(imageProblem('image/jpeg', IMAGES.maxBytes)).toBeNull();
    expect(imageProblem('image/jpeg', IMAGES.maxBytes + 1)).toMatch(
      /too large \(25\.0 MB\); the limit is 25 MB/,
    );
    expect(imageProblem('image/svg+xml', 500)).toBeNull();
    expect(imageProblem('text/html', 500)).toMatch(/web page, not an image/);
    expect(imageProblem('application/pdf', 500)).toMatch(/not a supported image/);
    expect(imageProblem('image/png', 0)).toMatch(/empty/);
    // Unknown to the browser: the server reads the type from the bytes.
    expect(imageProblem('', 500)).toBeNull();
  });
});
