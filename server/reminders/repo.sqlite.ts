import { and, asc, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminders as r } from '../db/schema.sqlite';
import { likePattern, type ListFilter, type ReminderRepo } from './repo';
import { bumpSeq, olderThan } from './seq.sqlite';
import { sqliteIndexing } from './indexing.sqlite';
import { dedupeKey } from './search-index';
import { sqliteTrash } from './trash.sqlite';
import { closeGap, liveCount } from './pick-slots.sqlite';

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
  const indexing = sqliteIndexing(db);

  return {
    async insert(reminder) {
      return db.transaction(
        (tx) => {
          const existing = tx.select().from(r).where(eq(r.id, reminder.id)).get();
          if (existing) return { created: false, row: existing };
          const changeSeq = bumpSeq(tx, reminder.userId);
          const row = tx
            .insert(r)
            .values({
              ...reminder,
              version: 1,
              changeSeq,
              pickSlot: liveCount(tx, reminder.userId) + 1,
              updatedAt: reminder.updatedAt ?? reminder.createdAt,
              dedupeKey: dedupeKey(reminder.text, reminder.author),
            })
            .returning()
            .get();
          indexing.addTerms([row]);
          return { created: true, row };
        },
        { behavior: 'immediate' },
      );
    },

    async insertMany(userId, rows) {
      if (!rows.length) return 0;
      return db.transaction(
        (tx) => {
          const last = bumpSeq(tx, userId, rows.length);
          const slots = liveCount(tx, userId);
          const values = rows.map((row, i) => ({
            ...row,
            userId,
            version: 1,
            changeSeq: last - rows.length + 1 + i,
            pickSlot: slots + 1 + i,
            updatedAt: row.updatedAt ?? row.createdAt,
            dedupeKey: dedupeKey(row.text, row.author),
          }));
          // 20 columns a row: 500 rows stay under SQLite's bound-parameter limit.
          for (let i = 0; i < values.length; i += 500)
            tx.insert(r)
              .values(values.slice(i, i + 500))
              .run();
          indexing.addTerms(values);
          return values.length;
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
          const next = { ...current, ...patch };
          const row = tx
            .update(r)
            .set({
              ...patch,
              version: current.version + 1,
              changeSeq,
              updatedAt: now,
              dedupeKey: dedupeKey(next.text, next.author),
            })
            .where(eq(r.id, id))
            .returning()
            .get();
          if (!row) return { kind: 'missing' as const };
          indexing.updateTerms(current, row);
          return { kind: 'updated' as const, row };
        },
        { behavior: 'immediate' },
      );
    },

    async softDelete(id, userId, now) {
      return db.transaction(
        (tx) => {
          const live = and(eq(r.id, id), eq(r.userId, userId), isNull(r.deletedAt));
          const found = tx.select({ slot: r.pickSlot }).from(r).where(live).get();
          if (!found) return null;
          const changeSeq = bumpSeq(tx, userId);
          const row = tx
            .update(r)
            .set({
              deletedAt: now,
              updatedAt: now,
              changeSeq,
              version: sql`${r.version} + 1`,
              pickSlot: null,
            })
            .where(eq(r.id, id))
            .returning()
            .get();
          closeGap(tx, userId, found.slot);
          return row ?? null;
        },
        { behavior: 'immediate' },
      );
    },

    ...sqliteTrash(db),

    async pickRandom(userId, draw, now) {
      return db.transaction(
        (tx) => {
          const n = liveCount(tx, userId);
          if (n === 0) return null;
          const pick = tx
            .select()
            .from(r)
            .where(and(eq(r.userId, userId), eq(r.pickSlot, draw(n))))
            .get();
          if (!pick) throw new Error(`pickRandom: the slots of ${userId} have a gap`);
          tx.update(r)
            .set({ lastShownAt: now, shownCount: sql`${r.shownCount} + 1` })
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

    async listPublicOf(userId, limit, after) {
      return db
        .select()
        .from(r)
        .where(
          and(
            eq(r.userId, userId),
            eq(r.visibility, 'public'),
            isNull(r.deletedAt),
            after ? olderThan(after) : undefined,
          ),
        )
        .orderBy(desc(r.createdAt), desc(r.id))
        .limit(limit)
        .all();
    },

    findManyByIds: indexing.findManyByIds,
    countTerm: indexing.countTerm,
    expandPrefix: indexing.expandPrefix,
    searchCandidates: indexing.searchCandidates,
    findByDedupeKeys: indexing.findByDedupeKeys,
    listUnindexed: indexing.listUnindexed,
    reindex: indexing.reindex,
  };
}
