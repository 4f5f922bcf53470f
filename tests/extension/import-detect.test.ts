import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectFormat, SAMPLE_BYTES } from '../../extension/utils/import-detect';
import { fortuneFile } from '../support/fortunes';

const sample = async (path: string) => (await readFile(path)).subarray(0, SAMPLE_BYTES).toString('utf8');
const fixture = (name: string) => `tests/fixtures/import/${name}`;

describe('guessing an import file’s format', () => {
  it.each([
    ['My Clippings.txt', 'kindle'],
    ['readwise.csv', 'readwise'],
    ['author-quote.csv', 'csv'],
    ['quote-author.csv', 'csv'],
  ])('reads %s as %s', async (name, format) => {
    expect(detectFormat(name, await sample(fixture(name)))).toBe(format);
  });

  it.runIf(fortuneFile('wisdom'))('reads Debian’s fortune files (no extension) as fortune', async () => {
    expect(detectFormat('wisdom', await sample(fortuneFile('wisdom') ?? ''))).toBe('fortune');
  });

  it('goes by content before the name, and gives up on what it cannot tell', async () => {
    expect(detectFormat('clippings-renamed.csv', await sample(fixture('My Clippings.txt')))).toBe('kindle');
    expect(detectFormat('export.txt', '\uFEFF{"format":"remindme","version":1,"reminders":[]}')).toBe('json');
    expect(detectFormat('backup', '[{"text":"a"}]')).toBe('json');
    expect(detectFormat('notes.txt', 'One saying\n%\nAnother\n')).toBe('fortune');
    expect(detectFormat('photo.png', '\u0089PNG')).toBeNull();
  });
});
