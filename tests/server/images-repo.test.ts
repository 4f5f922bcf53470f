import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageRow } from '../../server/images/repo';
import { dialects } from '../support/databases';
import { useRepos } from './repo-fixtures';

/** The same expectations for the image repository on every dialect. */
describe.each(dialects())('image repository conformance (%s)', (dialect) => {
  const t0 = new Date('2026-03-04T05:06:07.089Z');
  const fx = useRepos(dialect, t0);
  const { user } = fx;
  async function image(userId: string, over: Partial<ImageRow> = {}): Promise<ImageRow> {
    const row: ImageRow = {
      id: randomUUID(),
      userId,
      store: 'imagekit',
      key: `/remindme/${userId}/${randomUUID()}.jpg`,
      fileId: randomUUID().replaceAll('-', '').slice(0, 24),
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
      bytes: 24_999_999,
      sha256: 'ab'.repeat(32),
      sourceUrl: 'https://example.org/photo.jpg?size=large&𝐁=1',
      createdAt: t0,
      ...over,
    };
    await fx.repos.images.insert(row);
    return row;
  }
  const attach = (userId: string, imageId: string) =>
    fx.repos.reminders.insert({
      id: randomUUID(),
      userId,
      text: 'x',
      note: null,
      author: null,
      sourceUrl: null,
      sourceTitle: null,
      visibility: 'private',
      favorite: false,
      imageId,
      createdAt: t0,
    });

  it('round-trips every field, and finds an image only for its owner', async () => {
    const owner = await user();
    const stranger = await user();
    const row = await image(owner.id);
    expect(await fx.repos.images.findForUser(row.id, owner.id)).toEqual(row);
    expect(await fx.repos.images.findForUser(row.id, stranger.id)).toBeNull();
    expect(await fx.repos.images.findForUser(randomUUID(), owner.id)).toBeNull();
  });

  it('lists the owner’s images among the ids asked for, ignoring others', async () => {
    const owner = await user();
    const stranger = await user();
    const a = await image(owner.id);
    const b = await image(owner.id, { store: 'local', fileId: null, key: 'f'.repeat(32) });
    const theirs = await image(stranger.id);
    const found = await fx.repos.images.listForUser(owner.id, [a.id, b.id, theirs.id, randomUUID()]);
    expect(found.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(await fx.repos.images.listForUser(owner.id, [])).toEqual([]);
  });

  it('counts the owner’s reminders that show the image, those in the trash until purged', async () => {
    const owner = await user();
    const row = await image(owner.id);
    expect(await fx.repos.images.countReferences(row.id, owner.id)).toBe(0);
    const first = (await attach(owner.id, row.id)).row;
    await attach(owner.id, row.id);
    expect(await fx.repos.images.countReferences(row.id, owner.id)).toBe(2);
    await fx.repos.reminders.softDelete(first.id, owner.id, t0);
    expect(await fx.repos.images.countReferences(row.id, owner.id)).toBe(2);
    await fx.repos.reminders.purge(first.id, owner.id);
    expect(await fx.repos.images.countReferences(row.id, owner.id)).toBe(1);
  });

  it('deletes only the owner’s record', async () => {
    const owner = await user();
    const stranger = await user();
    const row = await image(owner.id);
    expect(await fx.repos.images.delete(row.id, stranger.id)).toBe(false);
    expect(await fx.repos.images.delete(row.id, owner.id)).toBe(true);
    expect(await fx.repos.images.delete(row.id, owner.id)).toBe(false);
  });

  it('lists images older than a moment that no reminder shows (trash included), oldest first', async () => {
    const owner = await user();
    const at = (s: number) => new Date(t0.getTime() - s * 1000);
    const old = await image(owner.id, { createdAt: at(300) });
    const older = await image(owner.id, { createdAt: at(400) });
    const shown = await image(owner.id, { createdAt: at(500) });
    const recent = await image(owner.id, { createdAt: at(10) });
    await attach(owner.id, shown.id);
    const tombstoned = await image(owner.id, { createdAt: at(600) });
    const gone = (await attach(owner.id, tombstoned.id)).row;
    await fx.repos.reminders.softDelete(gone.id, owner.id, t0);
    const unreferenced = async () =>
      (await fx.repos.images.listUnreferenced(at(60), 1000))
        .filter((r) => r.userId === owner.id)
        .map((r) => r.id);
    // In the trash, the reminder still shows it (an undo must find it).
    expect(await unreferenced()).toEqual([older.id, old.id]);
    await fx.repos.reminders.purge(gone.id, owner.id);
    const ids = await unreferenced();
    expect(ids).toEqual([tombstoned.id, older.id, old.id]);
    expect(ids).not.toContain(recent.id);
  });
});
