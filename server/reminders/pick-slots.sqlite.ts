import { and, eq, sql } from 'drizzle-orm';
import { reminders as r } from '../db/schema.sqlite';
import type { SqliteTx } from './seq.sqlite';

/** See pick-slots.ts. Each runs inside the caller's transaction, after `bumpSeq`. */

/** How many live reminders the user has: the highest slot (the slots are 1…n). */
export function liveCount(tx: Pick<SqliteTx, 'select'>, userId: string): number {
  const row = tx
    .select({ n: sql<number | null>`max(${r.pickSlot})` })
    .from(r)
    .where(eq(r.userId, userId))
    .get();
  return row?.n ?? 0;
}

/** After a reminder in `slot` left the live set (its own slot already null): closes the gap. */
export function closeGap(tx: SqliteTx, userId: string, slot: number | null): void {
  if (slot === null) return;
  const last = liveCount(tx, userId);
  if (last <= slot) return;
  tx.update(r)
    .set({ pickSlot: slot })
    .where(and(eq(r.userId, userId), eq(r.pickSlot, last)))
    .run();
}
