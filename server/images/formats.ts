import type { ImageMime } from '../../shared/schemas/images';

/** File extensions of the stored types (files are named by the server, never by the uploader). */
export const EXTENSION: Record<ImageMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};

export const MIME_BY_EXTENSION: Record<string, ImageMime> = Object.fromEntries(
  Object.entries(EXTENSION).map(([mime, ext]) => [ext, mime as ImageMime]),
);
