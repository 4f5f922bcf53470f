import { matchesSearch, parseSearchQuery, type TermMatch } from '../../shared/search';
import type { ListFilter, ReminderRepo, ReminderRow } from './repo';
import { searchFields, type SearchPlan } from './search-index';

/**
 * A term with fewer index rows than this is "rare": all of its rows can be read and sorted
 * cheaply. Counting stops here, so judging a term costs at most this many index reads.
 */
export const RARE_TERM_ROWS = 2_000;

/** Candidates are read in growing batches until a page is full. */
const MAX_BATCH = 1_000;

/**
 * Chooses how to read the index for these lookups, given how many rows each has (capped at
 * RARE_TERM_ROWS). Whatever the collection size, the work is bounded by the rarest term:
 * - a rare prefix is read whole and sorted (`gather`);
 * - otherwise the rarest whole term's rows are walked in newest-first order (`walk`),
 *   stopping once the page is full;
 * - only common prefixes: my reminders newest first, each checked (`scan`); every prefix
 *   being common, matches are dense and the scan stops early.
 */
export function choosePlan(lookups: { match: TermMatch; rows: number }[]): SearchPlan {
  const byRows = [...lookups].sort((a, b) => a.rows - b.rows);
  const exact = byRows.find((l) => !l.match.prefix);
  const prefix = byRows.find((l) => l.match.prefix);
  const rest = (used?: { match: TermMatch }) => byRows.filter((l) => l !== used).map((l) => l.match);
  if (prefix && prefix.rows < RARE_TERM_ROWS && (!exact || prefix.rows < exact.rows)) {
    return { kind: 'gather', prefix: prefix.match.term, others: rest(prefix) };
  }
  if (exact) return { kind: 'walk', term: exact.match.term, others: rest(exact) };
  return { kind: 'scan', others: rest() };
}

/**
 * Up to `filter.limit` of my live reminders matching `q`, newest first. The index finds
 * candidates; each is then checked exactly with the shared `matchesSearch`, so both dialects
 * answer the same. A query without letters or digits (only symbols, such as "%" or an emoji)
 * has no index terms and falls back to a LIKE substring match.
 */
export async function searchReminders(
  repo: ReminderRepo,
  filter: ListFilter & { q: string },
): Promise<ReminderRow[]> {
  const query = parseSearchQuery(filter.q);
  if (!query) return repo.list(filter);
  const rows = await Promise.all(
    query.lookups.map((match) => repo.countTerm(filter.userId, match, RARE_TERM_ROWS)),
  );
  if (rows.some((n) => n === 0)) return [];
  const plan = choosePlan(query.lookups.map((match, i) => ({ match, rows: rows[i] ?? 0 })));

  const found: ReminderRow[] = [];
  let after = filter.after;
  let batch = filter.limit;
  for (;;) {
    const candidates = await repo.searchCandidates({ ...filter, after, limit: batch, plan });
    for (const row of candidates) {
      if (!matchesSearch(searchFields(row), query)) continue;
      found.push(row);
      if (found.length >= filter.limit) return found;
    }
    const last = candidates.at(-1);
    if (candidates.length < batch || !last) return found;
    after = { createdAt: last.createdAt, id: last.id };
    batch = Math.min(batch * 2, MAX_BATCH);
  }
}
