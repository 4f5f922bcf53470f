import { and, asc, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { isUniqueViolation } from '../errors';
import { reminders as r } from '../db/schema.mysql';
import { likePattern, type ListFilter, type ReminderRepo, type ReminderRow } from './repo';
import { mysqlIndexing } from './indexing.mysql';
import { dedupeKey } from './search-index';
import { bumpSeq, olderThan, type MysqlTx } from './seq.mysql';
import { mysqlTrash } from './trash.mysql';
import { closeGap, liveCount } from './pick-slots.mysql';

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
          sql`${r.text} like ${pattern}`,
          sql`${r.note} like ${pattern}`,
          sql`${r.author} like ${pattern}`,
          sql`${r.sourceTitle} like ${pattern}`,
        )
      : undefined,
  );
}

export function mysqlReminderRepo(db: MysqlDb): ReminderRepo {
  const indexing = mysqlIndexing(db);
  async function byId(id: string, tx: MysqlTx | MysqlDb = db): Promise<ReminderRow | null> {
    const [row] = await tx.select().from(r).where(eq(r.id, id)).limit(1);
    return row ?? null;
  }

  function insertOnce(reminder: Parameters<ReminderRepo['insert']>[0]) {
    return db.transaction(async (tx) => {
      // The seq bump comes first: it takes the user's row lock, so a concurrent create of
      // the same id by the same person waits here and then finds the row below.
      const changeSeq = await bumpSeq(tx, reminder.userId);
      const existing = await byId(reminder.id, tx);
      if (existing) return { created: false, row: existing };
      await tx.insert(r).values({
        ...reminder,
        version: 1,
        changeSeq,
        pickSlot: (await liveCount(tx, reminder.userId)) + 1,
        updatedAt: reminder.updatedAt ?? reminder.createdAt,
        dedupeKey: dedupeKey(reminder.text, reminder.author),
      });
      const row = await byId(reminder.id, tx);
      if (!row) throw new Error('insert: row vanished');
      await indexing.addTerms(tx, [row]);
      return { created: true, row };
    });
  }

  return {
    async insert(reminder) {
      try {
        return await insertOnce(reminder);
      } catch (error) {
        // Two people creating the same id at once lock different user rows, so both can
        // pass the check below; the loser's insert hits the primary key. The id is taken:
        // answer with the row that holds it, as a repeated create would.
        if (!isUniqueViolation(error)) throw error;
        const existing = await byId(reminder.id);
        if (!existing) throw error;
        return { created: false, row: existing };
      }
    },

    async insertMany(userId, rows) {
      if (!rows.length) return 0;
      return db.transaction(async (tx) => {
        const last = await bumpSeq(tx, userId, rows.length);
        const slots = await liveCount(tx, userId);
        const values = rows.map((row, i) => ({
          ...row,
          userId,
          version: 1,
          changeSeq: last - rows.length + 1 + i,
          pickSlot: slots + 1 + i,
          updatedAt: row.updatedAt ?? row.createdAt,
          dedupeKey: dedupeKey(row.text, row.author),
        }));
        for (let i = 0; i < values.length; i += 500) await tx.insert(r).values(values.slice(i, i + 500));
        await indexing.addTerms(tx, values);
        return values.length;
      });
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
        .limit(filter.limit);
    },

    async update(id, userId, expectedVersion, patch, now) {
      return db.transaction(async (tx) => {
        const changeSeq = await bumpSeq(tx, userId);
        const [current] = await tx
          .select()
          .from(r)
          .where(and(eq(r.id, id), eq(r.userId, userId), isNull(r.deletedAt)))
          .for('update');
        if (!current) return { kind: 'missing' as const };
        if (current.version !== expectedVersion) return { kind: 'stale' as const, row: current };
        const next = { ...current, ...patch };
        await tx
          .update(r)
          .set({
            ...patch,
            version: current.version + 1,
            changeSeq,
            updatedAt: now,
            dedupeKey: dedupeKey(next.text, next.author),
          })
          .where(eq(r.id, id));
        const row = await byId(id, tx);
        if (!row) return { kind: 'missing' as const };
        await indexing.updateTerms(tx, current, row);
        return { kind: 'updated' as const, row };
      });
    },

    async softDelete(id, userId, now) {
      return db.transaction(async (tx) => {
        const changeSeq = await bumpSeq(tx, userId);
        const live = and(eq(r.id, id), eq(r.userId, userId), isNull(r.deletedAt));
        const [found] = await tx.select({ slot: r.pickSlot }).from(r).where(live);
        if (!found) return null;
        await tx
          .update(r)
          .set({ deletedAt: now, updatedAt: now, changeSeq, version: sql`${r.version} + 1`, pickSlot: null })
          .where(live);
        await closeGap(tx, userId, found.slot);
        return byId(id, tx);
      });
    },

    ...mysqlTrash(db),

    async pickRandom(userId, draw, now) {
      // Reads without the owner's lock: a delete committing between the two reads can move
      // the drawn slot, so a miss draws again (it cannot miss twice in a row for long).
      for (let attempt = 0; attempt < 5; attempt++) {
        const n = await liveCount(db, userId);
        if (n === 0) return null;
        const [pick] = await db
          .select()
          .from(r)
          .where(and(eq(r.userId, userId), eq(r.pickSlot, draw(n))));
        if (!pick) continue;
        await db
          .update(r)
          .set({ lastShownAt: now, shownCount: sql`${r.shownCount} + 1` })
          .where(eq(r.id, pick.id));
        return pick;
      }
      throw new Error(`pickRandom: no reminder in the drawn slots of ${userId}`);
    },

    async changesSince(userId, since, limit) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.userId, userId), gt(r.changeSeq, since)))
        .orderBy(asc(r.changeSeq))
        .limit(limit);
    },

    async listPublic(limit, after) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.visibility, 'public'), isNull(r.deletedAt), after ? olderThan(after) : undefined))
        .orderBy(desc(r.createdAt), desc(r.id))
        .limit(limit);
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
        .limit(limit);
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
