import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { migrate, openDatabase, type Database } from '../../server/db/client';
import { createRepos } from '../../server/db/repos';
import type { NewReminder, ReminderRepo } from '../../server/reminders/repo';
import { searchReminders } from '../../server/reminders/search';
import { mariadbAvailable, startMariadb } from '../support/mariadb';
import { sayings } from './corpus';
import { fmt, median } from './measure';

/** Typical searches: common and rare words, two words, typing a prefix, Chinese of 1, 2 and 4 characters, no match. */
const QUERIES = ['love', 'the', 'wisdom', 'time money', 'pers', 'computer program', '人', '天下', '不亦乐乎', 'zyzzyva'];
const SMALL = 1_000;
const LARGE = 100_000;
const BUDGET = { ratio: 5, ms: 50 };

async function seed(repos: ReturnType<typeof createRepos>, database: Database, userId: string, count: number) {
  const now = Date.now();
  if (database.dialect === 'sqlite') {
    database.raw.prepare("insert into users (id, email, password_hash, change_seq, created_at) values (?, ?, 'x', 0, ?)").run(userId, `${userId}@bench`, now);
  } else {
    await database.pool.query("insert into users (id, email, password_hash, change_seq, created_at) values (?, ?, 'x', 0, now(3))", [userId, `${userId}@bench`]);
  }
  const { texts } = sayings();
  const rows: NewReminder[] = Array.from({ length: count }, (_, i) => {
    const s = texts[(i * 7919) % texts.length]!;
    return {
      id: randomUUID(),
      userId,
      text: s.text,
      note: null,
      author: s.author ?? null,
      sourceUrl: null,
      sourceTitle: null,
      visibility: i % 10 === 0 ? 'public' : 'private',
      favorite: i % 20 === 0,
      imageId: null,
      randKey: randomInt(2 ** 31),
      createdAt: new Date(now - i * 1000),
    };
  });
  for (let i = 0; i < rows.length; i += 5_000) await repos.reminders.insertMany(userId, rows.slice(i, i + 5_000));
}

const search = (repo: ReminderRepo, userId: string, q: string) => () => searchReminders(repo, { userId, q, limit: 51 });

async function run(label: string, database: Database): Promise<{ worstRatio: number; worstLargeMs: number }> {
  await migrate(database);
  const repos = createRepos(database);
  const small = randomUUID();
  const large = randomUUID();
  const t = performance.now();
  await seed(repos, database, small, SMALL);
  await seed(repos, database, large, LARGE);
  console.log(`${label}: seeded ${(SMALL + LARGE).toLocaleString('en')} reminders (with their search index) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  console.log(`${label}: query                 1,000        100,000      ratio   results@100k`);
  let worstRatio = 0;
  let worstLargeMs = 0;
  const runs = database.dialect === 'sqlite' ? 60 : 30;
  for (const q of QUERIES) {
    const base = await median(search(repos.reminders, small, q), runs, 5);
    const big = await median(search(repos.reminders, large, q), runs, 5);
    const hits = (await search(repos.reminders, large, q)()).length;
    const ratio = big / Math.max(base, 0.05);
    worstRatio = Math.max(worstRatio, ratio);
    worstLargeMs = Math.max(worstLargeMs, big);
    console.log(`${label}: ${JSON.stringify(q).padEnd(20)}  ${fmt(base).padStart(10)}  ${fmt(big).padStart(11)}  ${ratio.toFixed(2).padStart(6)}×  ${String(hits).padStart(4)}`);
  }
  console.log(`${label}: worst ratio ${worstRatio.toFixed(2)}× (budget < ${BUDGET.ratio}×), slowest at 100,000: ${fmt(worstLargeMs)}`);
  return { worstRatio, worstLargeMs };
}

/**
 * GET /api/reminders?q= at 100,000 reminders against the same searches at 1,000 (both users in
 * one database), through the same code the API uses. Budget on SQLite: under 5× and under
 * 50 ms at 100,000. Then the same on a throwaway MariaDB when it is installed.
 */
export async function benchSearch(): Promise<void> {
  if (!sayings().real) console.log('(fortunes not installed: using made-up sayings)');
  const dir = await mkdtemp(join(tmpdir(), 'remindme-bench-'));
  const sqlite = openDatabase({ kind: 'sqlite', file: join(dir, 'bench.sqlite') });
  try {
    const r = await run('sqlite', sqlite);
    const ok = r.worstRatio < BUDGET.ratio && r.worstLargeMs < BUDGET.ms;
    console.log(`sqlite: ${ok ? 'within budget' : 'OVER BUDGET'}`);
  } finally {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (process.env.BENCH_MARIADB === '0') return;
  if (!mariadbAvailable()) {
    console.log('mariadb: not installed (apt-get install -y mariadb-server), skipped');
    return;
  }
  const server = await startMariadb();
  try {
    const admin = await mysql.createConnection({ uri: server.url });
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const db = openDatabase({ kind: 'mysql', url: `${server.url}/bench`, poolSize: 4 });
    try {
      await run('mariadb', db);
    } finally {
      await db.close();
    }
  } finally {
    await server.stop();
  }
}
