import { createHash } from 'node:crypto';
import { indexTerms, normalizeForDedupe, type TermMatch } from '../../shared/search';
import type { ReminderRow } from './repo';

/** The fields a search looks in, in one place for indexing and for checking candidates. */
export type Searchable = {
  text: string;
  note: string | null;
  author: string | null;
  sourceTitle: string | null;
};

export const searchFields = (row: Searchable) => [row.text, row.note, row.author, row.sourceTitle];

/** Same saying, same key: the normalised text and author (see `normalizeForDedupe`), hashed. */
export function dedupeKey(text: string, author: string | null | undefined): string {
  return createHash('sha256')
    .update(`${normalizeForDedupe(text)}\n${normalizeForDedupe(author)}`)
    .digest('hex')
    .slice(0, 32);
}

export type TermRow = { reminderId: string; userId: string; term: string; createdAt: Date };

export function termRows(row: Searchable & { id: string; userId: string; createdAt: Date }): TermRow[] {
  return [...indexTerms(searchFields(row))].map((term) => ({
    reminderId: row.id,
    userId: row.userId,
    term,
    createdAt: row.createdAt,
  }));
}

/** What an edit does to the index: terms to remove and rows to add. */
export function termChanges(
  before: Searchable & { id: string; userId: string; createdAt: Date },
  after: Searchable,
): { removed: string[]; added: TermRow[] } {
  const old = indexTerms(searchFields(before));
  const now = indexTerms(searchFields(after));
  return {
    removed: [...old].filter((t) => !now.has(t)),
    added: [...now]
      .filter((t) => !old.has(t))
      .map((term) => ({ reminderId: before.id, userId: before.userId, term, createdAt: before.createdAt })),
  };
}

/** Every term that starts with `prefix` sorts in [prefix, prefix + U+10FFFF) by code point. */
export const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * How a search reads the index (chosen in search.ts from how common each term is):
 * - walk: the rows of one or a few whole terms (a prefix expanded to the words it starts),
 *   each already in newest-first order, merged; stops as soon as a page is full;
 * - gather: every row of a rare prefix, sorted;
 * - scan: my reminders newest first, each checked against the index (only for very short,
 *   very common prefixes, whose matches are dense, so the scan stops early).
 * `others` must also be present in each result.
 */
export type SearchPlan =
  | { kind: 'walk'; terms: string[]; others: TermMatch[] }
  | { kind: 'gather'; prefix: string; others: TermMatch[] }
  | { kind: 'scan'; others: TermMatch[] };

/** Chunks for multi-row inserts, well under SQLite's 32,766 bound parameters per statement. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Index rows in primary-key order: inserting them sorted keeps B-tree writes local. */
export function byIndexOrder(a: TermRow, b: TermRow): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  if (a.term !== b.term) return a.term < b.term ? -1 : 1;
  return (
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.reminderId < b.reminderId ? -1 : a.reminderId > b.reminderId ? 1 : 0)
  );
}

/** Turns the index's (id, time) candidates and their fetched rows into a batch (see ReminderRepo). */
export function toBatch(
  query: { userId: string; limit: number; visibility?: string; favorite?: boolean },
  candidates: { id: string; at: Date }[],
  rows: ReminderRow[],
): { rows: ReminderRow[]; last: { createdAt: Date; id: string } | null; more: boolean } {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const seen = new Set<string>();
  const out: ReminderRow[] = [];
  for (const { id } of candidates) {
    const row = byId.get(id);
    if (!row || seen.has(id)) continue;
    seen.add(id);
    const fits =
      row.userId === query.userId &&
      !row.deletedAt &&
      (!query.visibility || row.visibility === query.visibility) &&
      (query.favorite === undefined || row.favorite === query.favorite);
    if (fits) out.push(row);
  }
  const last = candidates.at(-1);
  return {
    rows: out,
    last: last ? { createdAt: last.at, id: last.id } : null,
    more: candidates.length >= query.limit,
  };
}
