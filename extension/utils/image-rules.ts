import { IMAGE_MIME_TYPES, IMAGES } from '../../shared/limits';

/**
 * Fast, readable refusals before any bytes are stored or sent. The server stays the
 * authority (it reads the type from the bytes, not from what a browser claims): these
 * checks only catch what is certainly wrong, and let an unknown type through to it.
 */

/** What the server accepts; SVG is rasterised there and never stored as SVG. */
export const ACCEPTED_IMAGE_TYPES: readonly string[] = [...IMAGE_MIME_TYPES, 'image/svg+xml'];

/** For `<input type="file" accept>`. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_IMAGE_TYPES.join(',');

const megabytes = (bytes: number, fraction = 0) =>
  (bytes / 1_000_000).toLocaleString('en', { minimumFractionDigits: fraction, maximumFractionDigits: 1 });

/** A message saying why this cannot be uploaded, or null when it may be. */
export function imageProblem(mime: string, size: number): string | null {
  if (size === 0) return 'The image is empty (0 bytes).';
  if (size > IMAGES.maxBytes) {
    return `The image is too large (${megabytes(size, 1)} MB); the limit is ${megabytes(IMAGES.maxBytes)} MB.`;
  }
  const type = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  // Browsers leave the type empty for names they do not know: the server will tell.
  if (type === '' || type === 'application/octet-stream' || ACCEPTED_IMAGE_TYPES.includes(type)) return null;
  if (type === 'text/html') {
    return 'The address gave a web page, not an image (perhaps a sign-in page).';
  }
  return 'This is not a supported image. Use a JPEG, PNG, WebP, GIF, AVIF or SVG file.';
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
};

/** The server ignores names; a plain one keeps a person's file name off the wire. */
export function uploadFilename(mime: string): string {
  return `image.${EXTENSIONS[mime.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'bin'}`;
}
