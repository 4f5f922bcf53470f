import { describe, expect, it } from 'vitest';
import { dialects } from '../support/databases';
import { useRepos } from './repo-fixtures';

/** The repository conformance suite, continued: the search index, on every dialect. */
describe.each(dialects())('repository conformance: search index (%s)', (dialect) => {
  const t0 = new Date('2026-01-02T03:04:05.678Z');
  const fx = useRepos(dialect, t0);
  const { user, reminder } = fx;

  it('keeps the search index in step with inserts, edits and purges', async () => {
    const u = await user();
    const other = await user();
    const r = (await fx.repos.reminders.insert(reminder(u.id, { text: 'Lovely loves 天下', author: 'Ann' })))
      .row;
    await fx.repos.reminders.insert(reminder(other.id, { text: 'lovely too' }));
    const count = (term: string, prefix = false) => fx.repos.reminders.countTerm(u.id, { term, prefix }, 100);
    expect([
      await count('lovely'),
      await count('lov', true),
      await count('天下'),
      await count('ann'),
      await count('zzz'),
    ]).toEqual([1, 2, 1, 1, 0]);
    expect(await fx.repos.reminders.expandPrefix(u.id, 'lov', 10)).toEqual(['lovely', 'loves']);
    expect(await fx.repos.reminders.expandPrefix(u.id, 'lov', 1)).toEqual(['lovely']);
    const walk = await fx.repos.reminders.searchCandidates({
      userId: u.id,
      limit: 10,
      plan: { kind: 'walk', terms: ['lovely', 'loves'], others: [{ term: 'ann', prefix: false }] },
    });
    expect(walk).toMatchObject({ rows: [{ id: r.id }], more: false });
    const gather = await fx.repos.reminders.searchCandidates({
      userId: u.id,
      limit: 1,
      plan: { kind: 'gather', prefix: 'lo', others: [] },
    });
    expect(gather).toMatchObject({ rows: [{ id: r.id }], more: true, last: { id: r.id } });
    const scan = await fx.repos.reminders.searchCandidates({
      userId: u.id,
      limit: 10,
      favorite: true,
      plan: { kind: 'scan', others: [] },
    });
    expect(scan.rows).toEqual([]);
    await fx.repos.reminders.update(r.id, u.id, 1, { text: 'Hate', author: null }, t0);
    expect([await count('lovely'), await count('hate'), await count('ann')]).toEqual([0, 1, 0]);
    await fx.repos.reminders.softDelete(r.id, u.id, t0);
    expect(
      (
        await fx.repos.reminders.searchCandidates({
          userId: u.id,
          limit: 10,
          plan: { kind: 'walk', terms: ['hate'], others: [] },
        })
      ).rows,
    ).toEqual([]);
    await fx.repos.reminders.purge(r.id, u.id);
    expect(await count('hate')).toBe(0);
  });

  it('builds the index of rows written before it existed', async () => {
    const u = await user();
    const { row } = await fx.repos.reminders.insert(reminder(u.id, { text: 'Before the index' }));
    expect((await fx.repos.reminders.listUnindexed(1000)).map((x) => x.id)).not.toContain(row.id);
    await fx.repos.reminders.reindex([{ ...row, text: 'Rebuilt words' }]);
    expect(await fx.repos.reminders.countTerm(u.id, { term: 'rebuilt', prefix: false }, 10)).toBe(1);
    expect(await fx.repos.reminders.countTerm(u.id, { term: 'before', prefix: false }, 10)).toBe(0);
  });
});
