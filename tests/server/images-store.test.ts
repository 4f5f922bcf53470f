import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createImageProcessor } from '../../server/images/processor';
import { imageFileRoutes } from '../../server/images/routes';
import type { ImageFacts, ImageStore, StoredRef } from '../../server/images/store';
import { createImageKitStore } from '../../server/images/store-imagekit';
import { createLocalImageStore } from '../../server/images/store-local';
import { startFakeImageKit } from '../support/fake-imagekit';

type Subject = { store: ImageStore; fetch(url: string): Promise<Response>; close(): Promise<void> };
type StoreCase = { name: string; open(dir: string): Promise<Subject> };

const liveEnv = ['IMAGEKIT_PRIVATE_KEY', 'IMAGEKIT_PUBLIC_KEY', 'IMAGEKIT_URL_ENDPOINT'].every(
  (k) => process.env[k],
);

/** Local disk, ImageKit's contract on loopback, and (opt-in, when keys are set) the real ImageKit. */
const cases: StoreCase[] = [
  {
    name: 'local',
    async open(dir) {
      const processor = createImageProcessor();
      const store = createLocalImageStore({ root: join(dir, 'images'), secret: 'a'.repeat(64), processor });
      const app = new Hono().route(
        '/images',
        imageFileRoutes(store, () => new Date()),
      );
      return { store, fetch: async (url) => app.request(url), close: () => processor.close() };
    },
  },
  {
    name: 'imagekit (fake on loopback)',
    async open() {
      const fake = await startFakeImageKit();
      const config = loadConfig({ DATA_DIR: '/nonexistent', ...fake.env }).images.store;
      if (config.kind !== 'imagekit') throw new Error('expected ImageKit settings');
      return { store: createImageKitStore(config), fetch: (url) => fetch(url), close: fake.close };
    },
  },
  ...(liveEnv
    ? [
        {
          name: 'imagekit (live)',
          async open() {
            const config = loadConfig({ DATA_DIR: '/nonexistent', ...process.env }).images.store;
            if (config.kind !== 'imagekit') throw new Error('expected ImageKit settings');
            return {
              store: createImageKitStore(config),
              fetch: (url: string) => fetch(url),
              close: async () => undefined,
            };
          },
        },
      ]
    : []),
];

describe.each(cases)('image store conformance: $name', ({ open }) => {
  let dir: string;
  let subject: Subject;
  let photo: { path: string; facts: ImageFacts };
  const stored: StoredRef[] = [];
  const baseUrl = 'http://localhost';
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'remindme-store-'));
    subject = await open(dir);
    const path = join(dir, 'photo.jpg');
    // Noise: every pixel costs bytes, so a narrower copy is really smaller.
    const raw = randomBytes(2000 * 1000 * 3);
    await sharp(raw, { raw: { width: 2000, height: 1000, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(path);
    photo = { path, facts: { mime: 'image/jpeg', width: 2000, height: 1000 } };
  });

  afterAll(async () => {
    for (const ref of stored) await subject.store.delete(ref).catch(() => undefined);
    await subject.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function put(path = photo.path, facts = photo.facts, animated = false) {
    const ref = await subject.store.put(path, { ...facts, id: randomUUID(), userId: randomUUID(), animated });
    stored.push(ref);
    return { ...ref, ...facts };
  }

  it('is ready', async () => {
    expect((await subject.store.ready()).ok).toBe(true);
  });

  it('serves the stored original byte for byte through a signed URL', async () => {
    const ref = await put();
    const res = await subject.fetch(subject.store.url(ref, { expiresAt: inAnHour(), baseUrl }));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(photo.path))).toBe(true);
  });

  it('delivers each narrower width it offers, smaller than the original', async () => {
    const ref = await put();
    expect(subject.store.variantWidths(ref)).toEqual([640, 1280, 1920]);
    const original = (await readFile(photo.path)).length;
    for (const width of subject.store.variantWidths(ref)) {
      const res = await subject.fetch(subject.store.url(ref, { width, expiresAt: inAnHour(), baseUrl }));
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect((await sharp(bytes).metadata()).width).toBe(width);
      expect(bytes.length).toBeLessThan(original);
    }
  });

  it('refuses a bare URL, an altered one and a signature moved to another file', async () => {
    const ref = await put();
    const signed = subject.store.url(ref, { width: 640, expiresAt: inAnHour(), baseUrl });
    const bare = signed.split('?')[0]!;
    expect((await subject.fetch(bare)).status).toBeGreaterThanOrEqual(400);
    expect((await subject.fetch(signed.replace('640', '1280'))).status).toBeGreaterThanOrEqual(400);
    const flipped = signed.replace(/(.)$/, (c) => (c === '0' ? '1' : '0'));
    expect((await subject.fetch(flipped)).status).toBeGreaterThanOrEqual(400);
    const other = await put();
    const otherBare = subject.store.url(other, { width: 640, expiresAt: inAnHour(), baseUrl }).split('?')[0]!;
    expect((await subject.fetch(`${otherBare}?${signed.split('?')[1]}`)).status).toBeGreaterThanOrEqual(400);
  });

  it('stops serving a URL once it has expired', async () => {
    const ref = await put();
    const url = subject.store.url(ref, { expiresAt: new Date(Date.now() + 1000), baseUrl });
    expect((await subject.fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await subject.fetch(url)).status).toBeGreaterThanOrEqual(400);
  });

  it('keeps every frame of an animation', async () => {
    const path = join(dir, 'three.gif');
    const w = 48;
    const h = 32;
    const frames = Buffer.alloc(w * h * 3 * 3);
    for (let i = 0; i < 3; i++) frames.fill(40 + i * 80, i * w * h * 3, (i + 1) * w * h * 3);
    await sharp(frames, { raw: { width: w, height: h * 3, channels: 3, pageHeight: h } })
      .gif({ delay: [200, 200, 200] })
      .toFile(path);
    const ref = await put(path, { mime: 'image/gif', width: w, height: h }, true);
    const res = await subject.fetch(subject.store.url(ref, { expiresAt: inAnHour(), baseUrl }));
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).pages).toBe(3);
  });

  it('deletes the file and everything made from it; deleting again is harmless', async () => {
    const ref = await put();
    const original = subject.store.url(ref, { expiresAt: inAnHour(), baseUrl });
    const small = subject.store.url(ref, { width: 640, expiresAt: inAnHour(), baseUrl });
    expect((await subject.fetch(small)).status).toBe(200);
    await subject.store.delete(ref);
    expect((await subject.fetch(original)).status).toBe(404);
    // ImageKit's CDN may keep a transformed copy for a while after a delete; the original is gone at once.
    if (subject.store.kind === 'local') expect((await subject.fetch(small)).status).toBe(404);
    await expect(subject.store.delete(ref)).resolves.toBeUndefined();
  });
});
