import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { reminders as r, users } from '../db/schema.mysql';
import type { ListPosition } from './repo';

export type MysqlTx = Parameters<Parameters<MysqlDb['transaction']>[0]>[0];

/**
 * Adds `count` to the user's sequence and returns the new value (the last of the range).
 * The update locks the user's row until commit, which orders this user's writes by sequence.
 */
export async function bumpSeq(tx: MysqlTx, userId: string, count = 1): Promise<number> {
  await tx
    .update(users)
    .set({ changeSeq: sql`${users.changeSeq} + ${count}` })
    .where(eq(users.id, userId));
  const [row] = await tx.select({ changeSeq: users.changeSeq }).from(users).where(eq(users.id, userId));
  if (!row) throw new Error('bumpSeq: user does not exist');
  return row.changeSeq;
}

export function olderThan(after: ListPosition): SQL | undefined {
  return or(lt(r.createdAt, after.createdAt), and(eq(r.createdAt, after.createdAt), lt(r.id, after.id)));
}
