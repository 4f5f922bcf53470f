import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { loudSkip } from './skip-notice';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'images');

export const fixture = (name: string) => join(FIXTURES, name);

/** Decodes a `data:` URL the way the extension does (base64 or percent-encoded). */
export function decodeDataUrl(url: string): { mime: string; bytes: Buffer } {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url.trim());
  if (!match) throw new Error('not a data: URL');
  const body = match[4] ?? '';
  return {
    mime: match[1] || 'text/plain',
    bytes: match[3] ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8'),
  };
}

export const dataUrlFixture = (name: string) => decodeDataUrl(readFileSync(fixture(name), 'utf8'));

/** Real photographs from Debian's wallpaper packages, or null (loudly) when not installed. */
export function realPhotos(): { jpeg: string; png: string; webp: string; large: string } | null {
  const photos = {
    jpeg: '/usr/share/backgrounds/mate/nature/Garden.jpg',
    png: '/usr/share/backgrounds/mate/abstract/Flow.png',
    webp: '/usr/share/backgrounds/gnome/wood-d.webp',
    large: '/usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg',
  };
  if (Object.values(photos).every((p) => existsSync(p))) return photos;
  loudSkip(
    "Debian's wallpaper photos",
    'image tests on real photographs',
    'apt-get install -y mate-backgrounds gnome-backgrounds',
  );
  return null;
}

/** Random pixels as a JPEG at full quality: about 2.9 bytes a pixel, so size is predictable. */
export function noiseJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

/** An animated GIF of three differently coloured frames. */
export function threeFrameGif(width = 64, height = 48): Promise<Buffer> {
  const frames = Buffer.alloc(width * height * 3 * 3);
  for (let i = 0; i < 3; i++) frames.fill(30 + i * 90, i * width * height * 3, (i + 1) * width * height * 3);
  return sharp(frames, { raw: { width, height: height * 3, channels: 3, pageHeight: height } })
    .gif({ delay: [300, 300, 300], loop: 0 })
    .toBuffer();
}

/** A 300×200 JPEG tagged "rotate 90° clockwise" (orientation 6), with a camera make and GPS position. */
export function gpsJpeg(): Promise<Buffer> {
  const pixels = Buffer.alloc(300 * 200 * 3);
  // Left half dark, right half light: after rotation the light half must be at the bottom.
  for (let y = 0; y < 200; y++) pixels.fill(230, (y * 300 + 150) * 3, (y * 300 + 300) * 3);
  return sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'RemindMe Test Camera' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 3230/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4366/100',
      },
    })
    .toBuffer();
}

/**
 * A 70-byte PNG whose header claims `width`×`height` pixels: a decompression bomb in
 * miniature. The pixel limit must stop it at the header, before any decoding.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const png = Buffer.from(readFileSync(fixture('pixel-1x1.png.dataurl'), 'utf8').split(',')[1]!, 'base64');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
