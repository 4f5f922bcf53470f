import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../../server/auth/repo';
import { createRepos, type Repos } from '../../server/db/repos';
import type { NewReminder } from '../../server/reminders/repo';
import { dialects, freshDatabase } from '../support/databases';

/** The repository conformance suite, continued: the search index, on every dialect. */
describe.each(dialects())('repository conformance: search index (%s)', (dialect) => {
  let repos: Repos;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase(dialect);
    repos = createRepos(fresh.database);
    drop = fresh.drop;
  });
  afterAll(() => drop());

  const t0 = new Date('2026-01-02T03:04:05.678Z');
  async function user(): Promise<UserRow> {
    const row: UserRow = {
      id: randomUUID(),
      email: `${randomUUID()}@example.org`,
      passwordHash: 'x',
      changeSeq: 0,
      createdAt: t0,
      handle: null,
    };
    await repos.auth.createUser(row);
    return row;
  }
  const reminder = (userId: string, over: Partial<NewReminder> = {}): NewReminder => ({
    id: randomUUID(),
    userId,
    text: 'text',
    note: null,
    author: null,
    sourceUrl: null,
    sourceTitle: null,
    visibility: 'private',
    favorite: false,
    imageId: null,
    randKey: 1000,
    createdAt: t0,
    ...over,
  });

  it('keeps the search index in step with inserts, edits and purges', async () => {
    const u = await user();
    const other = await user();
    const r = (await repos.reminders.insert(reminder(u.id, { text: 'Lovely loves 天下', author: 'Ann' })))
      .row;
    await repos.reminders.insert(reminder(other.id, { text: 'lovely too' }));
    const count = (term: string, prefix = false) => repos.reminders.countTerm(u.id, { term, prefix }, 100);
    expect([
      await count('lovely'),
      await count('lov', true),
      await count('天下'),
      await count('ann'),
      await count('zzz'),
    ]).toEqual([1, 2, 1, 1, 0]);
    expect(await repos.reminders.expandPrefix(u.id, 'lov', 10)).toEqual(['lovely', 'loves']);
    expect(await repos.reminders.expandPrefix(u.id, 'lov', 1)).toEqual(['lovely']);
    const walk = await repos.reminders.searchCandidates({
      userId: u.id,
      limit: 10,
      plan: { kind: 'walk', terms: ['lovely', 'loves'], others: [{ term: 'ann', prefix: false }] },
    });
    expect(walk).toMatchObject({ rows: [{ id: r.id }], more: false });
    const gather = await repos.reminders.searchCandidates({
      userId: u.id,
      limit: 1,
      plan: { kind: 'gather', prefix: 'lo', others: [] },
    });
    expect(gather).toMatchObject({ rows: [{ id: r.id }], more: true, last: { id: r.id } });
    const scan = await repos.reminders.searchCandidates({
      userId: u.id,
      limit: 10,
      favorite: true,
      plan: { kind: 'scan', others: [] },
    });
    expect(scan.rows).toEqual([]);
    await repos.reminders.update(r.id, u.id, 1, { text: 'Hate', author: null }, t0);
    expect([await count('lovely'), await count('hate'), await count('ann')]).toEqual([0, 1, 0]);
    await repos.reminders.softDelete(r.id, u.id, t0);
    expect(
      (
        await repos.reminders.searchCandidates({
          userId: u.id,
          limit: 10,
          plan: { kind: 'walk', terms: ['hate'], others: [] },
        })
      ).rows,
    ).toEqual([]);
    await repos.reminders.purge(r.id, u.id);
    expect(await count('hate')).toBe(0);
  });

  it('builds the index of rows written before it existed', async () => {
    const u = await user();
    const { row } = await repos.reminders.insert(reminder(u.id, { text: 'Before the index' }));
    expect((await repos.reminders.listUnindexed(1000)).map((x) => x.id)).not.toContain(row.id);
    await repos.reminders.reindex([{ ...row, text: 'Rebuilt words' }]);
    expect(await repos.reminders.countTerm(u.id, { term: 'rebuilt', prefix: false }, 10)).toBe(1);
    expect(await repos.reminders.countTerm(u.id, { term: 'before', prefix: false }, 10)).toBe(0);
  });
});
