import sharp from 'sharp';
import type { ImageMime } from '../../shared/schemas/images';

export type VariantFormat = 'jpeg' | 'webp';

/**
 * Narrower copies are JPEG for JPEG originals, decodable everywhere, and WebP for everything
 * else, which may have transparency or animation. Up to 1920 pixels JPEG copies use mozjpeg's
 * trellis quantisation (about 30% smaller at the same look); it buffers the whole image, so
 * wider copies use the streaming encoder, keeping the worker's peak memory to one small buffer.
 */
export function variantFormat(mime: ImageMime): VariantFormat {
  return mime === 'image/jpeg' ? 'jpeg' : 'webp';
}

export const VARIANT_EXTENSION: Record<VariantFormat, string> = { jpeg: 'jpg', webp: 'webp' };

const TRELLIS_MAX_WIDTH = 1920;

/** Writes each width, one at a time, so peak memory is one decode whatever the count. */
export async function writeVariants(
  input: string,
  options: { format: VariantFormat; animated: boolean; outputs: { width: number; path: string }[] },
): Promise<void> {
  for (const { width, path } of options.outputs) {
    const resized = sharp(input, { animated: options.animated, limitInputPixels: false }).resize({ width });
    const encoded =
      options.format === 'webp'
        ? resized.webp({ quality: 72 })
        : resized.jpeg(
            width <= TRELLIS_MAX_WIDTH
              ? { quality: 65, quantisationTable: 3, overshootDeringing: true, trellisQuantisation: true }
              : { quality: 65, quantisationTable: 3, overshootDeringing: true, optimiseCoding: false },
          );
    await encoded.toFile(path);
  }
}
