import { and, eq, sql } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { reminders as r } from '../db/schema.mysql';
import type { MysqlTx } from './seq.mysql';

/** See pick-slots.ts. Writers call these inside their transaction, after `bumpSeq`. */

/** How many live reminders the user has: the highest slot (the slots are 1…n). */
export async function liveCount(tx: MysqlTx | MysqlDb, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number | null>`max(${r.pickSlot})` })
    .from(r)
    .where(eq(r.userId, userId));
  return Number(row?.n ?? 0);
}

/** After a reminder in `slot` left the live set (its own slot already null): closes the gap. */
export async function closeGap(tx: MysqlTx, userId: string, slot: number | null): Promise<void> {
  if (slot === null) return;
  const last = await liveCount(tx, userId);
  if (last <= slot) return;
  await tx
    .update(r)
    .set({ pickSlot: slot })
    .where(and(eq(r.userId, userId), eq(r.pickSlot, last)));
}
