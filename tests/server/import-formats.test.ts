import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvFile } from '../../server/import/csv';
import { readCsv } from '../../server/import/csv-read';
import { parseFortuneFile } from '../../server/import/fortune';
import { parseJsonExport } from '../../server/import/json';
import { parseAddedOn, parseKindle, parseTitleLine } from '../../server/import/kindle';
import { parseReadwise } from '../../server/import/readwise';
import { reflow } from '../../server/import/reflow';
import { decodeText } from '../../server/import/text';
import { fortuneFile } from '../support/fortunes';

const fixture = (name: string) =>
  decodeText(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', name)));
const strip = <T extends { at?: unknown }>(entries: T[]) => entries.map(({ at: _at, ...rest }) => rest);

describe('reading files', () => {
  it('decodes UTF-8 with or without a BOM, UTF-16 and Windows-1252, with any line endings', () => {
    expect(decodeText(Buffer.from('\uFEFFa\r\nb\rc\n', 'utf8'))).toBe('a\nb\nc\n');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë\r\n', 'utf16le')]))).toBe(
      'Zoë\n',
    );
    expect(decodeText(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94]))).toBe('Café “ok”');
  });
});

describe('fortune reflow', () => {
  const prose =
    'A cloud does not know why it moves in just such a direction and at such\n' +
    'a speed, if feels an impulsion... this is the place to go now.  But the\n' +
    'sky knows the reasons and the patterns behind all clouds.';

  it('joins hard-wrapped prose into one paragraph', () => {
    expect(reflow(prose)).toBe(
      'A cloud does not know why it moves in just such a direction and at such a speed, if feels an impulsion... this is the place to go now. But the sky knows the reasons and the patterns behind all clouds.',
    );
  });

  it('keeps verse, short lines and blank lines as they are', () => {
    const verse =
      'A halted retreat\nIs nerve-wracking and dangerous.\nTo retain people as men -- and maidservants\nBrings good fortune.';
    expect(reflow(verse)).toBe(verse);
    const song =
      'There you go man,\nKeep as cool as you can.\nIt riles them to believe that you perceive the web they weave.\nKeep on being free!';
    expect(reflow(song)).toBe(song);
    expect(reflow(`${prose}\n\nSecond paragraph.`)).toMatch(/clouds\.\n\nSecond paragraph\.$/);
  });

  it('keeps dialogue lines and list items, joining only their wrapped continuations', () => {
    const dialogue =
      'A man said to the Universe:\n\t"Sir, I exist!"\n\t"However," replied the Universe,\n\t"the fact has not created in me a sense of obligation."';
    expect(reflow(dialogue)).toBe(dialogue);
    const qa =
      'Q: "Herr Mozart, I am thinking of writing symphonies. Can you give me any\n' +
      '   suggestions as to how to get started?"\n' +
      'A: "A symphony is a very complex musical form, perhaps you should begin with\n' +
      '   some simple lieder and work your way up to a symphony."';
    expect(reflow(qa).split('\n')).toEqual([
      'Q: "Herr Mozart, I am thinking of writing symphonies. Can you give me any suggestions as to how to get started?"',
      'A: "A symphony is a very complex musical form, perhaps you should begin with some simple lieder and work your way up to a symphony."',
    ]);
  });

  it('leaves ASCII art alone', () => {
    const art =
      '      /\\_/\\    the cat sat on the mat and looked at everyone in the room\n     ( o.o )   with the disdain that only cats can manage, all day long\n      > ^ <';
    expect(reflow(art)).toBe(art);
  });

  const wisdom = fortuneFile('wisdom');
  it.runIf(wisdom)("reflows Debian's wisdom file without losing a word", () => {
    const raw = readFileSync(wisdom!, 'utf8');
    const { entries } = parseFortuneFile(raw);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    const original = raw.split(/^%$/m).join(' ');
    const imported = entries.map((e) => `${e.text} ${e.author ?? ''}`).join(' ');
    expect(words(imported).length).toBeLessThanOrEqual(words(original).length);
    expect(words(original).length - words(imported).length).toBeLessThan(entries.length * 2); // the "--" of attributions
    expect(entries.find((e) => e.text.startsWith('A cloud does not know'))?.text).not.toContain('\n');
    expect(entries.find((e) => e.text.startsWith('A halted retreat'))?.text.split('\n')).toHaveLength(4);
    expect(entries[0]).toMatchObject({ at: { entry: 1, line: 1 }, author: 'S. Paige, c. 1951' });
  });
});

