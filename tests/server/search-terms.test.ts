import { describe, expect, it } from 'vitest';
import { choosePlan, MAX_PREFIX_WORDS, RARE_TERM_ROWS } from '../../server/reminders/search';
import {
  indexTerms,
  matchesSearch,
  normalizeForDedupe,
  normalizeForSearch,
  parseSearchQuery,
} from '../../shared/search';

const matches = (fields: (string | null)[], q: string) => {
  const query = parseSearchQuery(q);
  if (!query) throw new Error(`no terms in ${q}`);
  return matchesSearch(fields, query);
};

describe('search terms (shared/search.ts)', () => {
  it('folds case, width and Latin accents, and keeps other scripts intact', () => {
    expect(normalizeForSearch('CAFÉ Ｔｏｋｙｏ İstanbul ΟΔΟΣ')).toBe('cafe tokyo istanbul οδοσ');
    expect(normalizeForSearch('Привет, мир')).toBe('привет, мир');
  });

  it('indexes words of spaced scripts and overlapping pairs of CJK runs', () => {
    expect([...indexTerms(['Persistence is key.', null, 'Mark Twain'])].sort()).toEqual([
      'is',
      'key',
      'mark',
      'persistence',
      'twain',
    ]);
    expect([...indexTerms(['天下无难事'])].sort()).toEqual(['下无', '事', '天下', '无难', '难事'].sort());
    expect([...indexTerms(['猫が好き'])]).toEqual(['猫が', 'が好', '好き', 'き']);
    expect([...indexTerms(['한국어 문장'])]).toContain('한국');
  });

  it('matches whole words, the last one as a prefix of two letters or more', () => {
    expect(matches(['The persistence of memory'], 'persist')).toBe(true);
    expect(matches(['The persistence of memory'], 'persist memory')).toBe(false);
    expect(matches(['The persistence of memory'], 'memory persist')).toBe(true);
    expect(matches(['I am here'], 'i')).toBe(true);
    expect(matches(['In a garden'], 'i')).toBe(false);
    expect(matches(['Café au lait', null, 'Marcel'], 'cafe marcel')).toBe(true);
    expect(matches(['Don’t panic'], 'DON T')).toBe(true);
  });

  it('finds any part of Chinese and Japanese text, one character or many', () => {
    const zh = ['天下无难事，只怕有心人。'];
    for (const q of ['难', '难事', '天下无难事', '有心人', '只怕']) expect(matches(zh, q), q).toBe(true);
    expect(matches(zh, '无事')).toBe(false);
    expect(matches(zh, '天下事')).toBe(false);
    expect(matches(['七転び八起き'], '八起')).toBe(true);
    expect(matches(['Tokyo 東京タワー is tall'], '京タ tall')).toBe(true);
  });

  it('has no terms for a query of symbols only (the LIKE fallback takes it)', () => {
    expect(parseSearchQuery('%')).toBeNull();
    expect(parseSearchQuery('  ✨ ')).toBeNull();
    expect(parseSearchQuery('50%')?.lookups).toEqual([{ term: '50', prefix: true }]);
    expect(parseSearchQuery('50%')?.exact).toBe(true);
    expect(parseSearchQuery('天下无难')?.exact).toBe(false);
  });

  it('asks the index for at most 8 lookups of a long CJK query, and checks the rest exactly', () => {
    const q = parseSearchQuery('学而时习之不亦说乎有朋自远方来不亦乐乎');
    expect(q?.lookups.length).toBe(8);
    expect(matches(['子曰：学而时习之，不亦说乎？'], '学而时习之')).toBe(true);
  });

  it('recognises the same saying across case, spacing and typographic quotes', () => {
    expect(normalizeForDedupe('  “Don’t  PANIC” ')).toBe(normalizeForDedupe('"don\'t panic"'));
    expect(normalizeForDedupe('Ｗａｉｔ and hope')).toBe('wait and hope');
  });
});

describe('search plan', () => {
  const exact = (term: string, rows: number) => ({ match: { term, prefix: false }, rows });
  const prefix = (term: string, rows: number) => ({ match: { term, prefix: true }, rows });

  it('walks the rarest whole term and checks the others', () => {
    expect(choosePlan([exact('love', 900), exact('war', 40), prefix('pea', RARE_TERM_ROWS)])).toEqual({
      kind: 'walk',
      terms: ['war'],
      others: [
        { term: 'love', prefix: false },
        { term: 'pea', prefix: true },
      ],
    });
    expect(choosePlan([prefix('lov', RARE_TERM_ROWS), exact('the', RARE_TERM_ROWS)])).toMatchObject({
      kind: 'walk',
      terms: ['the'],
    });
  });

  it('gathers a prefix with few rows', () => {
    expect(choosePlan([exact('the', RARE_TERM_ROWS), prefix('zeb', 3)])).toEqual({
      kind: 'gather',
      prefix: 'zeb',
      others: [{ term: 'the', prefix: false }],
    });
  });

  it('expands a prefix with many rows into its words and walks them', () => {
    const lookups = [prefix('mon', 900), exact('time', RARE_TERM_ROWS)];
    expect(choosePlan(lookups)).toEqual({ kind: 'expand', prefix: 'mon' });
    expect(choosePlan(lookups, { prefix: 'mon', terms: ['money', 'monk'] })).toEqual({
      kind: 'walk',
      terms: ['money', 'monk'],
      others: [{ term: 'time', prefix: false }],
    });
  });

  it('gathers or scans when a prefix starts too many words', () => {
    const many = { prefix: 'a', terms: Array.from({ length: MAX_PREFIX_WORDS + 1 }, (_, i) => `a${i}`) };
    expect(choosePlan([prefix('a', 900)], many).kind).toBe('gather');
    expect(choosePlan([prefix('a', RARE_TERM_ROWS)], many)).toEqual({
      kind: 'scan',
      others: [{ term: 'a', prefix: true }],
    });
  });
});
