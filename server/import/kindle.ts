import { normalizeForDedupe } from '../../shared/search';
import { emptyParsed, issue, type Parsed, type ParsedEntry, type Position } from './text';

/**
 * Kindle's `My Clippings.txt`: clippings separated by a line of `=`, each
 *
 *     Title (Author)
 *     - Your Highlight on page 12 | Location 180-182 | Added on Sunday, 12 March 2023 20:41:07
 *
 *     The highlighted text
 *
 * The file only ever grows, so it is full of things a person would not keep: bookmarks (no
 * text), empty highlights, the "clipping limit" notice, and every earlier version of a
 * highlight that was later extended (the shorter one is dropped when a longer highlight of
 * the same book covers it). A note is attached to the highlight it was written on; a note
 * on its own is kept as a reminder of its own. Kindles in other languages write the same
 * structure with translated words; the common ones are recognised.
 */
type Kind = 'highlight' | 'note' | 'bookmark';

const KINDS: [Kind, RegExp][] = [
  ['bookmark', /bookmark|lesezeichen|signet|marcador|segnalibro|bladwijzer|закладк|ブックマーク|书签/i],
  ['note', /\bnote\b|notiz|\bnota\b|notitie|заметк|メモ|笔记/i],
  [
    'highlight',
    /highlight|markierung|surlignement|subrayado|evidenziazione|destaque|markering|выделени|ハイライト|标注/i,
  ],
];
const LOCATION =
  /(?:location|loc\.|position|posición|posizione|emplacement|positie|позиция|位置)\s*(?:no\.\s*|#)?(\d+)(?:\s*-\s*(\d+))?/i;
const PAGE = /(?:page|seite|página|pagina|страниц[аы])\s*(\d+)/i;
const CLIPPING_LIMIT = /^<?\s*you have reached the clipping limit/i;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Clipping = {
  at: Position;
  title: string;
  author?: string;
  kind: Kind;
  from?: number;
  to?: number;
  page?: number;
  addedAt?: string;
  text: string;
};

/** "Added on Sunday, 12 March 2023 20:41:07" or "…, March 12, 2023 8:41:07 PM", read as UTC. */
export function parseAddedOn(meta: string): string | undefined {
  const m =
    /(\d{1,2})\s+([a-z]+)\s+(\d{4})\s+(\d{1,2}):(\d\d)(?::(\d\d))?\s*(am|pm)?/i.exec(meta) ??
    /([a-z]+)\s+(\d{1,2}),\s+(\d{4})\s+(\d{1,2}):(\d\d)(?::(\d\d))?\s*(am|pm)?/i.exec(meta);
  if (!m) return undefined;
  const dayFirst = /^\d/.test(m[1] ?? '');
  const day = Number(dayFirst ? m[1] : m[2]);
  const month = MONTHS.indexOf((dayFirst ? m[2] : m[1])?.toLowerCase() ?? '');
  if (month < 0) return undefined;
  let hour = Number(m[4]);
  const half = m[7]?.toLowerCase();
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  const ms = Date.UTC(Number(m[3]), month, day, hour, Number(m[5]), Number(m[6] ?? 0));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** "Title (Last, First)" → title and "First Last"; Kindle writes "(Unknown)" when it has none. */
export function parseTitleLine(line: string): { title: string; author?: string } {
  const m = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(line.trim());
  if (!m?.[1] || m[2] === undefined) return { title: line.trim() };
  const raw = m[2].trim();
  if (!raw || /^unknown$/i.test(raw)) return { title: m[1] };
  const author = raw
    .split(/\s*;\s*/)
    .map((name) => {
      const parts = /^([^,]+),\s*([^,]+)$/.exec(name);
      return parts?.[1] && parts[2] ? `${parts[2]} ${parts[1]}` : name;
    })
    .join(', ');
  return { title: m[1], author };
}

function readClipping(block: string[], at: Position): Clipping | null {
  const lines = [...block];
  while (lines.length && !lines[0]?.trim()) {
    lines.shift();
    if (at.line !== null) at.line += 1;
  }
  const [titleLine, meta, ...rest] = lines;
  if (!titleLine || !meta) return null;
  const kind = KINDS.find(([, re]) => re.test(meta))?.[0] ?? 'highlight';
  const loc = LOCATION.exec(meta);
  const page = PAGE.exec(meta);
  return {
    at,
    ...parseTitleLine(titleLine),
    kind,
    from: loc?.[1] ? Number(loc[1]) : undefined,
    to: loc?.[2] ? Number(loc[2]) : loc?.[1] ? Number(loc[1]) : undefined,
    page: page?.[1] ? Number(page[1]) : undefined,
    addedAt: parseAddedOn(meta),
    text: rest.join('\n').trim(),
  };
}

const sameSpot = (a: Clipping, b: Clipping) =>
  a.from !== undefined && b.from !== undefined && a.to !== undefined && b.to !== undefined
    ? a.from <= b.to + 1 && b.from <= a.to + 1
    : a.page !== undefined && a.page === b.page;

const where = (c: Clipping) =>
  c.from !== undefined
    ? `Location ${c.from}${c.to !== c.from ? `–${c.to}` : ''}`
    : c.page !== undefined
      ? `page ${c.page}`
      : 'the same place';

export function parseKindle(text: string): Parsed {
  const out = emptyParsed();
  const clippings: Clipping[] = [];
  let block: string[] = [];
  let startLine = 1;
  let lineNo = 0;
  const flush = () => {
    const c = readClipping(block, { entry: clippings.length + 1, line: startLine });
    if (c) clippings.push(c);
    block = [];
  };
  for (const line of text.split('\n')) {
    lineNo++;
    if (/^={5,}\s*$/.test(line)) {
      flush();
      startLine = lineNo + 1;
    } else block.push(line);
  }
  if (block.some((l) => l.trim())) flush();

  type Kept = { clip: Clipping; entry: ParsedEntry; norm: string };
  const byBook = new Map<string, Kept[]>();
  for (const clip of clippings) {
    if (clip.kind === 'bookmark') {
      out.skipped.push(issue(clip.at, `A bookmark (${where(clip)}), not a highlight.`, clip.title));
      continue;
    }
    if (!clip.text) {
      out.skipped.push(issue(clip.at, `An empty ${clip.kind} (${where(clip)}).`, clip.title));
      continue;
    }
    if (CLIPPING_LIMIT.test(clip.text)) {
      out.skipped.push(
        issue(clip.at, "The Kindle's clipping-limit notice, not the book's text.", clip.title),
      );
      continue;
    }
    const book = byBook.get(clip.title) ?? [];
    byBook.set(clip.title, book);
    const nearby = book.filter((k) => k.clip.kind === 'highlight' && sameSpot(k.clip, clip));
    if (clip.kind === 'note') {
      const target = nearby.at(-1);
      if (target) {
        target.entry.note = target.entry.note ? `${target.entry.note}\n\n${clip.text}` : clip.text;
        continue;
      }
      // A note on its own is the reader's own words: no author, the book as its source.
      book.push({
        clip,
        norm: '',
        entry: { at: clip.at, text: clip.text, sourceTitle: clip.title, createdAt: clip.addedAt },
      });
      continue;
    }
    const norm = normalizeForDedupe(clip.text);
    const covering = nearby.find((k) => k.norm !== norm && k.norm.includes(norm));
    if (covering) {
      out.skipped.push(
        issue(
          clip.at,
          `Part of a longer highlight of the same passage (${where(covering.clip)}).`,
          clip.text,
        ),
      );
      continue;
    }
    for (const old of nearby.filter((k) => k.norm !== norm && norm.includes(k.norm))) {
      book.splice(book.indexOf(old), 1);
      out.skipped.push(
        issue(old.clip.at, `An earlier, shorter version of the highlight at ${where(clip)}.`, old.entry.text),
      );
    }
    const entry: ParsedEntry = {
      at: clip.at,
      text: clip.text,
      author: clip.author,
      sourceTitle: clip.title,
      createdAt: clip.addedAt,
    };
    book.push({ clip, entry, norm });
  }
  const kept = [...byBook.values()].flat();
  out.entries = kept.map((k) => k.entry).sort((a, b) => a.at.entry - b.at.entry);
  out.skipped.sort((a, b) => a.entry - b.entry);
  return out;
}
