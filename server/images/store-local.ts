import { randomBytes } from 'node:crypto';
import { access, constants, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGES } from '../../shared/limits';
import type { ImageMime } from '../../shared/schemas/images';
import { EXTENSION, MIME_BY_EXTENSION } from './formats';
import type { ImageProcessor } from './processor';
import { checkSignature, signPath, type SignatureCheck } from './signing';
import type { ImageFacts, ImageStore, StoredRef } from './store';
import { VARIANT_EXTENSION, variantFormat } from './variants';

const KEY = /^[0-9a-f]{32}$/;
const FILE = /^(?:original\.(jpg|png|webp|gif|avif)|w\d{3,4}\.(jpg|webp))$/;

const variantName = (width: number, mime: ImageMime) => `w${width}.${VARIANT_EXTENSION[variantFormat(mime)]}`;

export type ServeResult =
  | { kind: 'file'; path: string; mime: ImageMime; size: number; expires: number }
  | { kind: 'denied'; reason: Exclude<SignatureCheck, 'ok'> }
  | { kind: 'missing' };

export type LocalImageStore = ImageStore & {
  readonly kind: 'local';
  /** Resolves a request for `/images/<key>/<file>?exp=&sig=` to a file, or says why not. */
  resolve(
    key: string,
    file: string,
    exp: string | undefined,
    sig: string | undefined,
    now: Date,
  ): Promise<ServeResult>;
};

/**
 * Images on local disk under `root/<2 hex>/<key>/`: the processed original plus copies at the
 * standard widths below it (see variants.ts), all written before the directory appears under its final
 * name (a half-written image is never served). Keys are 128 random bits chosen here; the
 * uploader's file name is never used, and served names are matched against a fixed pattern,
 * so no request can reach outside `root`.
 */
export function createLocalImageStore(options: {
  root: string;
  secret: string;
  processor: Pick<ImageProcessor, 'variants'>;
}): LocalImageStore {
  const { root, secret, processor } = options;
  const dirOf = (key: string) => join(root, key.slice(0, 2), key);

  const variantWidths = (facts: ImageFacts) => IMAGES.variantWidths.filter((w) => w < facts.width);

  return {
    kind: 'local',

    async put(path, meta) {
      const key = randomBytes(16).toString('hex');
      const final = dirOf(key);
      const partial = join(root, key.slice(0, 2), `.partial-${key}`);
      await mkdir(partial, { recursive: true });
      try {
        const original = join(partial, `original.${EXTENSION[meta.mime]}`);
        await copyFile(path, original);
        const format = variantFormat(meta.mime);
        await processor.variants(original, {
          format,
          animated: meta.animated,
          outputs: variantWidths(meta).map((width) => ({
            width,
            path: join(partial, variantName(width, meta.mime)),
          })),
        });
        await rename(partial, final);
      } catch (error) {
        await rm(partial, { recursive: true, force: true });
        throw error;
      }
      return { key, fileId: null };
    },

    async delete(ref: StoredRef) {
      if (!KEY.test(ref.key)) return;
      await rm(dirOf(ref.key), { recursive: true, force: true });
    },

    url(ref, { width, expiresAt, baseUrl }) {
      const file = width === undefined ? `original.${EXTENSION[ref.mime]}` : variantName(width, ref.mime);
      const path = `${ref.key}/${file}`;
      const exp = Math.floor(expiresAt.getTime() / 1000);
      return `${baseUrl}/images/${path}?exp=${exp}&sig=${signPath(secret, path, exp)}`;
    },

    variantWidths,

    async ready() {
      try {
        await mkdir(root, { recursive: true });
        await access(root, constants.W_OK);
        return { ok: true, detail: `local files in ${root}` };
      } catch (error) {
        return {
          ok: false,
          detail: `${root} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        };
      }
    },

    async resolve(key, file, exp, sig, now) {
      const match = FILE.exec(file);
      if (!KEY.test(key) || !match) return { kind: 'missing' };
      const check = checkSignature(secret, `${key}/${file}`, exp, sig, now);
      if (check !== 'ok') return { kind: 'denied', reason: check };
      const path = join(dirOf(key), file);
      try {
        const info = await stat(path);
        const mime = MIME_BY_EXTENSION[match[1] ?? match[2] ?? ''];
        if (!mime || !info.isFile()) return { kind: 'missing' };
        return { kind: 'file', path, mime, size: info.size, expires: Number(exp) };
      } catch {
        return { kind: 'missing' };
      }
    },
  };
}
