import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../server/db/client';
import { createRepos } from '../../server/db/repos';
import { fmt, median } from './measure';

/**
 * GET /api/reminders/random must not degrade with collection size (no ORDER BY RAND()).
 * Baseline: the same pick for a user with 1,000 reminders, in the same database, which also
 * holds a user with 1,000,000.
 */
export async function benchRandomPick(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'remindme-bench-'));
  const database = openDatabase({ kind: 'sqlite', file: join(dir, 'bench.sqlite') });
  if (database.dialect !== 'sqlite') throw new Error('unreachable');
  await migrate(database);
  const repos = createRepos(database);
  const now = new Date();
  const seed = (userId: string, count: number) => {
    database.raw
      .prepare('insert into users (id, email, password_hash, change_seq, created_at) values (?, ?, ?, 0, ?)')
      .run(userId, `${userId}@bench`, 'x', now.getTime());
    const insert = database.raw.prepare(
      `insert into reminders (id, user_id, text, visibility, favorite, version, pick_slot, shown_count, change_seq, created_at, updated_at)
       values (?, ?, ?, 'private', 0, 1, ?, 0, ?, ?, ?)`,
    );
    database.raw.transaction(() => {
      for (let i = 0; i < count; i++)
        insert.run(
          randomUUID(),
          userId,
          `Saying number ${i}`,
          i + 1,
          i + 1,
          now.getTime() - i,
          now.getTime(),
        );
    })();
  };
  const small = randomUUID();
  const large = randomUUID();
  const t = performance.now();
  seed(small, 1_000);
  seed(large, 1_000_000);
  console.log(`seeded 1,001,000 reminders in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const pick = (userId: string) => () => repos.reminders.pickRandom(userId, (n) => randomInt(1, n + 1), now);
  const base = await median(pick(small), 2000);
  const big = await median(pick(large), 2000);
  console.log(`random pick, 1,000 reminders (baseline): ${fmt(base)}`);
  console.log(
    `random pick, 1,000,000 reminders:        ${fmt(big)}  → ${(big / base).toFixed(2)}× the baseline`,
  );
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
