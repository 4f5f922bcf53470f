import { and, asc, desc, eq, gt, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminders as r, users } from '../db/schema.sqlite';
import { likePattern, type ListFilter, type ListPosition, type ReminderRepo } from './repo';

type Tx = Parameters<Parameters<SqliteDb['transaction']>[0]>[0];

function bumpSeq(tx: Tx, userId: string): number {
  const row = tx
    .update(users)
    .set({ changeSeq: sql`${users.changeSeq} + 1` })
    .where(eq(users.id, userId))
    .returning({ changeSeq: users.changeSeq })
    .get();
  if (!row) throw new Error('bumpSeq: user does not exist');
  return row.changeSeq;
}

function olderThan(after: ListPosition): SQL | undefined {
  return or(lt(r.createdAt, after.createdAt), and(eq(r.createdAt, after.createdAt), lt(r.id, after.id)));
}

function filters(f: ListFilter): SQL | undefined {
  const pattern = f.q ? likePattern(f.q) : undefined;
  return and(
    eq(r.userId, f.userId),
    isNull(r.deletedAt),
    f.after ? olderThan(f.after) : undefined,
    f.visibility ? eq(r.visibility, f.visibility) : undefined,
    f.favorite === undefined ? undefined : eq(r.favorite, f.favorite),
    pattern
      ? or(
          sql`${r.text} like ${pattern} escape '\\'`,
          sql`${r.note} like ${pattern} escape '\\'`,
          sql`${r.author} like ${pattern} escape '\\'`,
          sql`${r.sourceTitle} like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

export function sqliteReminderRepo(db: SqliteDb): ReminderRepo {
  const byId = (id: string) => db.select().from(r).where(eq(r.id, id)).get() ?? null;

  return {
    async insert(reminder) {
      return db.transaction(
        (tx) => {
          const existing = tx.select().from(r).where(eq(r.id, reminder.id)).get();
          if (existing) return { created: false, row: existing };
          const changeSeq = bumpSeq(tx, reminder.userId);
          const row = tx
            .insert(r)
            .values({ ...reminder, version: 1, changeSeq, updatedAt: reminder.createdAt })
            .returning()
            .get();
          return { created: true, row };
        },
        { behavior: 'immediate' },
      );
    },

    async findById(id) {
      return byId(id);
    },

    async list(filter) {
      return db
        .select()
        .from(r)
        .where(filters(filter))
        .orderBy(desc(r.createdAt), desc(r.id))
        .limit(filter.limit)
        .all();
    },

    async update(id, userId, expectedVersion, patch, now) {
      return db.transaction(
        (tx) => {
          const current = tx
            .select()
            .from(r)
            .where(and(eq(r.id, id), eq(r.userId, userId), isNull(r.deletedAt)))
            .get();
          if (!current) return { kind: 'missing' as const };
          if (current.version !== expectedVersion) return { kind: 'stale' as const, row: current };
          const changeSeq = bumpSeq(tx, userId);
          const row = tx
            .update(r)
            .set({ ...patch, version: current.version + 1, changeSeq, updatedAt: now })
            .where(eq(r.id, id))
            .returning()
            .get();
          if (!row) return { kind: 'missing' as const };
          return { kind: 'updated' as const, row };
        },
        { behavior: 'immediate' },
      );
    },

    async softDelete(id, userId, now) {
      return db.transaction(
        (tx) => {
          const live = and(eq(r.id, id), eq(r.userId, userId), isNull(r.deletedAt));
          if (!tx.select({ id: r.id }).from(r).where(live).get()) return null;
          const changeSeq = bumpSeq(tx, userId);
          return (
            tx
              .update(r)
              .set({ deletedAt: now, updatedAt: now, changeSeq, version: sql`${r.version} + 1` })
              .where(eq(r.id, id))
              .returning()
              .get() ?? null
          );
        },
        { behavior: 'immediate' },
      );
    },

    async pickRandom(userId, point, newKey, now) {
      return db.transaction(
        (tx) => {
          const live = and(eq(r.userId, userId), isNull(r.deletedAt));
          const pick =
            tx.select().from(r).where(and(live, gte(r.randKey, point))).orderBy(asc(r.randKey)).limit(1).get() ??
            tx.select().from(r).where(live).orderBy(asc(r.randKey)).limit(1).get();
          if (!pick) return null;
          tx.update(r)
            .set({ randKey: newKey, lastShownAt: now, shownCount: sql`${r.shownCount} + 1` })
            .where(eq(r.id, pick.id))
            .run();
          return pick;
        },
        { behavior: 'immediate' },
      );
    },

    async changesSince(userId, since, limit) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.userId, userId), gt(r.changeSeq, since)))
        .orderBy(asc(r.changeSeq))
        .limit(limit)
        .all();
    },

    async listPublic(limit, after) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.visibility, 'public'), isNull(r.deletedAt), after ? olderThan(after) : undefined))
        .orderBy(desc(r.createdAt), desc(r.id))
        .limit(limit)
        .all();
    },
  };
}
