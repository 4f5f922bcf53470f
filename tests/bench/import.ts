import { benchDialects, withBenchApp, type BenchApp } from './bench-app';
import { sayings } from './corpus';

const ENTRIES = 10_000;
const BUDGET_S = 10;

/** A fortune file of `count` distinct real sayings (numbered when the collections run out). */
function fortuneFile(count: number): string {
  const { texts } = sayings();
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const s = texts[i % texts.length]!;
    const text = i < texts.length ? s.text : `${s.text} (${Math.floor(i / texts.length)})`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(s.author ? `${text}\n\t\t-- ${s.author}` : text);
  }
  return `${out.join('\n%\n')}\n`;
}

async function run(b: BenchApp): Promise<void> {
  const file = fortuneFile(ENTRIES);
  const { token } = await b.signUp();
  const post = async (extra = '') => {
    const started = performance.now();
    const res = await b.app.request(`/api/import?format=fortune${extra}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: file,
    });
    const report = (await res.json()) as { created: number; duplicates: number; total: number };
    return { seconds: (performance.now() - started) / 1000, report };
  };
  const dry = await post('&dryRun=true');
  const first = await post();
  const again = await post();
  const size = `${(Buffer.byteLength(file) / 1024 / 1024).toFixed(1)} MB`;
  console.log(`${b.label}: ${ENTRIES.toLocaleString('en')} fortunes (${size}) through POST /api/import`);
  console.log(
    `${b.label}:   dry run         ${dry.seconds.toFixed(2)} s  (would create ${dry.report.created})`,
  );
  console.log(
    `${b.label}:   import          ${first.seconds.toFixed(2)} s  (created ${first.report.created})` +
      (b.label === 'sqlite'
        ? `  → ${first.seconds < BUDGET_S ? 'within' : 'OVER'} the ${BUDGET_S} s budget`
        : ''),
  );
  console.log(
    `${b.label}:   same file again ${again.seconds.toFixed(2)} s  (created ${again.report.created}, ${again.report.duplicates} duplicates)`,
  );
}

/** Importing 10,000 entries, end to end (parse, check, de-duplicate, write with the search index). Budget: 10 s on SQLite. */
export async function benchImport(): Promise<void> {
  if (!sayings().real) console.log('(fortunes not installed: using made-up sayings)');
  for (const kind of benchDialects()) await withBenchApp(kind, run);
}
