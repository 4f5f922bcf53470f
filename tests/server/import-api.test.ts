import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseFortuneFile } from '../../server/import/fortune';
import { LIBRARY } from '../../shared/limits';
import { ExportFileSchema, ImportEventSchema, ImportReportSchema } from '../../shared/schemas/library';
import { dialects } from '../support/databases';
import { fortuneFile } from '../support/fortunes';
import { noiseJpeg } from '../support/image-fixtures';
import { useHarness, type Harness } from './harness';
import { uploader } from './images-helpers';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', name));

type Item = { id: string; text: string; author: string | null; [k: string]: unknown };

async function everything(h: Harness, token: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: Item[]; nextCursor: string | null } } = await h.call(
      'GET',
      `/api/reminders?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

describe.each(dialects())('import and export API (%s)', (dialect) => {
  const h = useHarness(dialect);
  const importFile = (
    token: string,
    format: string,
    body: BodyInit,
    extra = '',
    headers: Record<string, string> = {},
  ) =>
    h.call('POST', `/api/import?format=${format}${extra}`, {
      token,
      body,
      headers: { 'content-type': 'text/plain', ...headers },
    });

  it('imports a Kindle clippings file, then a second time adds nothing', async () => {
    const { token } = await h.signUp();
    const first = await importFile(token, 'kindle', fixture('My Clippings.txt'));
    expect(first.status).toBe(200);
    const report = v.parse(ImportReportSchema, first.body);
    expect(report).toMatchObject({ format: 'kindle', dryRun: false, total: 11, created: 6, duplicates: 1 });
    expect(report.skipped).toHaveLength(4);
    expect(report.skipped.every((s) => s.reason && s.entry > 0)).toBe(true);
    const items = await everything(h, token);
    expect(items).toHaveLength(6);
    expect(items.find((r) => r.text.startsWith('You have power'))).toMatchObject({
      author: 'Marcus Aurelius',
      sourceTitle: 'Meditations (Penguin Classics)',
      note: 'Read this before every hard meeting.',
      createdAt: '2023-03-13T08:06:02.000Z',
      visibility: 'private',
    });
    const again = v.parse(
      ImportReportSchema,
      (await importFile(token, 'kindle', fixture('My Clippings.txt'))).body,
    );
    expect(again).toMatchObject({ created: 0, duplicates: 7 });
    expect(await everything(h, token)).toHaveLength(6);
  });

  it('previews with a dry run and writes nothing', async () => {
    const { token } = await h.signUp();
    const dry = await importFile(token, 'readwise', fixture('readwise.csv'), '&dryRun=true');
    expect(dry.body).toMatchObject({ dryRun: true, created: 4, duplicates: 0 });
    expect(dry.body.preview).toHaveLength(4);
    expect(dry.body.preview[1]).toMatchObject({
      text: 'What I cannot create,\nI do not understand.',
      author: 'Richard P. Feynman',
    });
    expect(await everything(h, token)).toEqual([]);
    const real = await importFile(token, 'readwise', fixture('readwise.csv'), '&dryRun=false');
    expect(real.body).toMatchObject({ dryRun: false, created: 4 });
    expect(await everything(h, token)).toHaveLength(4);
  });

  it('takes the file as the multipart field "file" too, and refuses other fields', async () => {
    const { token } = await h.signUp();
    const form = new FormData();
    form.append('file', new Blob([fixture('quote-author.csv')]), 'quotes.csv');
    const res = await h.call('POST', '/api/import?format=csv', { token, body: form });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      created: 3,
      skipped: [expect.objectContaining({ reason: 'No quote in this row.' })],
    });
    const bad = new FormData();
    bad.append('file', new Blob(['x']), 'a.csv');
    bad.append('owner', 'someone-else');
    const refused = await h.call('POST', '/api/import?format=csv', { token, body: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual({ owner: 'Unknown field.' });
  });

  it('finds duplicates against the collection and within the file, and points at the trash', async () => {
    const { token } = await h.signUp();
    await h.call('POST', '/api/reminders', {
      token,
      json: { text: 'We may encounter many defeats but we must not be defeated.', author: 'maya  ANGELOU' },
    });
    const gone = (
      await h.call('POST', '/api/reminders', {
        token,
        json: { text: 'The journey of a thousand miles begins with one step.', author: 'Lao Tzu' },
      })
    ).body.reminder;
    await h.call('DELETE', `/api/reminders/${gone.id}`, { token });
    const res = await importFile(token, 'csv', fixture('author-quote.csv'));
    expect(res.body).toMatchObject({ total: 5, created: 3, duplicates: 1 });
    expect(res.body.skipped).toEqual([
      expect.objectContaining({ entry: 2, reason: expect.stringMatching(/^In your trash/) }),
    ]);
    // "defeats, but" differs by a comma from the one already there: a person would call it a different line.
    expect((await everything(h, token)).map((r) => r.text).sort()).toEqual(
      [
        'Be kind, for everyone you meet is fighting a hard battle.',
        'It does not matter how slowly you go as long as you do not stop.',
        'We may encounter many defeats but we must not be defeated.',
        'We may encounter many defeats, but we must not be defeated.',
      ].sort(),
    );
  });

  it('reports entries it cannot take, each with a reason, and imports the rest', async () => {
    const { token } = await h.signUp();
    const csv = `quote,author,url\nFine,Someone,javascript:alert(1)\n"${'x'.repeat(LIBRARY.importMaxBytes > 0 ? 20_001 : 0)}",Too long,\n`;
    const res = await importFile(token, 'csv', csv);
    expect(res.body).toMatchObject({ created: 1 });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        entry: 2,
        line: 3,
        reason: 'Text is too long: 20,001 characters, the limit is 20,000.',
      }),
    ]);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ entry: 1, reason: expect.stringMatching(/without its source link/) }),
    ]);
    expect((await everything(h, token))[0]).toMatchObject({ text: 'Fine', sourceUrl: null });
  });

  it('answers unreadable, empty, oversized or mislabelled files with the error shape', async () => {
    const { token } = await h.signUp();
    const unreadable = await importFile(token, 'json', 'not json');
    expect(unreadable.status).toBe(422);
    expect(unreadable.body.error).toMatchObject({
      code: 'invalid_import',
      message: 'This file is not valid JSON.',
    });
    expect((await importFile(token, 'csv', '')).body.error).toMatchObject({
      code: 'validation_failed',
      fields: { file: 'Empty.' },
    });
    const huge = await importFile(token, 'fortune', 'x'.repeat(LIBRARY.importMaxBytes + 70 * 1024));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const format = await importFile(token, 'yaml', 'a: b');
    expect(format.status).toBe(400);
    expect(format.body.error.fields.format).toBeDefined();
    expect((await importFile(token, 'csv', 'a', '&owner=x')).body.error.fields).toEqual({
      owner: 'Unknown field "owner".',
    });
    expect((await h.call('POST', '/api/import?format=csv', { body: 'quote\nx' })).status).toBe(401);
  });

  it('streams progress and then the report when asked for NDJSON', async () => {
    const { token } = await h.signUp();
    const lines = Array.from({ length: 2500 }, (_, i) => `"Saying number ${i}",Author ${i % 7}`).join('\n');
    const res = await importFile(token, 'csv', `quote,author\n${lines}\n`, '', {
      accept: 'application/x-ndjson',
    });
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const events = res.text
      .trim()
      .split('\n')
      .map((l) => v.parse(ImportEventSchema, JSON.parse(l)));
    expect(events[0]).toEqual({ type: 'progress', done: 0, total: 2500 });
    expect(
      events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.done : 0)),
    ).toEqual([0, 1000, 2000, 2500]);
    expect(events.at(-1)).toMatchObject({ type: 'report', report: { created: 2500 } });
  });

  const chinese = fortuneFile('chinese', 'fortunes-zh');
  it.runIf(chinese)("imports Debian's fortunes-zh and finds it by Chinese search", async () => {
    const { token } = await h.signUp();
    const raw = readFileSync(chinese!);
    const res = await importFile(token, 'fortune', raw);
    const expected = parseFortuneFile(raw.toString('utf8')).entries;
    expect(res.body.created + res.body.duplicates).toBe(expected.length);
    const query = '天下';
    const found = await h.call('GET', `/api/reminders?limit=200&q=${encodeURIComponent(query)}`, { token });
    expect(found.body.items.length).toBeGreaterThan(0);
    expect(found.body.items.every((r: Item) => r.text.includes(query) || r.author?.includes(query))).toBe(
      true,
    );
  });

  it('exports JSON losslessly, and importing it into a fresh account gives the same collection', async () => {
    const a = await h.signUp();
    const image = (await uploader(h)(a.token, await noiseJpeg(300, 200), { type: 'image/jpeg' })).body.image;
    const made = [
      { text: 'Plain' },
      {
        text: 'Full 👩🏽‍💻 “quoted”\nsecond line',
        note: 'why it matters',
        author: 'Ada',
        sourceUrl: 'https://example.org/a?b=1',
        sourceTitle: 'A page',
        visibility: 'public',
        favorite: true,
      },
      { text: 'With a picture', imageId: image.id },
    ];
    for (const json of made) {
      await h.call('POST', '/api/reminders', { token: a.token, json });
      h.clock.advance(1500);
    }
    const gone = (
      await h.call('POST', '/api/reminders', { token: a.token, json: { text: 'Deleted, not exported' } })
    ).body.reminder;
    await h.call('DELETE', `/api/reminders/${gone.id}`, { token: a.token });

    const res = await h.call('GET', '/api/export?format=json', { token: a.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="remindme-\d{4}-\d\d-\d\d\.json"$/,
    );
    const file = v.parse(ExportFileSchema, res.body);
    expect(file.reminders.map((r) => r.text)).toEqual(['With a picture', made[1]!.text, 'Plain']);
    expect(file.reminders[0]!.image).toMatchObject({
      id: image.id,
      mime: 'image/jpeg',
      width: 300,
      height: 200,
      url: expect.stringMatching(/^http/),
    });

    const b = await h.signUp();
    const back = await h.call('POST', '/api/import?format=json', {
      token: b.token,
      body: res.text,
      headers: { 'content-type': 'application/json' },
    });
    expect(back.body).toMatchObject({ created: 3, duplicates: 0, errors: [] });
    const strip = (r: Item) => ({
      text: r.text,
      note: r.note,
      author: r.author,
      sourceUrl: r.sourceUrl,
      sourceTitle: r.sourceTitle,
      visibility: r.visibility,
      favorite: r.favorite,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
    expect((await everything(h, b.token)).map(strip)).toEqual((await everything(h, a.token)).map(strip));
    // Someone else's image cannot be taken over by naming its id in a file.
    expect(back.body.warnings).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/without its image/) }),
    ]);
    expect((await everything(h, b.token)).every((r) => r.imageId === null)).toBe(true);
    // Into the same account (a restore), nothing is duplicated.
    expect(
      (await h.call('POST', '/api/import?format=json', { token: a.token, body: res.text })).body,
    ).toMatchObject({ created: 0, duplicates: 3 });
  });

  it('exports CSV that spreadsheets and our CSV import read back', async () => {
    const a = await h.signUp();
    await h.call('POST', '/api/reminders', {
      token: a.token,
      json: { text: '=SUM(A1) is not a formula here', author: 'Tester, Esq.' },
    });
    await h.call('POST', '/api/reminders', {
      token: a.token,
      json: { text: 'Line one\nLine "two"', visibility: 'public', favorite: true, note: ' padded ' },
    });
    const res = await h.call('GET', '/api/export?format=csv', { token: a.token });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(
      res.text.startsWith(
        'text,author,note,sourceUrl,sourceTitle,visibility,favorite,createdAt,updatedAt,imageUrl\r\n',
      ),
    ).toBe(true);
    const raw = await h.app.request('/api/export?format=csv', {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    expect(res.text).toContain(`'=SUM(A1) is not a formula here`);
    const b = await h.signUp();
    const back = await h.call('POST', '/api/import?format=csv', { token: b.token, body: res.text });
    expect(back.body).toMatchObject({ created: 2, errors: [] });
    const pick = (r: Item) => [r.text, r.author, r.visibility, r.favorite, r.createdAt];
    expect((await everything(h, b.token)).map(pick).sort()).toEqual(
      (await everything(h, a.token)).map(pick).sort(),
    );
  });

  it("never exports someone else's reminders", async () => {
    const a = await h.signUp();
    const b = await h.signUp();
    await h.call('POST', '/api/reminders', {
      token: b.token,
      json: { text: 'B private', visibility: 'private' },
    });
    await h.call('POST', '/api/reminders', {
      token: b.token,
      json: { text: 'B public', visibility: 'public' },
    });
    await h.call('POST', '/api/reminders', { token: a.token, json: { text: 'A own' } });
    const json = await h.call('GET', '/api/export', { token: a.token });
    expect(json.body.reminders.map((r: Item) => r.text)).toEqual(['A own']);
    const csv = await h.call('GET', '/api/export?format=csv', { token: a.token });
    expect(csv.text).not.toContain('B p');
    expect((await h.call('GET', '/api/export')).status).toBe(401);
    expect((await h.call('GET', '/api/export?format=xml', { token: a.token })).status).toBe(400);
  });
});