describe('CSV', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks', () => {
    const { records } = readCsv('a,"b, c","say ""hi""\nthere"\n\n1,2,3\n');
    expect(records).toEqual([
      { fields: ['a', 'b, c', 'say "hi"\nthere'], line: 1 },
      { fields: ['1', '2', '3'], line: 4 },
    ]);
  });

  it('maps a Quote;Author header from a spreadsheet (semicolons, BOM, CRLF, a two-line cell)', () => {
    const parsed = parseCsvFile(fixture('quote-author.csv'));
    expect(strip(parsed.entries)).toEqual(
      [
        {
          text: 'Hope is the thing with feathers\nThat perches in the soul',
          author: 'Emily Dickinson',
          note: 'poem 314',
        },
        { text: 'Simplicity is the ultimate sophistication.', author: 'Leonardo da Vinci' },
        { text: 'Say "yes" to the day.' },
      ].map((e) => ({
        note: undefined,
        author: undefined,
        sourceUrl: undefined,
        sourceTitle: undefined,
        visibility: undefined,
        favorite: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        ...e,
      })),
    );
    expect(parsed.skipped).toEqual([
      { entry: 3, line: 5, reason: 'No quote in this row.', excerpt: 'Nobody an empty row' },
    ]);
  });

  it('tells author,quote from quote,author without a header by which column holds the sayings', () => {
    const parsed = parseCsvFile(fixture('author-quote.csv'));
    expect(parsed.entries[0]).toMatchObject({
      text: 'We may encounter many defeats but we must not be defeated.',
      author: 'Maya Angelou',
    });
    const flipped = parseCsvFile('"The journey of a thousand miles begins with one step.",Lao Tzu\n');
    expect(flipped.entries[0]).toMatchObject({
      text: 'The journey of a thousand miles begins with one step.',
      author: 'Lao Tzu',
    });
  });

  it('refuses a file with a quote that never closes, naming the line', () => {
    expect(() => parseCsvFile('quote,author\n"Unfinished,me\n')).toThrow(/line 2/);
  });
});

describe('Kindle My Clippings.txt', () => {
  const parsed = parseKindle(fixture('My Clippings.txt'));

  it('reads highlights with their book, author and date, and a note onto its highlight', () => {
    const byText = (start: string) => parsed.entries.find((e) => e.text.startsWith(start));
    expect(byText('All human wisdom')).toMatchObject({
      author: 'Alexandre Dumas',
      sourceTitle: 'The Count of Monte Cristo',
      createdAt: '2023-03-12T20:41:07.000Z',
    });
    expect(byText('You have power over your mind - not')).toMatchObject({
      author: 'Marcus Aurelius',
      sourceTitle: 'Meditations (Penguin Classics)',
      note: 'Read this before every hard meeting.',
      createdAt: '2023-03-13T08:06:02.000Z',
    });
    expect(byText('It is only with the heart')).toMatchObject({ author: 'Antoine de Saint-Exupéry' });
    expect(byText('学而时习之')).toMatchObject({ author: '孔子', sourceTitle: '论语' });
    expect(byText('Ich wollte')).toMatchObject({ author: 'Hermann Hesse', sourceTitle: 'Der Steppenwolf' });
    expect(byText('Remember to call Grandma')).toMatchObject({ sourceTitle: 'Notes from a walk' });
    expect(byText('Remember to call Grandma')?.author).toBeUndefined();
  });

  it('leaves out bookmarks, empty highlights, the clipping-limit notice and superseded versions, saying why', () => {
    expect(parsed.skipped.map((s) => [s.entry, s.reason])).toEqual([
      [2, 'A bookmark (Location 22400), not a highlight.'],
      [3, 'An earlier, shorter version of the highlight at Location 541–543.'],
      [6, 'An empty highlight (Location 560).'],
      [8, "The Kindle's clipping-limit notice, not the book's text."],
    ]);
    expect(parsed.entries).toHaveLength(7); // the exact repeat is left to the duplicate check
    expect(parsed.entries.every((e) => !e.text.includes('\r') && !e.text.includes('\uFEFF'))).toBe(true);
  });

  it('reads both date styles as UTC and Kindle title lines', () => {
    expect(parseAddedOn('Added on Monday, March 13, 2023 12:06:02 AM')).toBe('2023-03-13T00:06:02.000Z');
    expect(parseTitleLine('Sapiens (Harari, Yuval Noah; Someone, Else)')).toEqual({
      title: 'Sapiens',
      author: 'Yuval Noah Harari, Else Someone',
    });
    expect(parseTitleLine('Just a title')).toEqual({ title: 'Just a title' });
  });
});

