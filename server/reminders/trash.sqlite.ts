import { and, asc, desc, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminders as r } from '../db/schema.sqlite';
import type { ReminderRepo } from './repo';
import { bumpSeq } from './seq.sqlite';

/** The trash on SQLite: deleted reminders until they are restored or purged. */
export function sqliteTrash(
  db: SqliteDb,
): Pick<ReminderRepo, 'restore' | 'listTrash' | 'listExpiredTrash' | 'purge'> {
  return {
    async restore(id, userId, deletedSince, now) {
      return db.transaction(
        (tx) => {
          const inTrash = and(eq(r.id, id), eq(r.userId, userId), gte(r.deletedAt, deletedSince));
          if (!tx.select({ id: r.id }).from(r).where(inTrash).get()) return null;
          const changeSeq = bumpSeq(tx, userId);
          return (
            tx
              .update(r)
              .set({ deletedAt: null, updatedAt: now, changeSeq, version: sql`${r.version} + 1` })
              .where(eq(r.id, id))
              .returning()
              .get() ?? null
          );
        },
        { behavior: 'immediate' },
      );
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
        .limit(limit)
        .all();
    },

    async listExpiredTrash(before, limit) {
      return db
        .select()
        .from(r)
        .where(and(isNotNull(r.deletedAt), lt(r.deletedAt, before)))
        .orderBy(asc(r.deletedAt))
        .limit(limit)
        .all();
    },

    async purge(id, userId) {
      // The index rows go with it (ON DELETE CASCADE).
      const result = db
        .delete(r)
        .where(and(eq(r.id, id), eq(r.userId, userId), isNotNull(r.deletedAt)))
        .run();
      return result.changes > 0;
    },
  };
}
