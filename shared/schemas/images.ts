import * as v from 'valibot';
import { IMAGE_MIME_TYPES, IMAGES, LIMITS, NEW_TAB_IMAGE } from '../limits';
import { HttpUrlSchema, IsoDateSchema, contract } from './common';

/**
 * `POST /api/images` takes either a multipart form (field `file`, plus an optional
 * `sourceUrl`: where the image was found) or this JSON body, for a public image the server
 * fetches itself. Private and `data:` images are read by the extension and sent as a file.
 */
export const RemoteImageInputSchema = contract({
  url: HttpUrlSchema('Image URL', IMAGES.remoteUrlMaxLength),
});

/** The text fields of the multipart form besides `file`. */
export const ImageUploadFieldsSchema = contract({
  sourceUrl: v.optional(HttpUrlSchema('Source URL', LIMITS.sourceUrlMaxLength)),
});

export const ImageMimeSchema = v.picklist(IMAGE_MIME_TYPES);

export const ImageVariantSchema = v.object({
  width: v.number(),
  url: v.string(),
});

/**
 * An image as the client sees it. Every URL is absolute, signed and stops working at
 * `expiresAt`; ask `GET /api/images/:id` for fresh ones. `variants` (ascending width, each
 * narrower than the original) are what the new tab should download (see `pickImageUrl`).
 * `srcset` lists the same URLs, `url` included, for an `<img srcset>`.
 */
export const ImageSchema = v.object({
  id: v.string(),
  mime: ImageMimeSchema,
  width: v.number(),
  height: v.number(),
  bytes: v.number(),
  url: v.string(),
  variants: v.array(ImageVariantSchema),
  srcset: v.string(),
  expiresAt: IsoDateSchema,
  sourceUrl: v.nullable(v.string()),
  createdAt: IsoDateSchema,
});

export const ImageResponseSchema = v.object({ image: ImageSchema });

export type RemoteImageInput = v.InferOutput<typeof RemoteImageInputSchema>;
export type ImageMime = v.InferOutput<typeof ImageMimeSchema>;
export type ImageVariant = v.InferOutput<typeof ImageVariantSchema>;
export type Image = v.InferOutput<typeof ImageSchema>;
export type ImageResponse = v.InferOutput<typeof ImageResponseSchema>;

/**
 * The size the new tab should download for a screen `devicePixels` wide (CSS width × device
 * pixel ratio): the narrowest size at least that wide; on a wider screen, the widest size
 * (never more than the largest standard width, so never a multi-megabyte original); the
 * original only when it is itself no wider than that. `width` names the size (the
 * original's width for the original), so a cache can key by image id and width.
 */
export function pickImageVariant(
  image: Pick<Image, 'url' | 'width' | 'variants'>,
  devicePixels: number,
): ImageVariant {
  const fits = image.variants.find((variant) => variant.width >= devicePixels);
  if (fits) return fits;
  const widest = image.variants.at(-1);
  return widest && image.width > Math.max(...IMAGES.variantWidths)
    ? widest
    : { width: image.width, url: image.url };
}

/** A screen as the new tab sees it: CSS pixels and the device pixel ratio. */
export type ScreenSize = { width: number; height: number; dpr: number };

/**
 * How many device pixels wide the new tab's image box is for `image` on `screen` (see
 * NEW_TAB_IMAGE): the width to pick a size by. A 4,000-pixel photo on a 2560 × 1440 monitor
 * shows 1,152 CSS pixels wide, so the 1,280-pixel copy is enough.
 */
export function newTabImagePixels(screen: ScreenSize, image: Pick<Image, 'width' | 'height'>): number {
  const ratio = image.width / Math.max(1, image.height);
  const css = Math.min(
    NEW_TAB_IMAGE.maxWidthShare * screen.width,
    NEW_TAB_IMAGE.maxCssWidth,
    NEW_TAB_IMAGE.maxHeightShare * screen.height * ratio,
    image.width,
  );
  return Math.max(1, Math.ceil(css * screen.dpr));
}

/** The URL of `pickImageVariant`. */
export function pickImageUrl(image: Pick<Image, 'url' | 'width' | 'variants'>, devicePixels: number): string {
  return pickImageVariant(image, devicePixels).url;
}
