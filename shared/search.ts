/**
 * What a search matches, defined once: the server indexes reminders with `indexTerms` and
 * checks candidates with `matchesSearch`; the extension can use the same functions to filter
 * its offline cache the way the server would.
 *
 * Text is compared after `normalizeForSearch` (compatibility forms folded, lower case, Latin
 * accents dropped), so "CAFÉ", "café" and "cafe" are the same word, and full-width "ＡＢＣ"
 * is "abc". Scripts written with spaces are split into words; scripts written without them
 * (Chinese, Japanese, Korean, Thai, …) are indexed as overlapping pairs of characters, the
 * way MySQL's ngram parser does, so any part of a sentence can be found.
 *
 * A query matches when every word in it is a word of the reminder (the last one may be the
 * beginning of a word, for search as you type) and every run of CJK-like text appears as it
 * is, in the text, note, author or source title.
 */

/** Longest indexed word, in code points; longer words are indexed by their beginning. */
export const SEARCH_TERM_MAX_CHARS = 32;

const LATIN_ACCENTS = /[\u0300-\u036f]/g;

export function normalizeForSearch(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .normalize('NFD')
    .replace(LATIN_ACCENTS, '')
    .normalize('NFC');
}

type Segment = { kind: 'word' | 'ngram'; text: string };

const NGRAM_CLASS =
  '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\u30fc]';
/** Runs of CJK-like characters, or of other letters, digits and marks (set subtraction: the `v` flag). */
const SEGMENT = new RegExp(`(${NGRAM_CLASS}+)|([[\\p{L}\\p{N}\\p{M}]--${NGRAM_CLASS}]+)`, 'gv');

/** Splits normalised text into words and runs of CJK-like characters; the rest separates. */
function segments(normalized: string): Segment[] {
  const out: Segment[] = [];
  for (const m of normalized.matchAll(SEGMENT)) out.push({ kind: m[1] ? 'ngram' : 'word', text: m[0] });
  return out;
}

const truncate = (word: string) => {
  const chars = Array.from(word);
  return chars.length > SEARCH_TERM_MAX_CHARS ? chars.slice(0, SEARCH_TERM_MAX_CHARS).join('') : word;
};

/**
 * Index terms of a run without spaces: every adjacent pair, plus the last character alone,
 * so that every character starts some term (a one-character query is a prefix search).
 */
function runTerms(run: string, into: Set<string>): void {
  const chars = Array.from(run);
  for (let i = 0; i + 1 < chars.length; i++) into.add(`${chars[i]}${chars[i + 1]}`);
  const last = chars.at(-1);
  if (last) into.add(last);
}

/** Every term a reminder is found by, over all of its searchable fields. */
export function indexTerms(fields: readonly (string | null | undefined)[]): Set<string> {
  const terms = new Set<string>();
  for (const field of fields) {
    if (!field) continue;
    for (const seg of segments(normalizeForSearch(field))) {
      if (seg.kind === 'word') terms.add(truncate(seg.text));
      else runTerms(seg.text, terms);
    }
  }
  return terms;
}

/** One lookup in the term index: the whole term, or every term that starts with it. */
export type TermMatch = { term: string; prefix: boolean };

export type SearchQuery = {
  /** What the index is asked for (a few terms are enough; `matchesSearch` checks the rest). */
  lookups: TermMatch[];
  /**
   * True when the lookups alone decide a match (every word fits a term, no CJK run longer
   * than a pair, none left out), so candidates need no further check.
   */
  exact: boolean;
  words: { word: string; prefix: boolean }[];
  runs: string[];
};

/** At most this many index lookups per query; a long CJK query is checked exactly afterwards. */
const MAX_LOOKUPS = 8;

/** The searchable parts of a query, or null when it has none (only punctuation or symbols). */
export function parseSearchQuery(q: string): SearchQuery | null {
  const segs = segments(normalizeForSearch(q));
  if (!segs.length) return null;
  const words: SearchQuery['words'] = [];
  const runs: string[] = [];
  const lookups = new Map<string, TermMatch>();
  const add = (term: string, prefix: boolean) => {
    const key = `${prefix ? 'p' : 'e'}:${term}`;
    if (!lookups.has(key)) lookups.set(key, { term, prefix });
  };
  segs.forEach((seg, i) => {
    if (seg.kind === 'word') {
      // The last word may still be being typed; a single letter is too short to extend.
      const prefix = i === segs.length - 1 && Array.from(seg.text).length >= 2;
      words.push({ word: seg.text, prefix });
      add(truncate(seg.text), prefix);
      return;
    }
    runs.push(seg.text);
    const chars = Array.from(seg.text);
    if (chars.length === 1) add(seg.text, true);
    else for (let j = 0; j + 1 < chars.length; j++) add(`${chars[j]}${chars[j + 1]}`, false);
  });
  const all = [...lookups.values()];
  const exact =
    all.length <= MAX_LOOKUPS &&
    runs.every((run) => Array.from(run).length <= 2) &&
    words.every(({ word }) => Array.from(word).length <= SEARCH_TERM_MAX_CHARS);
  return { lookups: all.length > MAX_LOOKUPS ? spread(all, MAX_LOOKUPS) : all, exact, words, runs };
}

function spread<T>(items: T[], n: number): T[] {
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

/** The exact test: does a reminder with these fields match the query? */
export function matchesSearch(fields: readonly (string | null | undefined)[], query: SearchQuery): boolean {
  const normalized = fields.flatMap((f) => (f ? [normalizeForSearch(f)] : []));
  const words = new Set<string>();
  for (const text of normalized)
    for (const seg of segments(text)) if (seg.kind === 'word') words.add(seg.text);
  for (const { word, prefix } of query.words) {
    if (prefix ? ![...words].some((w) => w.startsWith(word)) : !words.has(word)) return false;
  }
  return query.runs.every((run) => normalized.some((text) => text.includes(run)));
}

/**
 * The words of text already passed through `normalizeForSearch` (runs of CJK-like text are
 * not words), so a client that searches the same texts again and again (the extension's
 * offline copy) can split them once and test them exactly as `matchesSearch` does.
 */
export function searchWords(normalized: string): string[] {
  return segments(normalized).flatMap((seg) => (seg.kind === 'word' ? [seg.text] : []));
}

/** Case, width, spacing and typographic quotes do not make a saying different. */
export function normalizeForDedupe(value: string | null | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}
