import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { migrate, openDatabase, type Database } from '../../server/db/client';
import { createRepos, type Repos } from '../../server/db/repos';
import { createImageDeps } from '../../server/images/setup';
import { silentLogger } from '../../server/logger';
import type { NewReminder } from '../../server/reminders/repo';
import { mariadbAvailable, startMariadb } from '../support/mariadb';

export type BenchApp = {
  label: string;
  app: ReturnType<typeof createApp>;
  repos: Repos;
  database: Database;
  /** A new account; returns its token and id. */
  signUp(): Promise<{ token: string; userId: string }>;
  /** Adds `rows` reminders to the account, through the repository's bulk insert. */
  seed(userId: string, texts: { text: string; author?: string }[], count: number): Promise<void>;
};

/** The whole app (as the API serves it) on a fresh database of the given kind. */
export async function withBenchApp(
  kind: 'sqlite' | 'mysql',
  run: (b: BenchApp) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'remindme-bench-'));
  let stopServer: () => Promise<void> = async () => undefined;
  let database: Database;
  if (kind === 'sqlite') database = openDatabase({ kind: 'sqlite', file: join(dir, 'bench.sqlite') });
  else {
    // A production-like buffer pool (the test suite's 64 MB would measure the disk instead).
    const server = await startMariadb({ bufferPool: '1G' });
    stopServer = () => server.stop();
    const admin = await mysql.createConnection({ uri: server.url });
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    database = openDatabase({ kind: 'mysql', url: `${server.url}/bench`, poolSize: 4 });
  }
  const images = await createImageDeps(loadConfig({ DATA_DIR: dir }));
  try {
    await migrate(database);
    const repos = createRepos(database);
    const app = createApp({ database, repos, logger: silentLogger, clock: () => new Date(), images });
    let n = 0;
    await run({
      label: kind === 'sqlite' ? 'sqlite' : 'mariadb',
      app,
      repos,
      database,
      async signUp() {
        const res = await app.request('/api/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `bench${n++}@example.org`, password: 'correct horse battery' }),
        });
        const body = (await res.json()) as { token: string; user: { id: string } };
        return { token: body.token, userId: body.user.id };
      },
      async seed(userId, texts, count) {
        const now = Date.now();
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
            createdAt: new Date(now - i * 1000),
          };
        });
        for (let i = 0; i < rows.length; i += 5_000)
          await repos.reminders.insertMany(userId, rows.slice(i, i + 5_000));
      },
    });
  } finally {
    await images.processor.close();
    await database.close();
    await stopServer();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Dialects to benchmark: SQLite, and MariaDB when installed. BENCH_DIALECTS=sqlite (or
 * =mysql) limits a run to one of them.
 */
export function benchDialects(): ('sqlite' | 'mysql')[] {
  const wanted = (process.env.BENCH_DIALECTS ?? 'sqlite,mysql').split(',');
  const out = (['sqlite', 'mysql'] as const).filter((d) => wanted.includes(d));
  if (out.includes('mysql') && !mariadbAvailable()) {
    console.log('mariadb: not installed (apt-get install -y mariadb-server), skipped');
    return out.filter((d) => d !== 'mysql');
  }
  return out;
}
