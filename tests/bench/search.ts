import { benchDialects, withBenchApp, type BenchApp } from './bench-app';
import { sayings } from './corpus';
import { fmt, median } from './measure';

/** Typical searches: common and rare words, two words, typing a prefix, Chinese of 1, 2 and 4 characters, no match. */
const QUERIES = [
  'love',
  'the',
  'wisdom',
  'time money',
  'pers',
  'computer program',
  '人',
  '天下',
  '不亦乐乎',
  'zyzzyva',
];
const SMALL = 1_000;
const LARGE = 100_000;
const BUDGET = { ratio: 5, ms: 50 };

async function run(b: BenchApp): Promise<void> {
  const { texts } = sayings();
  const small = await b.signUp();
  const large = await b.signUp();
  const t = performance.now();
  await b.seed(small.userId, texts, SMALL);
  await b.seed(large.userId, texts, LARGE);
  console.log(
    `${b.label}: seeded ${(SMALL + LARGE).toLocaleString('en')} reminders with their search index in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const search = (token: string, q: string) => async () => {
    const res = await b.app.request(`/api/reminders?limit=50&q=${encodeURIComponent(q)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
    return ((await res.json()) as { items: unknown[] }).items.length;
  };
  console.log(`${b.label}: GET /api/reminders?q=…&limit=50   1,000      100,000    ratio  results`);
  let worstRatio = 0;
  let worstMs = 0;
  const runs = b.label === 'sqlite' ? 40 : 20;
  for (const q of QUERIES) {
    const base = await median(search(small.token, q), runs, 5);
    const big = await median(search(large.token, q), runs, 5);
    const hits = await search(large.token, q)();
    const ratio = big / base;
    worstRatio = Math.max(worstRatio, ratio);
    worstMs = Math.max(worstMs, big);
    console.log(
      `${b.label}:   ${JSON.stringify(q).padEnd(30)} ${fmt(base).padStart(9)}  ${fmt(big).padStart(9)}  ${ratio.toFixed(2).padStart(5)}×  ${String(hits).padStart(3)}`,
    );
  }
  const within = worstRatio < BUDGET.ratio && worstMs < BUDGET.ms;
  console.log(
    `${b.label}: worst ratio ${worstRatio.toFixed(2)}× (budget < ${BUDGET.ratio}×), slowest at 100,000 ${fmt(worstMs)} (budget < ${BUDGET.ms} ms on SQLite)` +
      (b.label === 'sqlite' ? ` → ${within ? 'within budget' : 'OVER BUDGET'}` : ''),
  );
}

/**
 * Search latency through the API at 100,000 reminders against the same searches at 1,000
 * (two accounts in one database, so the index holds both). Budget on SQLite: under 5× and
 * under 50 ms. Then the same on a throwaway MariaDB when it is installed.
 */
export async function benchSearch(): Promise<void> {
  if (!sayings().real) console.log('(fortunes not installed: using made-up sayings)');
  for (const kind of benchDialects()) await withBenchApp(kind, run);
}
