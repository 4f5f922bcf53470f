import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../server/logger';
import { startTrashPurger } from '../../server/reminders/trash-purger';
import { LIBRARY } from '../../shared/limits';
import { dialects } from '../support/databases';
import { noiseJpeg } from '../support/image-fixtures';
import { useHarness, type Harness } from './harness';
import { uploader } from './images-helpers';
import { trashPurge } from './trash-helpers';

const DAY = 24 * 60 * 60 * 1000;

/** The purge on the harness's own clock (the tests move it). */
const purger = (h: Harness) => trashPurge(h, () => h.clock.now);

describe.each(dialects())('trash (%s)', (dialect) => {
  const h = useHarness(dialect);
  const create = (token: string, json: Record<string, unknown>) =>
    h.call('POST', '/api/reminders', { token, json });
  /** Sessions expire after 30 idle days too: sign in again after moving the clock that far. */
  const signIn = async (email: string) =>
    (await h.call('POST', '/api/auth/login', { json: { email, password: 'correct horse battery' } })).body
      .token as string;

  it('moves a deleted reminder to the trash and restores it as a new version that syncs', async () => {
    const { token } = await h.signUp();
    const { reminder } = (await create(token, { text: 'Undo me', favorite: true })).body;
    expect((await h.call('DELETE', `/api/reminders/${reminder.id}`, { token })).status).toBe(204);

    const trash = await h.call('GET', '/api/trash', { token });
    expect(trash.status).toBe(200);
    expect(trash.body.items).toEqual([
      expect.objectContaining({ id: reminder.id, version: 2, deletedAt: expect.any(String) }),
    ]);
    expect((await h.call('GET', '/api/reminders', { token })).body.items).toEqual([]);
    expect((await h.call('GET', '/api/reminders/random', { token })).status).toBe(404);
    expect((await h.call('GET', `/api/reminders/${reminder.id}`, { token })).status).toBe(404);

    const cursor = (await h.call('GET', '/api/sync', { token })).body.cursor;
    const restored = await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token });
    expect(restored.status).toBe(200);
    expect(restored.body.reminder).toMatchObject({
      id: reminder.id,
      text: 'Undo me',
      favorite: true,
      version: 3,
      deletedAt: null,
    });
    expect(restored.headers.get('etag')).toBe('"3"');
    const sync = await h.call('GET', `/api/sync?since=${cursor}`, { token });
    expect(sync.body.changes).toEqual([
      expect.objectContaining({ id: reminder.id, version: 3, deletedAt: null }),
    ]);
    expect((await h.call('GET', '/api/trash', { token })).body.items).toEqual([]);
    expect((await h.call('GET', '/api/reminders/random', { token })).body.reminder.id).toBe(reminder.id);
    // Restoring again (an outbox retry) is harmless.
    const again = await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token });
    expect(again.status).toBe(200);
    expect(again.body.reminder.version).toBe(3);
  });

  it('lists the trash most recently deleted first, in pages', async () => {
    const { token } = await h.signUp();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { reminder } = (await create(token, { text: `gone ${i}` })).body;
      await h.call('DELETE', `/api/reminders/${reminder.id}`, { token });
      ids.push(reminder.id);
      h.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.call(
        'GET',
        `/api/trash?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      seen.push(...page.body.items.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await h.call('GET', '/api/trash?cursor=bogus', { token })).status).toBe(400);
    expect((await h.call('GET', '/api/trash?sort=name', { token })).body.error.fields).toEqual({
      sort: 'Unknown field "sort".',
    });
  });

  it("keeps someone else's trash out of reach", async () => {
    const owner = await h.signUp();
    const other = await h.signUp();
    const { reminder } = (await create(owner.token, { text: 'mine', visibility: 'public' })).body;
    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token: owner.token });
    expect((await h.call('GET', '/api/trash', { token: other.token })).body.items).toEqual([]);
    const steal = await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token: other.token });
    expect(steal.status).toBe(404);
    expect(steal.body.error.code).toBe('not_found');
  });

  it(`purges after ${LIBRARY.trashDays} days with the image, which survives until then`, async () => {
    const { token, userId, email } = await h.signUp();
    const upload = uploader(h);
    const image = (await upload(token, await noiseJpeg(320, 200), { type: 'image/jpeg' })).body.image;
    const { reminder } = (await create(token, { text: 'With a picture', imageId: image.id })).body;
    const row = await h.repos.images.findForUser(image.id, userId);
    const file = join(h.images.dataDir, 'images', row!.key.slice(0, 2), row!.key);
    expect(existsSync(file)).toBe(true);

    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token });
    const trash = purger(h);
    h.clock.advance(LIBRARY.trashMs - DAY);
    expect(await trash.purgeExpired()).toBe(0);
    expect(existsSync(file)).toBe(true);
    const later = await signIn(email);
    const inTrash = (await h.call('GET', '/api/trash', { token: later })).body.items[0];
    expect((await h.app.request(inTrash.image.url)).status).toBe(200);
    // Undo on day 29 brings the image back with it.
    const restored = await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token: later });
    expect(restored.body.reminder.image).toMatchObject({ id: image.id });

    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token: later });
    h.clock.advance(LIBRARY.trashMs + DAY);
    const last = await signIn(email);
    expect(await trash.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(existsSync(file)).toBe(false);
    expect(await h.repos.images.findForUser(image.id, userId)).toBeNull();
    expect(await h.repos.reminders.findById(reminder.id)).toBeNull();
    expect((await h.call('GET', '/api/trash', { token: last })).body.items).toEqual([]);
    const late = await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token: last });
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/kept for 30 days/);
  });

  it('keeps an image another reminder still shows when one of them is purged', async () => {
    const { token, userId } = await h.signUp();
    const image = (await uploader(h)(token, await noiseJpeg(200, 200), { type: 'image/jpeg' })).body.image;
    const a = (await create(token, { text: 'a', imageId: image.id })).body.reminder;
    await create(token, { text: 'b', imageId: image.id });
    await h.call('DELETE', `/api/reminders/${a.id}`, { token });
    h.clock.advance(LIBRARY.trashMs + DAY);
    await purger(h).purgeExpired();
    expect(await h.repos.reminders.findById(a.id)).toBeNull();
    expect(await h.repos.images.findForUser(image.id, userId)).not.toBeNull();
  });

  it('treats a reminder past the trash period as gone even before the purge runs', async () => {
    const { token, email } = await h.signUp();
    const { reminder } = (await create(token, { text: 'old news' })).body;
    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token });
    h.clock.advance(LIBRARY.trashMs + 1000);
    const later = await signIn(email);
    expect((await h.call('GET', '/api/trash', { token: later })).body.items).toEqual([]);
    expect((await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token: later })).status).toBe(
      404,
    );
  });
});

describe('trash purger', () => {
  it('purges at start and then every hour until stopped', async () => {
    vi.useFakeTimers();
    try {
      const purgeExpired = vi.fn(async () => 0);
      const job = startTrashPurger({ purgeExpired }, silentLogger);
      expect(purgeExpired).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
      expect(purgeExpired).toHaveBeenCalledTimes(2);
      await job.stop();
      await vi.advanceTimersByTimeAsync(3 * 60 * 60 * 1000);
      expect(purgeExpired).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
