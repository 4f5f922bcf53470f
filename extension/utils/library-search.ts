import { normalizeForSearch, parseSearchQuery, searchWords, type SearchQuery } from '../../shared/search';

/**
 * Search of the offline copy, answering the way the server does (shared/search.ts): every
 * word of the query is a word of the reminder (the last one may be its beginning, for
 * search as you type) and every run of Chinese or Japanese text appears as it is — a
 * substring, since those scripts have no spaces. Texts are normalised and split once per
 * version of a reminder, not per keystroke: 10,000 reminders are searched in milliseconds.
 */

/** The searchable fields, as the server indexes them: text, note, author, source title. */
export type SearchSource = readonly [string, string | null, string | null, string | null];

export interface Searchable {
  source: SearchSource;
  /** Normalised fields, each on its own (a run must not match across two fields). */
  fields: string[];
  words: Set<string>;
  /** The same words as a list, for prefix tests. */
  wordList: string[];
}

export function prepare(source: SearchSource): Searchable {
  const fields = source.flatMap((f) => (f ? [normalizeForSearch(f)] : []));
  const words = new Set(fields.flatMap(searchWords));
  return { source, fields, words, wordList: [...words] };
}

const sameSource = (a: SearchSource, b: SearchSource) =>
  a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/** Keeps prepared texts by reminder id, reusing them while the texts are unchanged. */
export class SearchCache {
  private byId = new Map<string, Searchable>();

  get(id: string, source: SearchSource): Searchable {
    const known = this.byId.get(id);
    if (known && sameSource(known.source, source)) return known;
    const fresh = prepare(source);
    this.byId.set(id, fresh);
    return fresh;
  }

  /** Forgets reminders that are gone, so the cache does not outgrow the collection. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.byId.keys()) if (!ids.has(id)) this.byId.delete(id);
  }
}

/** A query without letters or digits (only symbols): matched as a plain substring. */
export type LocalQuery = { kind: 'terms'; query: SearchQuery } | { kind: 'substring'; needle: string };

export function parseLocalQuery(q: string): LocalQuery | null {
  const trimmed = q.trim();
  if (!trimmed) return null;
  const query = parseSearchQuery(trimmed);
  return query ? { kind: 'terms', query } : { kind: 'substring', needle: trimmed.toLowerCase() };
}

export function matches(item: Searchable, local: LocalQuery): boolean {
  if (local.kind === 'substring') {
    return item.source.some((f) => !!f && f.toLowerCase().includes(local.needle));
  }
  const { words, runs } = local.query;
  for (const { word, prefix } of words) {
    if (prefix ? !item.wordList.some((w) => w.startsWith(word)) : !item.words.has(word)) return false;
  }
  return runs.every((run) => item.fields.some((text) => text.includes(run)));
}
