import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFortunes } from '../../server/import/fortune';
import { silentLogger } from '../../server/logger';
import { backfillSearchIndex } from '../../server/reminders/backfill';
import type { NewReminder } from '../../server/reminders/repo';
import { dialects } from '../support/databases';
import { fortuneFile } from '../support/fortunes';
import { useHarness, type Harness } from './harness';

type Item = { id: string; text: string; createdAt: string };

/** Every page of GET /api/reminders?… until nextCursor is null. */
async function allPages(h: Harness, token: string, params: string, limit = 50): Promise<Item[]> {
  const seen: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.call(
      'GET',
      `/api/reminders?limit=${limit}&${params}${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    expect(res.status, res.text).toBe(200);
    seen.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe.each(dialects())('search (%s)', (dialect) => {
  const h = useHarness(dialect);
  const create = (token: string, json: Record<string, unknown>) =>
    h.call('POST', '/api/reminders', { token, json });
  const seed = async (userId: string, texts: string[], over: Partial<NewReminder> = {}) => {
    const start = h.clock.now.getTime();
    const rows = texts.map((text, i) => ({
      id: randomUUID(),
      userId,
      text,
      note: null,
      author: null,
      sourceUrl: null,
      sourceTitle: null,
      visibility: 'private' as const,
      favorite: false,
      imageId: null,
      createdAt: new Date(start - Math.floor(i / 3)), // triples share a millisecond
      ...over,
    }));
    for (let i = 0; i < rows.length; i += 1000)
      await h.repos.reminders.insertMany(userId, rows.slice(i, i + 1000));
    return rows;
  };

  it('finds words in text, note, author and source title, only in my reminders', async () => {
    const me = await h.signUp();
    const other = await h.signUp();
    await create(me.token, {
      text: 'Stay hungry, stay foolish.',
      author: 'Steve Jobs',
      sourceTitle: 'Stanford commencement',
    });
    await create(me.token, {
      text: 'Simplicity is the ultimate sophistication.',
      note: 'Jobs liked this one too',
    });
    await create(me.token, { text: 'Nothing here' });
    await create(other.token, { text: 'Jobs done, says the other person', visibility: 'public' });
    const texts = async (query: string) => (await allPages(h, me.token, q(query))).map((r) => r.text).sort();
    expect(await texts('jobs')).toEqual([
      'Simplicity is the ultimate sophistication.',
      'Stay hungry, stay foolish.',
    ]);
    expect(await texts('STANFORD')).toEqual(['Stay hungry, stay foolish.']);
    expect(await texts('stay jo')).toEqual(['Stay hungry, stay foolish.']);
    expect(await texts('sophistic')).toEqual(['Simplicity is the ultimate sophistication.']);
    expect(await texts('says')).toEqual([]);
    expect(await texts('zebra')).toEqual([]);
  });

  it("finds Chinese in Debian's fortunes-zh, with one, two or many characters", async () => {
    const file = fortuneFile('chinese', 'fortunes-zh');
    const me = await h.signUp();
    const entries = file
      ? parseFortunes(readFileSync(file, 'utf8')).slice(0, 400)
      : [{ text: '天下无难事，只怕有心人。', line: 1 }];
    await seed(
      me.userId,
      entries.map((e) => e.text),
    );
    const sample = entries.find((e) => /[\u4e00-\u9fff]{6}/.test(e.text)) ?? entries[0]!;
    const run = /[\u4e00-\u9fff]{6,}/.exec(sample.text)?.[0] ?? sample.text;
    for (const query of [run.slice(0, 1), run.slice(1, 3), run.slice(0, 5)]) {
      const found = await allPages(h, me.token, q(query), 200);
      const expected = entries.filter((e) => e.text.includes(query));
      expect(found.length, query).toBe(expected.length);
      expect(
        found.every((r) => r.text.includes(query)),
        query,
      ).toBe(true);
    }
  });

  it('pages through 3,000 search results and the full list with nothing missing or repeated', async () => {
    const me = await h.signUp();
    const texts = Array.from(
      { length: 3000 },
      (_, i) => `Common word ${i}${i % 3 === 0 ? ' with apples' : ''}${i % 5 === 0 ? ' and applesauce' : ''}`,
    );
    const rows = await seed(me.userId, texts);
    const apples = rows.filter((_, i) => i % 3 === 0);
    const appl = rows.filter((_, i) => i % 3 === 0 || i % 5 === 0);
    for (const [params, expected] of [
      ['', rows],
      [q('common'), rows],
      [q('apples common'), apples],
      [q('common apples'), appl], // the last word may be the start of one: apples, applesauce
      [q('appl'), appl],
      [q('co'), rows],
      [`${q('word appl')}&visibility=private`, appl],
    ] as const) {
      const seen = await allPages(h, me.token, params, 200);
      expect(seen.length, params).toBe(expected.length);
      expect(new Set(seen.map((r) => r.id)), params).toEqual(new Set(expected.map((r) => r.id)));
      const times = seen.map((r) => Date.parse(r.createdAt));
      expect(times, params).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('combines search with the visibility and favourite filters', async () => {
    const me = await h.signUp();
    await create(me.token, { text: 'Courage is grace under pressure', visibility: 'public', favorite: true });
    await create(me.token, { text: 'Courage, dear heart', visibility: 'public' });
    await create(me.token, { text: 'Courage is found in unlikely places', favorite: true });
    const texts = async (params: string) => (await allPages(h, me.token, params)).map((r) => r.text).sort();
    expect(await texts(`${q('courage')}&visibility=public`)).toEqual([
      'Courage is grace under pressure',
      'Courage, dear heart',
    ]);
    expect(await texts(`${q('courage')}&favorite=true`)).toEqual([
      'Courage is found in unlikely places',
      'Courage is grace under pressure',
    ]);
    expect(await texts(`${q('courage is')}&visibility=private&favorite=true`)).toEqual([
      'Courage is found in unlikely places',
    ]);
  });

  it('follows edits and never shows trashed reminders', async () => {
    const me = await h.signUp();
    const { reminder } = (await create(me.token, { text: 'An old thought' })).body;
    const edit = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: me.token,
      json: { text: 'A brand new idea', author: 'Ada Lovelace' },
      headers: { 'if-match': '"1"' },
    });
    expect(edit.status).toBe(200);
    expect(await allPages(h, me.token, q('old'))).toEqual([]);
    expect((await allPages(h, me.token, q('lovelace idea'))).map((r) => r.id)).toEqual([reminder.id]);
    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token: me.token });
    expect(await allPages(h, me.token, q('lovelace'))).toEqual([]);
    await h.call('POST', `/api/reminders/${reminder.id}/restore`, { token: me.token });
    expect((await allPages(h, me.token, q('lovelace'))).map((r) => r.id)).toEqual([reminder.id]);
  });

  it('matches symbols literally when a query has no words (a LIKE fallback)', async () => {
    const me = await h.signUp();
    await create(me.token, { text: 'Give 110% 🌱 every day' });
    await create(me.token, { text: 'Give 100 percent' });
    expect((await allPages(h, me.token, q('%'))).map((r) => r.text)).toEqual(['Give 110% 🌱 every day']);
    expect((await allPages(h, me.token, q('🌱'))).map((r) => r.text)).toEqual(['Give 110% 🌱 every day']);
    expect((await allPages(h, me.token, q('110%'))).map((r) => r.text)).toEqual(['Give 110% 🌱 every day']);
  });

  it('builds the index at start-up for reminders saved before it existed', async () => {
    const me = await h.signUp();
    const { id } = (await create(me.token, { text: 'Written long before search' })).body.reminder;
    // What a row from before migration 0002 looks like: no index rows, no dedupe key.
    if (h.database.dialect === 'sqlite') {
      h.database.raw.prepare('delete from reminder_terms where reminder_id = ?').run(id);
      h.database.raw.prepare('update reminders set dedupe_key = null where id = ?').run(id);
    } else {
      await h.database.pool.query('delete from reminder_terms where reminder_id = ?', [id]);
      await h.database.pool.query('update reminders set dedupe_key = null where id = ?', [id]);
    }
    expect(await allPages(h, me.token, q('written'))).toEqual([]);
    expect(await backfillSearchIndex(h.repos.reminders, silentLogger)).toBeGreaterThanOrEqual(1);
    expect((await allPages(h, me.token, q('written search'))).map((r) => r.id)).toEqual([id]);
    expect(await backfillSearchIndex(h.repos.reminders, silentLogger)).toBe(0);
  });

  it('refuses an over-long search with the error shape', async () => {
    const me = await h.signUp();
    const res = await h.call('GET', `/api/reminders?${q('x'.repeat(201))}`, { token: me.token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', fields: { q: 'Search is too long.' } });
  });
});
