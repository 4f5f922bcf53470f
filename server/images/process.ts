import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { IMAGES } from '../../shared/limits';
import type { ImageMime } from '../../shared/schemas/images';
import { AppError } from '../errors';
import type { SniffedType } from './sniff';
import type { ImageFacts } from './store';

export type ProcessedImage = ImageFacts & { path: string; bytes: number; sha256: string; animated: boolean };

/** The decoder sharp must report for each sniffed type; anything else is a disguised file. */
const DECODER: Record<SniffedType, string> = {
  jpeg: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  avif: 'heif',
  svg: 'svg',
};

const megapixels = (n: number) => `${Math.round(n / 1_000_000).toLocaleString('en')} megapixels`;

const tooLarge = (pixels?: number) =>
  new AppError(
    'image_too_large',
    `The image is too large to process${pixels ? ` (${megapixels(pixels)})` : ''}: the limit is ${megapixels(IMAGES.maxPixels)}.`,
  );

const unreadable = (type: SniffedType) =>
  new AppError(
    'invalid_image',
    `The file starts like ${type === 'svg' ? 'an SVG' : `a ${type.toUpperCase()}`} image but could not be read.`,
  );

/**
 * Every upload is decoded and re-encoded before it is stored:
 * - the pixel limit is checked on the header, before any pixel is decoded (decompression bombs);
 * - EXIF orientation is applied to the pixels, then all metadata (EXIF with GPS, XMP, IPTC,
 *   comments) is dropped: sharp writes none unless asked, and converts to sRGB;
 * - SVG is rasterised to PNG by librsvg, which runs no scripts and, reading from a file
 *   without a base URL, loads no external resources; the SVG itself is never stored;
 * - animated GIF and WebP keep every frame.
 */
export async function processImage(
  input: string,
  type: SniffedType,
  output: string,
): Promise<ProcessedImage> {
  let meta: Metadata;
  try {
    // Header only: the limit is checked below, with the pixel count in the message.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable(type);
  }
  if (meta.format !== DECODER[type] || (type === 'avif' && meta.compression !== 'av1'))
    throw unreadable(type);

  const pages = meta.pages ?? 1;
  const animated = (type === 'gif' || type === 'webp') && pages > 1;
  if (type !== 'svg') {
    const pixels = meta.width * (meta.pageHeight ?? meta.height) * (animated ? pages : 1);
    if (pixels > IMAGES.maxPixels) throw tooLarge(pixels);
  }

  const { pipeline, mime } = encoder(input, type, meta, animated);
  try {
    await pipeline.toFile(output);
  } catch (error) {
    if (/pixel limit/i.test((error as Error).message)) throw tooLarge();
    throw unreadable(type);
  }

  const stored = await sharp(output).metadata();
  const { size } = await stat(output);
  return {
    path: output,
    mime,
    width: stored.width,
    height: stored.pageHeight ?? stored.height,
    bytes: size,
    sha256: await sha256File(output),
    animated,
  };
}

function encoder(
  input: string,
  type: SniffedType,
  meta: Metadata,
  animated: boolean,
): { pipeline: Sharp; mime: ImageMime } {
  const common = { limitInputPixels: IMAGES.maxPixels, failOn: 'error' as const };
  switch (type) {
    case 'svg':
      return { pipeline: sharp(input, { ...common, density: svgDensity(meta) }).png(), mime: 'image/png' };
    case 'gif':
      return { pipeline: sharp(input, { ...common, animated }).gif(), mime: 'image/gif' };
    case 'webp':
      return {
        pipeline: sharp(input, { ...common, animated, autoOrient: !animated }).webp({ quality: 90 }),
        mime: 'image/webp',
      };
    case 'jpeg':
      // No Huffman optimisation: it holds the whole image's coefficients in memory for a 2nd pass.
      return {
        pipeline: sharp(input, { ...common, autoOrient: true }).jpeg({ quality: 90, optimiseCoding: false }),
        mime: 'image/jpeg',
      };
    case 'png':
      return { pipeline: sharp(input, { ...common, autoOrient: true }).png(), mime: 'image/png' };
    case 'avif':
      return {
        pipeline: sharp(input, { ...common, autoOrient: true }).avif({ quality: 70, effort: 2 }),
        mime: 'image/avif',
      };
  }
}

/**
 * Vector art has no natural pixel size: render it with the longest side between
 * `svgRasterMinSide` and `svgRasterMaxSide`, so a 24-pixel icon stays sharp and a
 * 100,000-pixel canvas cannot become a bomb.
 */
function svgDensity(meta: Metadata): number {
  const longest = Math.max(meta.width, meta.height, 1);
  const target = Math.min(Math.max(longest, IMAGES.svgRasterMinSide), IMAGES.svgRasterMaxSide);
  return Math.min(Math.max((72 * target) / longest, 1), 100_000);
}

/** Hashes through one reused buffer: a 25 MB file leaves no 25 MB of chunks for the GC. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
