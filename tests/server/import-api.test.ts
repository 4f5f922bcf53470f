import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseFortuneFile } from '../../server/import/fortune';
import { LIBRARY } from '../../shared/limits';
import { ImportEventSchema, ImportReportSchema } from '../../shared/schemas/library';
import { dialects } from '../support/databases';
import { fortuneFile } from '../support/fortunes';
import { useHarness } from './harness';
import { everything, type Item } from './library-helpers';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', name));

describe.each(dialects())('import API (%s)', (dialect) => {
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
  it.runIf(chinese)(
    "imports Debian's fortunes-zh and finds it by Chinese search",
    async () => {
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
    },
    90_000,
  );
});
