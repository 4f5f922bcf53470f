import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATIONS, type Database } from './client';

type Journal = { entries: { tag: string; when: number }[] };

/**
 * The migrations this build ships that the database has not applied, by tag. Drizzle records
 * each applied migration with its journal timestamp (`created_at`), so a database that is
 * one migration behind is told apart from one that is up to date, not just from an empty one.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const journal = JSON.parse(
    await readFile(join(MIGRATIONS, database.dialect, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  const applied = new Set((await appliedTimestamps(database)).map(Number));
  return journal.entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
}

async function appliedTimestamps(database: Database): Promise<unknown[]> {
  try {
    if (database.dialect === 'sqlite') {
      return database.raw.prepare('select created_at from __drizzle_migrations').pluck().all();
    }
    const [rows] = (await database.pool.query('select created_at from __drizzle_migrations')) as unknown as [
      { created_at: unknown }[],
    ];
    return rows.map((r) => r.created_at);
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

const isMissingTable = (error: unknown) =>
  /no such table|ER_NO_SUCH_TABLE/i.test(`${(error as { code?: string }).code} ${(error as Error).message}`);
