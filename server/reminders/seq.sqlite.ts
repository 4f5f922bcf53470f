import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminders as r, users } from '../db/schema.sqlite';
import type { ListPosition } from './repo';

export type SqliteTx = Parameters<Parameters<SqliteDb['transaction']>[0]>[0];

/** Adds `count` to the user's sequence and returns the new value (the last of the range). */
export function bumpSeq(tx: SqliteTx, userId: string, count = 1): number {
  const row = tx
    .update(users)
    .set({ changeSeq: sql`${users.changeSeq} + ${count}` })
    .where(eq(users.id, userId))
    .returning({ changeSeq: users.changeSeq })
    .get();
  if (!row) throw new Error('bumpSeq: user does not exist');
  return row.changeSeq;
}

export function olderThan(after: ListPosition): SQL | undefined {
  return or(lt(r.createdAt, after.createdAt), and(eq(r.createdAt, after.createdAt), lt(r.id, after.id)));
}
