import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import { migrate, openDatabase, type Database } from '../../server/db/client';

export type Dialect = 'sqlite' | 'mysql';

/** The dialects this run can test: SQLite always, MySQL when a server was provided. */
export function dialects(): Dialect[] {
  return inject('mysqlServerUrl') ? ['sqlite', 'mysql'] : ['sqlite'];
}

/** A freshly migrated database of its own for one test file; `drop` removes it. */
export async function freshDatabase(
  dialect: Dialect,
): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'remindme-sqlite-'));
    const file = join(dir, 'test.sqlite');
    const database = openDatabase({ kind: 'sqlite', file });
    await migrate(database);
    return {
      database,
      url: file,
      drop: async () => {
        await database.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const server = inject('mysqlServerUrl');
  if (!server) throw new Error('no MySQL server for this run');
  const name = `remindme_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: server });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${server}/${name}`;
  const database = openDatabase({ kind: 'mysql', url, poolSize: 5 });
  await migrate(database);
  return {
    database,
    url,
    drop: async () => {
      await database.close();
      const conn = await mysql.createConnection({ uri: server });
      await conn.query(`DROP DATABASE IF EXISTS ${name}`);
      await conn.end();
    },
  };
}
