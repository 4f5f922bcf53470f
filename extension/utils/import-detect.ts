import type { ImportFormat } from '../../shared/schemas/library';

/**
 * Guesses an import file's format from its name and its first few kilobytes, so the person
 * does not have to know what "fortune" or "Readwise" means; the options page lets them
 * override the guess. Content wins over the name: a Kindle file is often renamed `.txt`.
 */

/** How much of the file is read to guess: headers and the first entries are enough. */
export const SAMPLE_BYTES = 16 * 1024;

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  fortune: 'Fortune file (sayings separated by %)',
  csv: 'CSV (quote and author columns)',
  kindle: 'Kindle “My Clippings.txt”',
  readwise: 'Readwise CSV export',
  json: 'RemindMe JSON export',
};

const KINDLE_SEPARATOR = /^==========\s*$/m;
const KINDLE_META = /^- .*\|/m;
const FORTUNE_SEPARATOR = /^%\s*$/m;

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).toLowerCase().replace(/[\s_"']/g, '');
}

export function detectFormat(name: string, sample: string): ImportFormat | null {
  const text = sample.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const head = text.trimStart();
  if (ext === 'json' || head.startsWith('{') || head.startsWith('[')) return 'json';
  if (KINDLE_SEPARATOR.test(text) && KINDLE_META.test(text)) return 'kindle';
  const header = firstLine(head);
  if (header.includes('highlight') && header.includes('booktitle')) return 'readwise';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (FORTUNE_SEPARATOR.test(text)) return 'fortune';
  // Debian's fortune files have no extension; a single saying has no separator either.
  if (ext === '' || ext === 'u8') return 'fortune';
  if (ext === 'txt') return KINDLE_SEPARATOR.test(text) ? 'kindle' : 'fortune';
  return null;
}
