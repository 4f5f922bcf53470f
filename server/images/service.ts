import { describeError } from '../http/describe-error';
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGES } from '../../shared/limits';
import type { Image } from '../../shared/schemas/images';
import type { Reminder } from '../../shared/schemas/reminders';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ImageProcessor } from './processor';
import { fetchRemoteImage, type RemoteFetchOptions } from './remote-fetch';
import type { ImageRepo, ImageRow } from './repo';
import { sniffFile } from './sniff';
import type { ImageStore } from './store';

export type ImageServiceDeps = {
  repo: ImageRepo;
  store: ImageStore;
  clock: () => Date;
  logger: Logger;
  /** Scratch space for uploads in flight (on the data disk). */
  tempDir: string;
  /** Decodes and re-encodes uploads, in a worker process. */
  processor: Pick<ImageProcessor, 'process'>;
  /** SSRF-guard settings; tests may allow loopback here, nothing else can. */
  remoteFetch?: RemoteFetchOptions;
};

const UNSUPPORTED =
  'This file is not a supported image. Send a JPEG, PNG, WebP, GIF, AVIF or SVG (the type is read from the file itself, not its name).';

/**
 * Uploads and their lifecycle. Rules that live here:
 * - an upload is streamed to a temporary file, its type read from its bytes, then decoded
 *   and re-encoded (process.ts) before anything reaches the store;
 * - an image belongs to its uploader: only they can see it or attach it to a reminder;
 * - a file is removed once no reminder uses it (`purgeImageIfUnused`), and uploads never
 *   attached are removed after a grace period (`purgeUnattached`).
 */
export function createImageService(deps: ImageServiceDeps) {
  const { repo, store, clock, logger } = deps;
  const scratch = () => join(deps.tempDir, `upload-${randomBytes(12).toString('hex')}`);

  /** URLs expire at least `urlTtlSeconds` from now, on a step boundary so they repeat within it. */
  function expiry(): Date {
    const step = IMAGES.urlStableForSeconds * 1000;
    return new Date(Math.ceil((clock().getTime() + IMAGES.urlTtlSeconds * 1000) / step) * step);
  }

  function view(row: ImageRow, baseUrl: string, expiresAt = expiry()): Image | null {
    // A record from another store (the configuration changed) cannot be delivered.
    if (row.store !== store.kind) return null;
    const ref = {
      key: row.key,
      fileId: row.fileId,
      mime: row.mime,
      width: row.width,
      height: row.height,
    };
    const url = store.url(ref, { expiresAt, baseUrl });
    const variants = store
      .variantWidths(ref)
      .map((width) => ({ width, url: store.url(ref, { width, expiresAt, baseUrl }) }));
    return {
      id: row.id,
      mime: ref.mime,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      url,
      variants,
      srcset: [...variants, { width: row.width, url }].map((v) => `${v.url} ${v.width}w`).join(', '),
      expiresAt: expiresAt.toISOString(),
      sourceUrl: row.sourceUrl,
      createdAt: row.createdAt.toISOString(),
    };
  }

  /** Runs `fill` to write the raw upload, then sniffs, processes, stores and records it. */
  async function ingest(
    userId: string,
    baseUrl: string,
    fill: (dest: string) => Promise<{ sourceUrl: string | null }>,
  ): Promise<Image> {
    const raw = scratch();
    const processed = `${raw}.out`;
    try {
      const { sourceUrl } = await fill(raw);
      const type = await sniffFile(raw);
      if (!type) throw new AppError('unsupported_media_type', UNSUPPORTED);
      const image = await deps.processor.process(raw, type, processed);
      const id = randomUUID();
      const ref = await store.put(processed, {
        id,
        userId,
        mime: image.mime,
        width: image.width,
        height: image.height,
        animated: image.animated,
      });
      const row: ImageRow = {
        id,
        userId,
        store: store.kind,
        key: ref.key,
        fileId: ref.fileId,
        mime: image.mime,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        sha256: image.sha256,
        sourceUrl,
        createdAt: clock(),
      };
      try {
        await repo.insert(row);
      } catch (error) {
        await store.delete(ref).catch(() => undefined);
        throw error;
      }
      const presented = view(row, baseUrl);
      if (!presented) throw new Error('unreachable: a fresh image is always in the current store');
      return presented;
    } finally {
      await Promise.all([rm(raw, { force: true }), rm(processed, { force: true })]);
    }
  }

  async function purgeImageIfUnused(userId: string, imageId: string): Promise<void> {
    try {
      const row = await repo.findForUser(imageId, userId);
      if (!row || (await repo.countReferences(imageId, userId)) > 0) return;
      // File first: if that fails the record stays, and the next sweep tries again.
      if (row.store === store.kind) await store.delete({ key: row.key, fileId: row.fileId });
      await repo.delete(imageId, userId);
    } catch (error) {
      logger.warn('image purge failed; the sweep will retry', { imageId, error: describeError(error) });
    }
  }

  return {
    view,

    upload: ingest,

    uploadFromUrl(userId: string, baseUrl: string, url: string) {
      return ingest(userId, baseUrl, async (dest) => ({
        sourceUrl: (await fetchRemoteImage(url, dest, deps.remoteFetch)).url,
      }));
    },

    async get(userId: string, id: string, baseUrl: string): Promise<Image> {
      const row = await repo.findForUser(id, userId);
      const image = row && view(row, baseUrl);
      if (!image) throw new AppError('not_found', 'That image does not exist.');
      return image;
    },

    /** Refuses an `imageId` that is not one of this person's uploads (someone else's looks absent). */
    async assertAttachable(userId: string, imageId: string): Promise<void> {
      if (!(await repo.findForUser(imageId, userId))) {
        const message = 'No image of yours has this id: upload the image first.';
        throw new AppError('validation_failed', message, { imageId: message });
      }
    },

    /**
     * Deletes the image's file and record when no reminder uses it any more. Never throws:
     * callers have already committed their change. The one place images are deleted; the
     * trash purge (reminders/trash.ts) calls it when it empties a reminder for good.
     */
    purgeImageIfUnused,

    /** Removes uploads no reminder has used for `unattachedGraceMs`; returns how many. */
    async purgeUnattached(): Promise<number> {
      const before = new Date(clock().getTime() - IMAGES.unattachedGraceMs);
      let purged = 0;
      for (let batch = 0; batch < 10; batch++) {
        const rows = await repo.listUnreferenced(before, 100);
        for (const row of rows) await purgeImageIfUnused(row.userId, row.id);
        purged += rows.length;
        if (rows.length < 100) break;
      }
      return purged;
    },

    /** Adds `image` to each of the owner's reminders, with one query for the whole list. */
    async withImages<R extends Reminder>(userId: string, reminders: R[], baseUrl: string): Promise<R[]> {
      const ids = [...new Set(reminders.flatMap((r) => (r.imageId ? [r.imageId] : [])))];
      const rows = new Map((await repo.listForUser(userId, ids)).map((row) => [row.id, row]));
      const expiresAt = expiry();
      return reminders.map((r) => {
        const row = r.imageId ? rows.get(r.imageId) : undefined;
        return { ...r, image: row ? view(row, baseUrl, expiresAt) : null };
      });
    },
  };
}

export type ImageService = ReturnType<typeof createImageService>;
