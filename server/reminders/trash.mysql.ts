import { and, asc, desc, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { reminders as r } from '../db/schema.mysql';
import type { ReminderRepo, ReminderRow } from './repo';
import { bumpSeq } from './seq.mysql';

/** The trash on MySQL: deleted reminders until they are restored or purged. */
export function mysqlTrash(
  db: MysqlDb,
): Pick<ReminderRepo, 'restore' | 'listTrash' | 'listExpiredTrash' | 'purge'> {
  return {
    async restore(id, userId, deletedSince, now) {
      return db.transaction(async (tx) => {
        const changeSeq = await bumpSeq(tx, userId);
        const [result] = await tx
          .update(r)
          .set({ deletedAt: null, updatedAt: now, changeSeq, version: sql`${r.version} + 1` })
          .where(and(eq(r.id, id), eq(r.userId, userId), gte(r.deletedAt, deletedSince)));
        if (result.affectedRows === 0) return null;
        const [row] = await tx.select().from(r).where(eq(r.id, id));
        return (row as ReminderRow | undefined) ?? null;
      });
    },

    async listTrash(userId, deletedSince, limit, after) {
      return db
        .select()
        .from(r)
        .where(
          and(
            eq(r.userId, userId),
            gte(r.deletedAt, deletedSince),
            after
              ? or(
                  lt(r.deletedAt, after.deletedAt),
                  and(eq(r.deletedAt, after.deletedAt), lt(r.createdAt, after.createdAt)),
                  and(eq(r.deletedAt, after.deletedAt), eq(r.createdAt, after.createdAt), lt(r.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(r.deletedAt), desc(r.createdAt), desc(r.id))
        .limit(limit);
    },

    async listExpiredTrash(before, limit) {
      return db
        .select()
        .from(r)
        .where(and(isNotNull(r.deletedAt), lt(r.deletedAt, before)))
        .orderBy(asc(r.deletedAt))
        .limit(limit);
    },

    async purge(id, userId) {
      // The index rows go with it (ON DELETE CASCADE).
      const [result] = await db
        .delete(r)
        .where(and(eq(r.id, id), eq(r.userId, userId), isNotNull(r.deletedAt)));
      return result.affectedRows > 0;
    },
  };
}