describe('Readwise CSV export', () => {
  const parsed = parseReadwise(fixture('readwise.csv'));

  it('reads highlights with book, author, multi-line notes, tags and dates', () => {
    expect(strip(parsed.entries)).toEqual([
      {
        text: 'The first principle is that you must not fool yourself — and you are the easiest person to fool.',
        author: 'Richard P. Feynman',
        sourceTitle: "Surely You're Joking, Mr. Feynman!",
        sourceUrl: undefined,
        note: 'Tags: science',
        createdAt: '2021-03-02T21:14:05.000Z',
      },
      {
        text: 'What I cannot create,\nI do not understand.',
        author: 'Richard P. Feynman',
        sourceTitle: "Feynman's Blackboard",
        sourceUrl: undefined,
        note: 'Written on his blackboard at Caltech, 1988.\nFound after his death.',
        createdAt: '2021-03-03T08:00:00.000Z',
      },
      {
        text: 'You do not rise to the level of your goals. You fall to the level of your systems.',
        author: 'James Clear',
        sourceTitle: 'Atomic Habits',
        sourceUrl: undefined,
        note: 'The "systems" idea, again.\n\nTags: habits, systems',
        createdAt: '2022-01-10T10:05:00.000Z',
      },
      {
        text: '千里之行，始于足下。',
        author: '老子',
        sourceTitle: '道德经',
        sourceUrl: undefined,
        note: undefined,
        createdAt: '2022-02-01T12:00:00.000Z',
      },
    ]);
    expect(parsed.skipped.map((s) => s.reason)).toEqual([
      'A heading (marked .h1–.h6 in Readwise), not a highlight.',
      'Empty highlight.',
    ]);
  });

  it('is also recognised when imported as plain CSV', () => {
    expect(parseCsvFile(fixture('readwise.csv')).entries).toHaveLength(4);
  });

  it('refuses a CSV that is not a Readwise export', () => {
    expect(() => parseReadwise('quote,author\nx,y\n')).toThrow(/not a Readwise export/);
  });
});

describe('JSON (our export)', () => {
  it('reads each entry on its own and reports the damaged ones', () => {
    const parsed = parseJsonExport(
      JSON.stringify({
        format: 'remindme',
        version: 1,
        reminders: [
          {
            text: 'Kept',
            visibility: 'public',
            favorite: true,
            createdAt: '2020-01-02T03:04:05.006Z',
            futureField: 1,
          },
          { text: 42 },
          { note: 'no text' },
        ],
      }),
    );
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]).toMatchObject({
      text: 'Kept',
      visibility: 'public',
      favorite: true,
      createdAt: '2020-01-02T03:04:05.006Z',
    });
    expect(parsed.errors.map((e) => [e.entry, e.reason])).toEqual([
      [2, 'Has no text.'],
      [3, 'Has no text.'],
    ]);
    expect(() => parseJsonExport('{"nope": true}')).toThrow(/not a RemindMe export/);
    expect(() => parseJsonExport('not json')).toThrow(/not valid JSON/);
  });
});
