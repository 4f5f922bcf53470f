import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminderTerms as t, reminders as r } from '../db/schema.sqlite';
import type { ReminderRepo, ReminderRow } from './repo';
import type { SqliteTx } from './seq.sqlite';
import { chunks, dedupeKey, termChanges, termRows, type Searchable, type TermRow } from './search-index';
import { candidateIdsSql, countTermSql } from './search-sql';

type Row = Searchable & { id: string; userId: string; createdAt: Date };

/** Search-index upkeep and reads for SQLite (see search-index.ts). */
export function sqliteIndexing(db: SqliteDb) {
  // 4 columns a row: 5,000 rows stay under SQLite's bound-parameter limit.
  const insertTerms = (tx: SqliteTx | SqliteDb, rows: TermRow[]) => {
    for (const part of chunks(rows, 5_000)) tx.insert(t).values(part).run();
  };

  const reads: Pick<
    ReminderRepo,
    'countTerm' | 'searchCandidates' | 'findByDedupeKeys' | 'listUnindexed' | 'reindex'
  > = {
    async countTerm(userId, match, cap) {
      return db.get<{ n: number }>(countTermSql(userId, match, cap))?.n ?? 0;
    },

    async searchCandidates(query) {
      const ids = db.all<{ id: string }>(candidateIdsSql('sqlite', query)).map((row) => row.id);
      if (!ids.length) return [];
      const rows = new Map(
        db
          .select()
          .from(r)
          .where(and(eq(r.userId, query.userId), inArray(r.id, ids)))
          .all()
          .map((row) => [row.id, row]),
      );
      return ids.flatMap((id) => rows.get(id) ?? []);
    },

    async findByDedupeKeys(userId, keys) {
      const out: Pick<ReminderRow, 'dedupeKey' | 'deletedAt'>[] = [];
      for (const part of chunks([...keys], 500)) {
        out.push(
          ...db
            .select({ dedupeKey: r.dedupeKey, deletedAt: r.deletedAt })
            .from(r)
            .where(and(eq(r.userId, userId), inArray(r.dedupeKey, part)))
            .all(),
        );
      }
      return out;
    },

    async listUnindexed(limit) {
      return db.select().from(r).where(isNull(r.dedupeKey)).limit(limit).all();
    },

    async reindex(rows) {
      db.transaction((tx) => {
        for (const row of rows) {
          tx.delete(t).where(eq(t.reminderId, row.id)).run();
          tx.update(r)
            .set({ dedupeKey: dedupeKey(row.text, row.author) })
            .where(eq(r.id, row.id))
            .run();
        }
        insertTerms(tx, rows.flatMap(termRows));
      });
    },
  };

  return {
    ...reads,
    addTerms(tx: SqliteTx, rows: Row[]) {
      insertTerms(tx, rows.flatMap(termRows));
    },
    updateTerms(tx: SqliteTx, before: Row, after: Searchable) {
      const { removed, added } = termChanges(before, after);
      for (const part of chunks(removed, 500)) {
        tx.delete(t)
          .where(and(eq(t.reminderId, before.id), inArray(t.term, part)))
          .run();
      }
      insertTerms(tx, added);
    },
  };
}
