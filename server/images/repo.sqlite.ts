import { and, asc, count, eq, inArray, lt, notExists } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { images as i, reminders as r } from '../db/schema.sqlite';
import type { ImageRepo } from './repo';

export function sqliteImageRepo(db: SqliteDb): ImageRepo {
  // Reminders in the trash still count: an undo must find its image (see reminders/trash.ts).
  const referencing = (imageId: typeof i.id | string, userId: typeof i.userId | string) =>
    and(eq(r.imageId, imageId), eq(r.userId, userId));

  return {
    async insert(row) {
      db.insert(i).values(row).run();
    },

    async findForUser(id, userId) {
      return (
        db
          .select()
          .from(i)
          .where(and(eq(i.id, id), eq(i.userId, userId)))
          .get() ?? null
      );
    },

    async listForUser(userId, ids) {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(i)
        .where(and(eq(i.userId, userId), inArray(i.id, [...ids])))
        .all();
    },

    async countReferences(id, userId) {
      const row = db.select({ n: count() }).from(r).where(referencing(id, userId)).get();
      return row?.n ?? 0;
    },

    async delete(id, userId) {
      return (
        db
          .delete(i)
          .where(and(eq(i.id, id), eq(i.userId, userId)))
          .run().changes > 0
      );
    },

    async listUnreferenced(before, limit) {
      return db
        .select()
        .from(i)
        .where(
          and(
            lt(i.createdAt, before),
            notExists(db.select({ id: r.id }).from(r).where(referencing(i.id, i.userId))),
          ),
        )
        .orderBy(asc(i.createdAt))
        .limit(limit)
        .all();
    },
  };
}
