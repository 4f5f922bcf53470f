import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { mb, rss, signUp, spawnServer } from './image-server';

const UPLOADS = 10;
const BUDGET = 100_000_000;

/**
 * Server memory while 10 people upload a 20 MB photo at the same moment, over real HTTP:
 * uploads stream to disk and decoding is queued, so resident memory must grow far less than
 * the volume in flight (budget: under 100 MB above idle). Memory is the server process plus
 * its image worker. Baseline: the same processes' idle RSS after one small upload, measured
 * in the same run.
 */
export async function benchImageUploadMemory(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'remindme-bench-mem-'));
  const photo = join(dir, 'twenty.jpg');
  // Noise at full quality is ~2.9 bytes a pixel: 3,000 × 2,300 ≈ 20 MB.
  await writeFile(
    photo,
    await sharp(randomBytes(3000 * 2300 * 3), { raw: { width: 3000, height: 2300, channels: 3 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer(),
  );
  const server = await spawnServer({ DATA_DIR: join(dir, 'data') });
  try {
    const token = await signUp(server.url);
    const send = async (path: string) => {
      const form = new FormData();
      form.append('file', await openAsBlob(path, { type: 'image/jpeg' }), 'photo.jpg');
      const res = await fetch(`${server.url}/api/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    };
    const small = join(dir, 'small.jpg');
    await sharp(randomBytes(800 * 600 * 3), { raw: { width: 800, height: 600, channels: 3 } })
      .jpeg()
      .toFile(small);
    await send(small);
    await new Promise((r) => setTimeout(r, 1_000));
    const idleSamples: number[] = [];
    for (let i = 0; i < 10; i++) {
      idleSamples.push(await rss(server.pid));
      await new Promise((r) => setTimeout(r, 50));
    }
    const idle = idleSamples.sort((a, b) => a - b)[5]!;

    let peak = idle;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rss(server.pid));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const { size } = await openAsBlob(photo);
    const started = performance.now();
    await Promise.all(Array.from({ length: UPLOADS }, () => send(photo)));
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;

    const growth = peak - idle;
    const volume = size * UPLOADS;
    console.log(`uploads: ${UPLOADS} × ${mb(size)} at once = ${mb(volume)} in ${seconds.toFixed(1)} s`);
    console.log(`server RSS idle (baseline): ${mb(idle)}, peak: ${mb(peak)}`);
    console.log(
      `growth above idle: ${mb(growth)} = ${((growth / volume) * 100).toFixed(1)}% of the upload volume ` +
        `(budget ${mb(BUDGET)}: ${growth < BUDGET ? 'within' : 'OVER'})`,
    );
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
