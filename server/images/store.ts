import type { ImageMime } from '../../shared/schemas/images';

/** What the processing step learned about a file, recorded with it. */
export type ImageFacts = { mime: ImageMime; width: number; height: number };

/** Where a stored file lives: a store-chosen key, plus ImageKit's fileId (null for local). */
export type StoredRef = { key: string; fileId: string | null };

export type PutMeta = ImageFacts & {
  /** The image record's id (used to name the file; never the uploader's file name). */
  id: string;
  userId: string;
  animated: boolean;
};

export type UrlOptions = {
  /** Deliver this width (one of `variantWidths`); omitted: the stored original. */
  width?: number;
  /** When the URL stops working. */
  expiresAt: Date;
  /** Origin (and path prefix) the API is reached at; used by stores that serve files themselves. */
  baseUrl: string;
};

export type Readiness = { ok: boolean; detail: string };

/**
 * Where processed images live. Two implementations (local disk, ImageKit) pass one
 * conformance suite. Every URL a store hands out is signed and expires: a bare, altered or
 * expired URL is refused, whatever the image is attached to.
 */
export interface ImageStore {
  readonly kind: 'local' | 'imagekit';
  /** Stores the processed file at `path` (the caller removes it afterwards). */
  put(path: string, meta: PutMeta): Promise<StoredRef>;
  /** Removes the file and everything derived from it; deleting a missing file succeeds. */
  delete(ref: StoredRef): Promise<void>;
  url(ref: StoredRef & ImageFacts, options: UrlOptions): string;
  /** The narrower widths `url` can deliver for an image of this size, ascending. */
  variantWidths(facts: ImageFacts): number[];
  ready(): Promise<Readiness>;
}
