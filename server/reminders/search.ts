import { matchesSearch, parseSearchQuery, type TermMatch } from '../../shared/search';
import type { ListFilter, ReminderRepo, ReminderRow } from './repo';
import { searchFields, type SearchPlan } from './search-index';

/**
 * A term with fewer index rows than this is "rare": all of its rows can be read and sorted
 * cheaply. Counting stops here, so judging a term costs at most this many index reads.
 */
export const RARE_TERM_ROWS = 2_000;

/** A prefix is walked as the words it starts (love, loved, lovely…), up to this many. */
export const MAX_PREFIX_WORDS = 32;

/** Candidates are read in growing batches until a page is full. */
const MAX_BATCH = 1_000;

type Lookup = { match: TermMatch; rows: number };
export type PlanStep = SearchPlan | { kind: 'expand'; prefix: string };

/** Below this many rows a prefix is simply gathered and sorted; above, walked word by word. */
export const SMALL_PREFIX_ROWS = 200;

/**
 * Chooses how to read the index, given how many rows each lookup has (capped at
 * RARE_TERM_ROWS). The rarest lookup drives and the others are checked per candidate:
 * - a whole term is walked in newest-first order, stopping when the page is full;
 * - a prefix with few rows is gathered and sorted; with more, it is expanded into the words
 *   it starts (`expand`, then call again with `expanded`) and those are walked together;
 * - a prefix starting more than MAX_PREFIX_WORDS words (one or two letters) is gathered if
 *   still rare, or else my reminders are scanned newest first: matches are dense then, so
 *   the scan stops early.
 * A whole term is preferred over an equally common prefix. However large the collection,
 * the work is bounded by the page size and the rarest lookup, not by the collection.
 */
export function choosePlan(lookups: Lookup[], expanded?: { prefix: string; terms: string[] }): PlanStep {
  const byRows = [...lookups].sort(
    (a, b) => a.rows - b.rows || Number(a.match.prefix) - Number(b.match.prefix),
  );
  const driver = byRows[0];
  if (!driver) return { kind: 'scan', others: [] };
  const others = byRows.slice(1).map((l) => l.match);
  const { term, prefix } = driver.match;
  if (!prefix) return { kind: 'walk', terms: [term], others };
  if (driver.rows < SMALL_PREFIX_ROWS) return { kind: 'gather', prefix: term, others };
  if (expanded?.prefix !== term) return { kind: 'expand', prefix: term };
  if (expanded.terms.length <= MAX_PREFIX_WORDS) return { kind: 'walk', terms: expanded.terms, others };
  if (driver.rows < RARE_TERM_ROWS) return { kind: 'gather', prefix: term, others };
  return { kind: 'scan', others: lookups.map((l) => l.match) };
}

/**
 * Up to `filter.limit` of my live reminders matching `q`, newest first. The index finds
 * candidates; where it cannot decide alone (a Chinese phrase longer than two characters,
 * where pairs could be present but apart), each is checked with the shared `matchesSearch`. A query without letters or digits (only symbols, such as "%" or an emoji)
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
  const lookups = query.lookups.map((match, i) => ({ match, rows: rows[i] ?? 0 }));
  let step = choosePlan(lookups);
  if (step.kind === 'expand') {
    const terms = await repo.expandPrefix(filter.userId, step.prefix, MAX_PREFIX_WORDS + 1);
    step = choosePlan(lookups, { prefix: step.prefix, terms });
  }
  const plan = step.kind === 'expand' ? ({ kind: 'scan', others: query.lookups } as const) : step;

  const found: ReminderRow[] = [];
  let after = filter.after;
  let batch = filter.limit;
  for (;;) {
    const {
      rows: candidates,
      last,
      more,
    } = await repo.searchCandidates({ ...filter, after, limit: batch, plan });
    for (const row of candidates) {
      if (!query.exact && !matchesSearch(searchFields(row), query)) continue;
      found.push(row);
      if (found.length >= filter.limit) return found;
    }
    if (!more || !last) return found;
    after = last;
    batch = Math.min(batch * 2, MAX_BATCH);
  }
}
