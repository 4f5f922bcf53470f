import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { createImageDeps, type ImageDeps } from '../../server/images/setup';

export type TestImageDeps = { images: ImageDeps; dataDir: string; cleanup(): Promise<void> };

/**
 * Image dependencies for an app under test, in a data directory of their own: local files
 * by default, or whatever `env` configures (e.g. IMAGEKIT_* pointing at the fake ImageKit).
 */
export async function testImageDeps(
  options: { env?: Record<string, string>; extra?: Pick<ImageDeps, 'remoteFetch'> } = {},
): Promise<TestImageDeps> {
  const dataDir = await mkdtemp(join(tmpdir(), 'remindme-images-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...options.env });
  const images = await createImageDeps(config, options.extra);
  return {
    images,
    dataDir,
    async cleanup() {
      await images.processor.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
