import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config';
import type { RemoteFetchOptions } from './remote-fetch';
import { createImageProcessor, type ImageProcessor } from './processor';
import { loadOrCreateSecret } from './signing';
import type { ImageStore } from './store';
import { createImageKitStore } from './store-imagekit';
import { createLocalImageStore, type LocalImageStore } from './store-local';

/** What `createApp` needs for images (see Deps). */
export type ImageDeps = {
  store: ImageStore | LocalImageStore;
  tempDir: string;
  publicUrl: string | null;
  /** The image worker process; `close` it on shutdown. */
  processor: ImageProcessor;
  /** SSRF-guard settings for `{url}` uploads. Only tests set these (to reach loopback). */
  remoteFetch?: RemoteFetchOptions;
};

export function isLocalStore(store: ImageStore): store is LocalImageStore {
  return store.kind === 'local' && 'resolve' in store;
}

/**
 * Builds the configured store and prepares its directories. Leftover scratch files of a
 * previous run (a crash mid-upload) are removed here, so they cannot pile up.
 */
export async function createImageDeps(
  config: Config,
  extra: Pick<ImageDeps, 'remoteFetch'> = {},
): Promise<ImageDeps> {
  const { tempDir } = config.images;
  await mkdir(tempDir, { recursive: true });
  // Only old ones: another server sharing this data directory may be mid-upload.
  const before = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(tempDir)) {
    if (!name.startsWith('upload-')) continue;
    const path = join(tempDir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < before) await rm(path, { force: true });
  }
  const storeConfig = config.images.store;
  const processor = createImageProcessor();
  const store =
    storeConfig.kind === 'imagekit'
      ? createImageKitStore(storeConfig)
      : createLocalImageStore({
          root: storeConfig.dir,
          secret: config.images.urlSecret ?? (await loadOrCreateSecret(config.images.secretFile)),
          processor,
        });
  return { store, tempDir, publicUrl: config.publicUrl, processor, ...extra };
}
