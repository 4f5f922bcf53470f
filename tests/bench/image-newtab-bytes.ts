import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { newTabImagePixels, pickImageUrl, type Image } from '../../shared/schemas/images';
import { realPhotos } from '../support/image-fixtures';
import { mb, signUp, spawnServer } from './image-server';

const BUDGET = 0.1;
const SCREENS = [
  ['1366 × 768 laptop', { width: 1366, height: 768, dpr: 1 }],
  ['1920 × 1080 monitor', { width: 1920, height: 1080, dpr: 1 }],
  ['2560 × 1440 monitor', { width: 2560, height: 1440, dpr: 1 }],
  ['1440 × 900 at 2× (Retina)', { width: 1440, height: 900, dpr: 2 }],
  ['3840 × 2160 at 1.5× (4K)', { width: 2560, height: 1440, dpr: 1.5 }],
] as const;

/**
 * Bytes the new tab downloads to show a 4,000-pixel photograph in its image box (sized by
 * `newTabImagePixels`, the same rule the extension and its CSS use), as a share of the
 * original upload measured in the same run (budget: under 10% on common screens). The photo
 * is Debian's 5,640-pixel Elephants wallpaper, scaled to 4,000 pixels as a camera JPEG.
 */
export async function benchImageNewTabBytes(): Promise<void> {
  const photos = realPhotos();
  if (!photos) return;
  const dir = await mkdtemp(join(tmpdir(), 'remindme-bench-bytes-'));
  const server = await spawnServer({ DATA_DIR: join(dir, 'data') });
  try {
    const original = await sharp(await readFile(photos.large))
      .resize({ width: 4000 })
      .jpeg({ quality: 92 })
      .toBuffer();
    const token = await signUp(server.url);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(original)], { type: 'image/jpeg' }), 'elephants-4000.jpg');
    const res = await fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const { image } = (await res.json()) as { image: Image };
    console.log(`original upload (baseline): ${image.width} × ${image.height}, ${mb(original.length)}`);
    for (const [label, screen] of SCREENS) {
      // What the extension asks for: the size that fills the new tab's image box.
      const box = newTabImagePixels(screen, image);
      const url = pickImageUrl(image, box);
      const bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
      const share = bytes / original.length;
      const width = image.variants.find((v) => v.url === url)?.width ?? image.width;
      console.log(
        `${label.padEnd(26)} box ${String(box).padStart(4)} px, downloads the ${width}-px copy: ${mb(bytes)} = ${(share * 100).toFixed(1)}% of the original ` +
          `(budget ${BUDGET * 100}%: ${share < BUDGET ? 'within' : 'OVER'})`,
      );
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
