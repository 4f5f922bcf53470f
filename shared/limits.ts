/**
 * Every limit and default that both the extension and the server rely on, defined once.
 * Lengths are UTF-16 code units (JavaScript's `string.length`), which is what the browser's
 * selection gives us; the database columns are sized so the longest allowed text fits in
 * utf8mb4 with room to spare.
 */
export const LIMITS = {
  /** A reminder's text. 20,000 units is a long essay; a whole web page is refused. */
  textMaxLength: 20_000,
  noteMaxLength: 5_000,
  authorMaxLength: 300,
  sourceUrlMaxLength: 2_048,
  sourceTitleMaxLength: 500,
  emailMaxLength: 254,
  passwordMinLength: 8,
  /** argon2 hashes anything; the cap stops a megabyte "password" from costing CPU for nothing. */
  passwordMaxLength: 256,
  sessionLabelMaxLength: 100,
  /** JSON request bodies; a maximal reminder is ~80 KB even with every character escaped. */
  jsonBodyMaxBytes: 256 * 1024,
  pageSizeDefault: 50,
  pageSizeMax: 200,
  syncPageSizeDefault: 500,
  syncPageSizeMax: 1_000,
} as const;

export const SESSION = {
  /** A session lives 30 days from its last use (sliding expiry, as in Lucia's guide). */
  lifetimeMs: 30 * 24 * 60 * 60 * 1000,
  /** Refresh the expiry at most once every 24 hours to keep reads cheap. */
  refreshAfterMs: 24 * 60 * 60 * 1000,
} as const;

/** Image uploads, processing and delivery (server and extension share these). */
export const IMAGES = {
  /** ImageKit's own upload cap, applied to every store: larger uploads are refused with 413. */
  maxBytes: 25_000_000,
  /** Decoded size cap (width × height, all frames); stops decompression bombs at the header. */
  maxPixels: 100_000_000,
  /** Widths of the sizes the new tab can pick from (each only when narrower than the original). */
  variantWidths: [640, 1280, 1920, 2560],
  /** How long a delivered image URL keeps working (at least this; see `urlStableForSeconds`). */
  urlTtlSeconds: 12 * 60 * 60,
  /** Expiries are rounded up to this step, so URLs stay identical (and cacheable) within it. */
  urlStableForSeconds: 60 * 60,
  /** SVGs are rasterised with their longest side scaled into this range. */
  svgRasterMinSide: 1_024,
  svgRasterMaxSide: 4_096,
  /** Server-side fetches of `{url}`. */
  remoteMaxRedirects: 3,
  remoteConnectTimeoutMs: 5_000,
  remoteTotalTimeoutMs: 30_000,
  remoteUrlMaxLength: 2_048,
  /** An upload no reminder uses is removed after this long (an outbox may attach it late). */
  unattachedGraceMs: 7 * 24 * 60 * 60 * 1000,
} as const;

/**
 * The new tab's image box (App.svelte builds its CSS from these): at most this share of the
 * window's width, this many CSS pixels, and this share of its height (by the image's aspect
 * ratio), never wider than the image itself. What the new tab downloads is sized to the box.
 */
export const NEW_TAB_IMAGE = { maxWidthShare: 0.92, maxCssWidth: 1152, maxHeightShare: 0.6 } as const;

export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** The collection: trash, search, import/export and public pages (issue #4). */
export const LIBRARY = {
  /**
   * A deleted reminder stays in the trash this long, then is purged with its image. Not
   * shorter than a session's lifetime: a device that has not synced since before a delete
   * has signed out (its session expired) by the time the tombstone disappears, and starts
   * over from a full sync when it signs in again.
   */
  trashDays: 30,
  trashMs: 30 * 24 * 60 * 60 * 1000,
  /** An import file (raw body or multipart): a Kindle clippings file of a heavy reader fits. */
  importMaxBytes: 10 * 1024 * 1024,
  importMaxEntries: 50_000,
  /** Skipped and failed entries listed one by one in a report (the counts are always complete). */
  importReportMaxIssues: 1_000,
  /** Entries shown as a preview in a dry run's report. */
  importPreviewSize: 20,
  searchMaxLength: 200,
  handleMinLength: 3,
  handleMaxLength: 30,
  /** Reminders per page of `/u/:handle` and its JSON feed (by default). */
  publicPageSize: 50,
  /** The CSV feed is not paged: it holds this many of the newest public reminders. */
  publicFeedMaxItems: 5_000,
} as const;
