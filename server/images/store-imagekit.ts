import { openAsBlob } from 'node:fs';
import ImageKit, { NotFoundError } from '@imagekit/nodejs';
import { IMAGES } from '../../shared/limits';
import type { ImageStoreConfig } from '../config';
import { EXTENSION } from './formats';
import type { ImageFacts, ImageStore, Readiness } from './store';

type ImageKitConfig = Extract<ImageStoreConfig, { kind: 'imagekit' }>;

/** ImageKit's API host, used when no override is configured (the SDK's own default). */
const IMAGEKIT_API = 'https://api.imagekit.io';
/** Each person's files sit in their own folder under this one. */
const ROOT_FOLDER = '/remindme';
const READY_CACHE_MS = 60_000;
/** ImageKit picks the format (AVIF or WebP where the client takes it) with `f-auto`. */
const VARIANT_QUALITY = 70;

/**
 * Images in ImageKit, uploaded as private files: ImageKit serves them only through URLs
 * signed with the private key (HMAC in `ik-s`, expiry in `ik-t`), so a bare or altered URL
 * is refused by ImageKit itself. Narrower sizes are URL transformations (`w-…,q-…,f-auto`),
 * produced by ImageKit on first request; nothing but the processed original is uploaded.
 */
export function createImageKitStore(
  config: ImageKitConfig,
  options: { fetch?: typeof fetch } = {},
): ImageStore {
  const client = new ImageKit({
    privateKey: config.privateKey,
    // The SDK otherwise reads IMAGE_KIT_BASE_URL from the environment; settings come from config.
    baseURL: config.baseUrl ?? IMAGEKIT_API,
    fetch: options.fetch,
    logLevel: 'off',
  });
  let readiness: { at: number; result: Readiness } | undefined;

  return {
    kind: 'imagekit',

    async put(path, meta) {
      const fileName = `${meta.id}.${EXTENSION[meta.mime]}`;
      // A file-backed Blob: the SDK streams it from disk instead of holding it in memory.
      const blob = await openAsBlob(path, { type: meta.mime });
      const uploaded = await client.files.upload({
        file: new File([blob], fileName, { type: meta.mime }),
        fileName,
        folder: `${ROOT_FOLDER}/${meta.userId}`,
        isPrivateFile: true,
        useUniqueFileName: false,
      });
      if (!uploaded.fileId || !uploaded.filePath)
        throw new Error('ImageKit upload answered without fileId or filePath');
      return { key: uploaded.filePath, fileId: uploaded.fileId };
    },

    async delete(ref) {
      if (!ref.fileId) return;
      try {
        await client.files.delete(ref.fileId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },

    url(ref, { width, expiresAt }) {
      // The SDK adds `expiresIn` to its own clock; never let it reach 0, which means "no expiry".
      const expiresIn = Math.max(1, Math.ceil(expiresAt.getTime() / 1000) - Math.floor(Date.now() / 1000));
      return client.helper.buildSrc({
        urlEndpoint: config.urlEndpoint,
        src: ref.key,
        transformation:
          width === undefined ? undefined : [{ width, quality: VARIANT_QUALITY, format: 'auto' }],
        signed: true,
        expiresIn,
      });
    },

    variantWidths: (facts: ImageFacts) => IMAGES.variantWidths.filter((w) => w < facts.width),

    async ready() {
      if (readiness && Date.now() - readiness.at < READY_CACHE_MS) return readiness.result;
      let result: Readiness;
      try {
        await client.assets.list({ limit: 1 }, { maxRetries: 0, timeout: 5_000 });
        result = { ok: true, detail: `ImageKit at ${config.urlEndpoint}` };
      } catch (error) {
        const status = (error as { status?: number }).status;
        result = {
          ok: false,
          detail:
            status === 401 || status === 403
              ? 'ImageKit refused the keys: check IMAGEKIT_PRIVATE_KEY'
              : `ImageKit cannot be reached (${status ?? (error as Error).name})`,
        };
      }
      readiness = { at: Date.now(), result };
      return result;
    },
  };
}
