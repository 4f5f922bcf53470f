import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createImageService } from '../../server/images/service';
import { silentLogger } from '../../server/logger';
import { IMAGES } from '../../shared/limits';
import { ImageResponseSchema, ReminderResponseSchema } from '../../shared';
import { dialects } from '../support/databases';
import { noiseJpeg } from '../support/image-fixtures';
import { useHarness } from './harness';
import { uploader } from './images-helpers';
import { trashPurge } from './trash-helpers';

/** A small real-looking JPEG (noise) of the given size. */
const jpeg = (width = 1400, height = 900) => noiseJpeg(width, height);

describe.each(dialects())('images API (%s)', (dialect) => {
  const h = useHarness(dialect);
  const upload = uploader(h);
  const fetchImage = async (url: string) => {
    const res = await h.app.request(url);
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const filesOf = async (imageId: string, userId: string) => {
    const row = await h.repos.images.findForUser(imageId, userId);
    return row ? join(h.images.dataDir, 'images', row.key.slice(0, 2), row.key) : null;
  };

  it('stores an upload and answers 201 with signed URLs for the original and each narrower size', async () => {
    const { token } = await h.signUp();
    const res = await upload(token, await jpeg(), {
      name: 'holiday.jpg',
      type: 'image/jpeg',
      fields: { sourceUrl: 'https://example.org/photo' },
    });
    expect(res.status).toBe(201);
    const { image } = v.parse(ImageResponseSchema, res.body);
    expect(image).toMatchObject({
      mime: 'image/jpeg',
      width: 1400,
      height: 900,
      sourceUrl: 'https://example.org/photo',
    });
    expect(image.variants.map((x) => x.width)).toEqual([640, 1280]);
    expect(image.srcset.split(', ')).toHaveLength(3);
    expect(Date.parse(image.expiresAt) - h.clock.now.getTime()).toBeGreaterThanOrEqual(
      IMAGES.urlTtlSeconds * 1000,
    );
    const original = await fetchImage(image.url);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.bytes.length).toBe(image.bytes);
    for (const variant of image.variants) {
      const got = await fetchImage(variant.url);
      // JPEG photos get JPEG copies (mozjpeg-style), decodable everywhere.
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect((await sharp(got.bytes).metadata()).width).toBe(variant.width);
    }
    // The stored file name is the server's key, never the uploader's file name.
    expect(image.url).not.toContain('holiday');
  });

  it('refuses bare, altered and expired image URLs', async () => {
    const { token } = await h.signUp();
    const { image } = (await upload(token, await jpeg(800, 600))).body;
    expect((await fetchImage(image.url.split('?')[0])).status).toBe(403);
    expect(
      (await fetchImage(image.url.replace(/exp=(\d+)/, (_: string, n: string) => `exp=${Number(n) + 3600}`)))
        .status,
    ).toBe(403);
    expect((await fetchImage(image.variants[0].url.replace('/w640.jpg', '/w1280.jpg'))).status).toBe(403);
    expect(
      (await fetchImage(image.url.replace(/\/images\/[0-9a-f]{32}\//, `/images/${'0'.repeat(32)}/`))).status,
    ).toBe(403);
    const denied = await fetchImage(image.url.split('?')[0]);
    expect(JSON.parse(denied.bytes.toString()).error.code).toBe('forbidden');
    h.clock.advance(IMAGES.urlTtlSeconds * 1000 + IMAGES.urlStableForSeconds * 1000 + 1000);
    const expired = await fetchImage(image.url);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.bytes.toString()).error.message).toMatch(/expired/);
    const fresh = await h.call('GET', `/api/images/${image.id}`, { token });
    expect((await fetchImage(fresh.body.image.url)).status).toBe(200);
  });

  it('keeps URLs identical within the stable window, so caches can reuse them', async () => {
    const { token } = await h.signUp();
    const { image } = (await upload(token, await jpeg(700, 500))).body;
    const again = await h.call('GET', `/api/images/${image.id}`, { token });
    expect(again.body.image.url).toBe(image.url);
  });

  it('is refused without a session, and with a body that is neither multipart nor JSON', async () => {
    const anonymous = await h.call('POST', '/api/images', { body: new FormData() });
    expect(anonymous.status).toBe(401);
    const { token } = await h.signUp();
    const raw = await h.call('POST', '/api/images', {
      token,
      body: new Uint8Array(await jpeg(100, 100)),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(raw.status).toBe(415);
    expect(raw.body.error.message).toMatch(/multipart/);
  });

  it('names what is wrong with a malformed form', async () => {
    const { token } = await h.signUp();
    const noFile = new FormData();
    noFile.append('sourceUrl', 'https://example.org/');
    const missing = await h.call('POST', '/api/images', { token, body: noFile });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.file).toMatch(/field "file"/);
    const extra = await upload(token, await jpeg(100, 100), { fields: { caption: 'hi' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.fields.caption).toBe('Unknown field "caption".');
    const two = new FormData();
    two.append('file', new Blob([new Uint8Array(await jpeg(50, 50))]), 'a.jpg');
    two.append('file', new Blob([new Uint8Array(await jpeg(50, 50))]), 'b.jpg');
    expect((await h.call('POST', '/api/images', { token, body: two })).status).toBe(400);
    const badSource = await upload(token, await jpeg(100, 100), {
      fields: { sourceUrl: 'javascript:alert(1)' },
    });
    expect(badSource.status).toBe(400);
    expect(badSource.body.error.fields.sourceUrl).toMatch(/http/);
    const empty = await upload(token, Buffer.alloc(0));
    expect(empty.status).toBe(415);
    const json = await h.call('POST', '/api/images', {
      token,
      json: { url: 'https://example.org/a.png', extra: 1 },
    });
    expect(json.status).toBe(400);
    expect(json.body.error.fields.extra).toBe('Unknown field "extra".');
  });

  it('leaves no scratch files behind, whatever the outcome', async () => {
    const { token } = await h.signUp();
    await upload(token, await jpeg(200, 200));
    await upload(token, Buffer.from('<html></html>'), { name: 'x.png' });
    expect(await readdir(join(h.images.dataDir, 'tmp'))).toEqual([]);
  });

  it('lets only the uploader see or attach an image', async () => {
    const me = await h.signUp();
    const stranger = await h.signUp();
    const { image } = (await upload(me.token, await jpeg(300, 200))).body;
    expect((await h.call('GET', `/api/images/${image.id}`, { token: stranger.token })).status).toBe(404);
    expect((await h.call('GET', '/api/images/not-a-uuid', { token: me.token })).status).toBe(404);
    const attach = await h.call('POST', '/api/reminders', {
      token: stranger.token,
      json: { text: 'mine now', imageId: image.id },
    });
    expect(attach.status).toBe(400);
    expect(attach.body.error.fields.imageId).toMatch(/upload the image first/);
    const theirs = (
      await h.call('POST', '/api/reminders', { token: stranger.token, json: { text: 'theirs' } })
    ).body.reminder;
    const patch = await h.call('PATCH', `/api/reminders/${theirs.id}`, {
      token: stranger.token,
      json: { imageId: image.id },
      headers: { 'if-match': '"1"' },
    });
    expect(patch.status).toBe(400);
    // My private reminder with the image: the stranger gets neither the reminder nor its URLs.
    const mine = await h.call('POST', '/api/reminders', {
      token: me.token,
      json: { text: 'private', imageId: image.id },
    });
    expect(mine.status).toBe(201);
    const peek = await h.call('GET', `/api/reminders/${mine.body.reminder.id}`, { token: stranger.token });
    expect(peek.status).toBe(404);
    expect(peek.text).not.toContain('/images/');
  });

  it('puts the image, sized for the screen, on every reminder response', async () => {
    const { token } = await h.signUp();
    const { image } = (await upload(token, await jpeg(2000, 1200))).body;
    const created = await h.call('POST', '/api/reminders', {
      token,
      json: { text: 'with a picture', imageId: image.id },
    });
    expect(created.status).toBe(201);
    const { reminder } = v.parse(ReminderResponseSchema, created.body);
    expect(reminder.image).toMatchObject({ id: image.id, width: 2000, height: 1200 });
    expect(reminder.image?.variants.map((x) => x.width)).toEqual([640, 1280, 1920]);
    expect((await fetchImage(reminder.image!.variants[2]!.url)).status).toBe(200);
    const plain = await h.call('POST', '/api/reminders', { token, json: { text: 'no picture' } });
    expect(plain.body.reminder.image).toBeNull();

    const list = await h.call('GET', '/api/reminders', { token });
    expect(list.body.items.find((r: { id: string }) => r.id === reminder.id).image.id).toBe(image.id);
    const sync = await h.call('GET', '/api/sync', { token });
    expect(sync.body.changes.find((r: { id: string }) => r.id === reminder.id).image.id).toBe(image.id);
    const one = await h.call('GET', `/api/reminders/${reminder.id}`, { token });
    expect(one.body.reminder.image.id).toBe(image.id);
    const random = await h.call('GET', '/api/reminders/random', { token });
    expect(random.body.reminder).toHaveProperty('image');
    const again = await h.call('POST', '/api/reminders', {
      token,
      json: { id: reminder.id, text: 'with a picture', imageId: image.id },
    });
    expect(again.status).toBe(200);
    expect(again.body.reminder.image.id).toBe(image.id);
  });

  it('carries the image on the current copy inside a 412', async () => {
    const { token } = await h.signUp();
    const { image } = (await upload(token, await jpeg(500, 300))).body;
    const { reminder } = (
      await h.call('POST', '/api/reminders', { token, json: { text: 'v1', imageId: image.id } })
    ).body;
    await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token,
      json: { text: 'v2' },
      headers: { 'if-match': '"1"' },
    });
    const stale = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token,
      json: { text: 'v3' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.reminder.image.id).toBe(image.id);
  });

  it('removes the old file when an image is replaced or cleared, unless another reminder shows it', async () => {
    const { token, userId } = await h.signUp();
    const first = (await upload(token, await jpeg(700, 400))).body.image;
    const second = (await upload(token, await jpeg(700, 400))).body.image;
    const firstDir = await filesOf(first.id, userId);
    expect(firstDir && existsSync(firstDir)).toBe(true);
    const a = (await h.call('POST', '/api/reminders', { token, json: { text: 'a', imageId: first.id } })).body
      .reminder;
    const b = (await h.call('POST', '/api/reminders', { token, json: { text: 'b', imageId: first.id } })).body
      .reminder;

    const replaced = await h.call('PATCH', `/api/reminders/${a.id}`, {
      token,
      json: { imageId: second.id },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.body.reminder.image.id).toBe(second.id);
    expect(existsSync(firstDir!)).toBe(true); // b still shows it

    const cleared = await h.call('PATCH', `/api/reminders/${b.id}`, {
      token,
      json: { imageId: null },
      headers: { 'if-match': '"1"' },
    });
    expect(cleared.body.reminder.image).toBeNull();
    expect(existsSync(firstDir!)).toBe(false);
    expect((await h.call('GET', `/api/images/${first.id}`, { token })).status).toBe(404);
    expect((await fetchImage(first.url)).status).toBe(404);

    const secondDir = await filesOf(second.id, userId);
    expect((await h.call('DELETE', `/api/reminders/${a.id}`, { token })).status).toBe(204);
    // In the trash the image stays, so an undo shows it again (reminders/trash.ts).
    expect(existsSync(secondDir!)).toBe(true);
    const sync = await h.call('GET', '/api/sync', { token });
    const tombstone = sync.body.changes.find((r: { id: string }) => r.id === a.id);
    expect(tombstone).toMatchObject({ imageId: second.id, image: { id: second.id } });
    // Purged after the trash period, it goes with its reminder.
    await trashPurge(h).purgeExpired();
    expect(existsSync(secondDir!)).toBe(false);
    expect(await h.repos.images.findForUser(second.id, userId)).toBeNull();
  });

  it('sweeps uploads no reminder used within the grace period, and only those', async () => {
    const { token, userId } = await h.signUp();
    const unused = (await upload(token, await jpeg(300, 300))).body.image;
    const used = (await upload(token, await jpeg(300, 300))).body.image;
    await h.call('POST', '/api/reminders', { token, json: { text: 'keeps it', imageId: used.id } });
    const sweeper = createImageService({
      repo: h.repos.images,
      store: h.images.images.store,
      clock: () => h.clock.now,
      logger: silentLogger,
      tempDir: h.images.images.tempDir,
      processor: h.images.images.processor,
    });
    const unusedDir = await filesOf(unused.id, userId);
    await sweeper.purgeUnattached();
    expect(existsSync(unusedDir!)).toBe(true);
    h.clock.advance(IMAGES.unattachedGraceMs + 60_000);
    await sweeper.purgeUnattached();
    expect(existsSync(unusedDir!)).toBe(false);
    expect(await h.repos.images.findForUser(unused.id, userId)).toBeNull();
    expect(await h.repos.images.findForUser(used.id, userId)).not.toBeNull();
  });
});
