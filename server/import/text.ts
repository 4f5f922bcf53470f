import type { ImportEntry, ImportIssue } from '../../shared/schemas/library';
import { AppError } from '../errors';

/** Where an entry came from in its file (1-based), for reports a person can act on. */
export type Position = { entry: number; line: number | null };

/** An exported image reference carried by our own JSON format. */
export type ImageRef = { id: string; url: string | null; sourceUrl: string | null };

export type ParsedEntry = ImportEntry & { at: Position; image?: ImageRef | null };

/** What a parser found: entries to import, and entries it left out (with reasons). */
export type Parsed = { entries: ParsedEntry[]; skipped: ImportIssue[]; errors: ImportIssue[] };

export const emptyParsed = (): Parsed => ({ entries: [], skipped: [], errors: [] });

/**
 * Files come from many tools: UTF-8 with or without a byte-order mark (Kindle writes one),
 * UTF-16 with one (Excel's "Unicode text"), or a legacy single-byte encoding. Anything that
 * is not valid UTF-8 is read as Windows-1252, the usual culprit, rather than refused. Line
 * endings become `\n`.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
    }
  }
  // eslint-disable-next-line no-control-regex -- NUL bytes and stray BOMs never belong in a saying
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000\uFEFF]/g, '');
}

/** Windows-1252 differs from Latin-1 (which Node's decoder gives for it) in 0x80–0x9F. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes)
    out += b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? '') : String.fromCharCode(b);
  return out;
}

/** The start of an entry on one line, for a report. */
export function excerpt(text: string | undefined, max = 80): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

export const issue = (at: Position, reason: string, text?: string): ImportIssue => ({
  entry: at.entry,
  line: at.line,
  reason,
  excerpt: excerpt(text),
});

/** The whole file cannot be read as the chosen format. */
export const unreadable = (message: string) => new AppError('invalid_import', message);

/** An optional text field: trimmed, and absent when empty. */
export function optional(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * An instant from a file: ISO 8601 or "2023-05-01 12:34:56" (+ offset). Without an offset
 * it is taken as UTC, never as the server's zone, so an import means the same everywhere.
 */
export function parseInstant(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v || !/^\d{4}-\d\d-\d\d/.test(v)) return undefined;
  const iso = v.replace(' ', 'T');
  const ms = Date.parse(/T\d/.test(iso) && !/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? `${iso}Z` : iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
