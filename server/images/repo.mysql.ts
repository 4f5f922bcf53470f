import { and, asc, count, eq, inArray, lt, notExists } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { images as i, reminders as r } from '../db/schema.mysql';
import type { ImageRepo } from './repo';

export function mysqlImageRepo(db: MysqlDb): ImageRepo {
  // Reminders in the trash still count: an undo must find its image (see reminders/trash.ts).
  const referencing = (imageId: typeof i.id | string, userId: typeof i.userId | string) =>
    and(eq(r.imageId, imageId), eq(r.userId, userId));

  return {
    async insert(row) {
      await db.insert(i).values(row);
    },

    async findForUser(id, userId) {
      const [row] = await db
        .select()
        .from(i)
        .where(and(eq(i.id, id), eq(i.userId, userId)))
        .limit(1);
      return row ?? null;
    },

    async listForUser(userId, ids) {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(i)
        .where(and(eq(i.userId, userId), inArray(i.id, [...ids])));
    },

    async countReferences(id, userId) {
      const [row] = await db.select({ n: count() }).from(r).where(referencing(id, userId));
      return row?.n ?? 0;
    },

    async delete(id, userId) {
      const [result] = await db.delete(i).where(and(eq(i.id, id), eq(i.userId, userId)));
      return result.affectedRows > 0;
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
        .limit(limit);
    },
  };
}
