import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Repos } from '../../server/db/repos';
import { isUniqueViolation } from '../../server/errors';
import { dialects } from '../support/databases';
import { useRepos } from './repo-fixtures';

/** The same expectations for every implementation of the repository interfaces. */
describe.each(dialects())('repository conformance (%s)', (dialect) => {
  const t0 = new Date('2026-01-02T03:04:05.678Z');
  const fx = useRepos(dialect, t0);
  const { user, reminder } = fx;

  it('stores instants to the millisecond and reads them back as the same UTC instant', async () => {
    const u = await user();
    const found = await fx.repos.auth.findUserById(u.id);
    expect(found?.createdAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('reports a duplicate email as a unique violation', async () => {
    const u = await user();
    await expect(fx.repos.auth.createUser({ ...u, id: randomUUID() })).rejects.toSatisfy(isUniqueViolation);
  });

  it('creates, finds, touches and deletes sessions; purges expired ones', async () => {
    const u = await user();
    const id = randomUUID().replaceAll('-', '');
    const expiresAt = new Date(t0.getTime() + 1000);
    await fx.repos.auth.createSession({
      id,
      userId: u.id,
      secretHash: 'ab'.repeat(32),
      label: 'Firefox',
      createdAt: t0,
      lastVerifiedAt: t0,
      expiresAt,
    });
    expect((await fx.repos.auth.findSession(id))?.user.id).toBe(u.id);
    const later = new Date(t0.getTime() + 500);
    await fx.repos.auth.touchSession(id, later, new Date(t0.getTime() + 5000));
    expect((await fx.repos.auth.findSession(id))?.session).toMatchObject({
      lastVerifiedAt: later,
      label: 'Firefox',
    });
    expect(await fx.repos.auth.deleteExpiredSessions(new Date(t0.getTime() + 4000))).toBe(0);
    expect(await fx.repos.auth.deleteExpiredSessions(new Date(t0.getTime() + 6000))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await fx.repos.auth.findSession(id)).toBeNull();
  });

  it('inserts once per id and reports the existing row on a repeat', async () => {
    const u = await user();
    const r = reminder(u.id, { text: 'first' });
    const a = await fx.repos.reminders.insert(r);
    const b = await fx.repos.reminders.insert({ ...r, text: 'second' });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, row: { text: 'first', version: 1 } });
  });

  it('numbers every write to a user with a rising sequence, tombstones included', async () => {
    const u = await user();
    const a = (await fx.repos.reminders.insert(reminder(u.id))).row;
    const b = (await fx.repos.reminders.insert(reminder(u.id))).row;
    const edited = await fx.repos.reminders.update(a.id, u.id, 1, { favorite: true }, t0);
    const gone = await fx.repos.reminders.softDelete(b.id, u.id, t0);
    expect(edited.kind).toBe('updated');
    expect(gone?.deletedAt).toEqual(t0);
    const changes = await fx.repos.reminders.changesSince(u.id, 0, 10);
    expect(changes.map((c) => [c.id, c.changeSeq])).toEqual([
      [a.id, 3],
      [b.id, 4],
    ]);
    expect(await fx.repos.reminders.changesSince(u.id, 3, 10)).toHaveLength(1);
  });

  it('updates only at the expected version and only for the owner', async () => {
    const u = await user();
    const other = await user();
    const { row } = await fx.repos.reminders.insert(reminder(u.id));
    expect(await fx.repos.reminders.update(row.id, other.id, 1, { text: 'x' }, t0)).toEqual({
      kind: 'missing',
    });
    expect((await fx.repos.reminders.update(row.id, u.id, 7, { text: 'x' }, t0)).kind).toBe('stale');
    const ok = await fx.repos.reminders.update(row.id, u.id, 1, { text: 'x', note: 'n' }, t0);
    expect(ok).toMatchObject({ kind: 'updated', row: { text: 'x', note: 'n', version: 2 } });
    expect(await fx.repos.reminders.softDelete(row.id, other.id, t0)).toBeNull();
  });

  it('picks the reminder in the drawn slot, counting only live ones, and records the showing', async () => {
    const u = await user();
    const first = (await fx.repos.reminders.insert(reminder(u.id))).row;
    const second = (await fx.repos.reminders.insert(reminder(u.id))).row;
    const draws: number[] = [];
    const draw = (slot: number) => (n: number) => (draws.push(n), slot);
    expect((await fx.repos.reminders.pickRandom(u.id, draw(1), t0))?.id).toBe(first.id);
    expect((await fx.repos.reminders.pickRandom(u.id, draw(2), t0))?.id).toBe(second.id);
    expect(draws).toEqual([2, 2]);
    expect(await fx.repos.reminders.findById(second.id)).toMatchObject({
      shownCount: 1,
      lastShownAt: t0,
      version: 1,
    });
    await fx.repos.reminders.softDelete(first.id, u.id, t0);
    expect((await fx.repos.reminders.pickRandom(u.id, draw(1), t0))?.id).toBe(second.id);
    expect(draws.at(-1)).toBe(1);
    expect(await fx.repos.reminders.pickRandom((await user()).id, draw(1), t0)).toBeNull();
  });

  it('keeps every live reminder in exactly one of the slots 1…n through creates, deletes, restores and imports', async () => {
    const u = await user();
    const other = await user();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await fx.repos.reminders.insert(reminder(u.id))).row.id);
    await fx.repos.reminders.insert(reminder(other.id));
    const imported = Array.from({ length: 5 }, () => reminder(u.id));
    await fx.repos.reminders.insertMany(u.id, imported);
    ids.push(...imported.map((x) => x.id));
    const deleted = [ids[0]!, ids[3]!, ids[10]!, ids[7]!];
    for (const id of deleted) await fx.repos.reminders.softDelete(id, u.id, t0);
    await fx.repos.reminders.restore(ids[3]!, u.id, new Date(0), t0);
    await fx.repos.reminders.insert(reminder(u.id));

    const live = [];
    for (const id of ids) {
      const row = await fx.repos.reminders.findById(id);
      if (row && !row.deletedAt) live.push(row);
      if (row?.deletedAt) expect(row.pickSlot).toBeNull();
    }
    const n = live.length + 1;
    // Every slot 1…n names exactly one live reminder of mine: picks reach all of them.
    const reached = new Set<string>();
    for (let slot = 1; slot <= n; slot++) {
      const pick = await fx.repos.reminders.pickRandom(u.id, () => slot, t0);
      expect(pick?.deletedAt).toBeNull();
      expect(pick?.userId).toBe(u.id);
      reached.add(pick!.id);
    }
    expect(reached.size).toBe(n);
    for (const row of live) expect(reached.has(row.id)).toBe(true);
  });

  it('lists newest first with filters and keyset positions; public lists only public, live rows', async () => {
    const u = await user();
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const a = (
      await fx.repos.reminders.insert(
        reminder(u.id, { createdAt: at(1), text: 'alpha', visibility: 'public' }),
      )
    ).row;
    const b = (
      await fx.repos.reminders.insert(reminder(u.id, { createdAt: at(2), text: 'beta', favorite: true }))
    ).row;
    const c = (
      await fx.repos.reminders.insert(
        reminder(u.id, { createdAt: at(3), text: 'gamma_x', visibility: 'public' }),
      )
    ).row;
    const ids = async (f: Partial<Parameters<Repos['reminders']['list']>[0]>) =>
      (await fx.repos.reminders.list({ userId: u.id, limit: 10, ...f })).map((r) => r.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ after: { createdAt: c.createdAt, id: c.id } })).toEqual([b.id, a.id]);
    expect(await ids({ visibility: 'public' })).toEqual([c.id, a.id]);
    expect(await ids({ favorite: true })).toEqual([b.id]);
    expect(await ids({ q: 'ALPHA' })).toEqual([a.id]);
    expect(await ids({ q: '_' })).toEqual([c.id]);
    await fx.repos.reminders.softDelete(c.id, u.id, t0);
    const pub = (await fx.repos.reminders.listPublic(1000)).map((r) => r.id);
    expect(pub).toContain(a.id);
    expect(pub).not.toContain(c.id);
    expect(pub).not.toContain(b.id);
  });

  it('inserts many at once with rising sequences, and finds them by id and by dedupe key', async () => {
    const u = await user();
    const other = await user();
    const rows = [reminder(u.id, { text: 'One', author: 'Ann' }), reminder(u.id, { text: 'Two' })];
    expect(await fx.repos.reminders.insertMany(u.id, rows)).toBe(2);
    const changes = await fx.repos.reminders.changesSince(u.id, 0, 10);
    expect(changes.map((c) => c.changeSeq)).toEqual([1, 2]);
    expect(
      (
        await fx.repos.reminders.findManyByIds(
          u.id,
          rows.map((r) => r.id),
        )
      )
        .map((r) => r.text)
        .sort(),
    ).toEqual(['One', 'Two']);
    expect(
      await fx.repos.reminders.findManyByIds(
        other.id,
        rows.map((r) => r.id),
      ),
    ).toEqual([]);
    const key = changes[0]!.dedupeKey!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await fx.repos.reminders.findByDedupeKeys(u.id, [key, 'f'.repeat(32)])).toEqual([
      { dedupeKey: key, deletedAt: null },
    ]);
    expect(await fx.repos.reminders.findByDedupeKeys(other.id, [key])).toEqual([]);
  });

  it('restores from the trash within the period, lists it, and purges it for good', async () => {
    const u = await user();
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const a = (await fx.repos.reminders.insert(reminder(u.id, { createdAt: at(1) }))).row;
    const b = (await fx.repos.reminders.insert(reminder(u.id, { createdAt: at(2) }))).row;
    await fx.repos.reminders.softDelete(a.id, u.id, at(10));
    await fx.repos.reminders.softDelete(b.id, u.id, at(20));
    expect((await fx.repos.reminders.listTrash(u.id, at(0), 10)).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await fx.repos.reminders.listTrash(u.id, at(15), 10)).map((r) => r.id)).toEqual([b.id]);
    const after = { deletedAt: at(20), createdAt: b.createdAt, id: b.id };
    expect((await fx.repos.reminders.listTrash(u.id, at(0), 10, after)).map((r) => r.id)).toEqual([a.id]);
    expect(await fx.repos.reminders.restore(a.id, u.id, at(15), at(30))).toBeNull();
    expect(await fx.repos.reminders.restore(b.id, (await user()).id, at(0), at(30))).toBeNull();
    expect(await fx.repos.reminders.restore(b.id, u.id, at(15), at(30))).toMatchObject({
      deletedAt: null,
      version: 3,
      updatedAt: at(30),
    });
    expect((await fx.repos.reminders.listExpiredTrash(at(11), 1000)).map((r) => r.id)).toContain(a.id);
    expect((await fx.repos.reminders.listExpiredTrash(at(11), 1000)).map((r) => r.id)).not.toContain(b.id);
    expect(await fx.repos.reminders.purge(b.id, u.id)).toBe(false); // live again
    expect(await fx.repos.reminders.purge(a.id, u.id)).toBe(true);
    expect(await fx.repos.reminders.findById(a.id)).toBeNull();
    expect(await fx.repos.reminders.countTerm(u.id, { term: 'text', prefix: false }, 10)).toBe(1);
  });

  it('lists one person’s public reminders only', async () => {
    const u = await user();
    const pub = (await fx.repos.reminders.insert(reminder(u.id, { visibility: 'public' }))).row;
    await fx.repos.reminders.insert(reminder(u.id));
    await fx.repos.reminders.insert(reminder((await user()).id, { visibility: 'public' }));
    expect((await fx.repos.reminders.listPublicOf(u.id, 10)).map((r) => r.id)).toEqual([pub.id]);
  });

  it('manages handles, passwords and sessions per user', async () => {
    const u = await user();
    const other = await user();
    const handle = `h${randomUUID().slice(0, 8)}`;
    await fx.repos.auth.updateHandle(u.id, handle);
    expect((await fx.repos.auth.findUserByHandle(handle))?.id).toBe(u.id);
    await expect(fx.repos.auth.updateHandle(other.id, handle)).rejects.toSatisfy(isUniqueViolation);
    await fx.repos.auth.updatePasswordHash(u.id, 'new-hash');
    expect((await fx.repos.auth.findUserById(u.id))?.passwordHash).toBe('new-hash');
    const session = (id: string, userId: string, expiresAt: Date) =>
      fx.repos.auth.createSession({
        id,
        userId,
        secretHash: 'ab'.repeat(32),
        label: null,
        createdAt: t0,
        lastVerifiedAt: t0,
        expiresAt,
      });
    const ids = Array.from({ length: 3 }, () => randomUUID().replaceAll('-', ''));
    await session(ids[0]!, u.id, new Date(t0.getTime() + 10_000));
    await session(ids[1]!, u.id, new Date(t0.getTime() + 10_000));
    await session(ids[2]!, u.id, new Date(t0.getTime() - 1));
    expect((await fx.repos.auth.listSessions(u.id, t0)).map((s) => s.id).sort()).toEqual(
      [ids[0], ids[1]].sort(),
    );
    expect(await fx.repos.auth.deleteSessionOf(ids[0]!, other.id)).toBe(false);
    expect(await fx.repos.auth.deleteOtherSessions(u.id, ids[0]!)).toBe(2);
    expect((await fx.repos.auth.listSessions(u.id, t0)).map((s) => s.id)).toEqual([ids[0]]);
    expect(await fx.repos.auth.deleteSessionOf(ids[0]!, u.id)).toBe(true);
  });
});
