import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzleMysql, type MySql2Database } from 'drizzle-orm/mysql2';
import { migrate as migrateMysql } from 'drizzle-orm/mysql2/migrator';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import type { Config } from '../config';
import { withDeadlines } from './mysql-deadlines';
import * as sqliteSchema from './schema.sqlite';
import * as mysqlSchema from './schema.mysql';

export type SqliteDb = BetterSQLite3Database<typeof sqliteSchema> & { $client: Sqlite.Database };
export type MysqlDb = MySql2Database<typeof mysqlSchema>;

export type Database =
  | { dialect: 'sqlite'; db: SqliteDb; raw: Sqlite.Database; close(): Promise<void> }
  | { dialect: 'mysql'; db: MysqlDb; pool: mysql.Pool; close(): Promise<void> };

export const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * MySQL text is utf8mb4 end to end: the connection, the database default (so every table a
 * migration creates inherits it) and a collation that tells emoji apart (utf8mb4's older
 * `unicode_ci` treats all supplementary characters as equal).
 */
const MYSQL_CHARSET = 'utf8mb4';
const MYSQL_COLLATION = 'utf8mb4_unicode_520_ci';

/** Longest wait for one statement, and for a free connection (see mysql-deadlines.ts). */
const MYSQL_DEADLINES = { queryMs: 5_000, acquireMs: 3_000 };

export function openDatabase(config: Config['database']): Database {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    const raw = new Sqlite(config.file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    // 32 MB of page cache (the default is 2 MB): the search index is read and written at random.
    raw.pragma('cache_size = -32000');
    return {
      dialect: 'sqlite',
      db: drizzleSqlite(raw, { schema: sqliteSchema }),
      raw,
      close: async () => {
        raw.close();
      },
    };
  }
  const pool = mysql.createPool({
    uri: config.url,
    connectionLimit: config.poolSize,
    // A full pool queues briefly; an unreachable server fails in seconds, not minutes.
    queueLimit: config.poolSize * 20,
    connectTimeout: 3_000,
    enableKeepAlive: true,
    charset: MYSQL_COLLATION.toUpperCase(),
    timezone: 'Z',
  });
  return {
    dialect: 'mysql',
    db: drizzleMysql(withDeadlines(pool, MYSQL_DEADLINES), { schema: mysqlSchema, mode: 'default' }),
    pool,
    close: () => pool.end(),
  };
}

export async function migrate(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    migrateSqlite(database.db, { migrationsFolder: join(MIGRATIONS, 'sqlite') });
    return;
  }
  await database.db.execute(
    sql.raw(`ALTER DATABASE CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`),
  );
  // Migrations may rebuild large tables: they run without the per-statement deadline.
  await migrateMysql(drizzleMysql(database.pool, { schema: mysqlSchema, mode: 'default' }), {
    migrationsFolder: join(MIGRATIONS, 'mysql'),
  });
}

/** Cheap round trip used by readiness checks. */
export async function ping(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') database.raw.prepare('select 1').get();
  else await database.pool.query('select 1');
}
