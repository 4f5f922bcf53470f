import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { reminders as r } from '../db/schema.sqlite';
import type { ReminderRepo, ReminderRow } from './repo';
import {
  byIndexOrder,
  chunks,
  dedupeKey,
  termChanges,
  termRows,
  toBatch,
  type Searchable,
  type TermRow,
} from './search-index';
import { candidatesSql, countTermSql, expandPrefixSql } from './search-sql';

type Row = Searchable & { id: string; userId: string; createdAt: Date };

/**
 * Search-index upkeep and reads for SQLite (see search-index.ts). Index rows are written
 * with one prepared statement rather than Drizzle's multi-row insert: an import writes
 * hundreds of thousands of them, and building that SQL costs more than running it. They
 * run inside the caller's transaction (better-sqlite3 has one connection).
 */
export function sqliteIndexing(db: SqliteDb) {
  const raw = db.$client;
  const insert = raw.prepare(
    'insert into reminder_terms (reminder_id, user_id, term, created_at) values (?, ?, ?, ?)',
  );
  const removeTerm = raw.prepare('delete from reminder_terms where reminder_id = ? and term = ?');
  const removeAll = raw.prepare('delete from reminder_terms where reminder_id = ?');
  const insertTerms = (rows: TermRow[]) => {
    for (const t of rows.sort(byIndexOrder))
      insert.run(t.reminderId, t.userId, t.term, t.createdAt.getTime());
  };
  /** Rows by id (the primary key); a user filter in SQL would tempt SQLite into scanning by user. */
  const rowsById = (ids: readonly string[]) => {
    const out: ReminderRow[] = [];
    for (const part of chunks([...ids], 500))
      out.push(...db.select().from(r).where(inArray(r.id, part)).all());
    return out;
  };

  const reads: Pick<
    ReminderRepo,
    | 'findManyByIds'
    | 'countTerm'
    | 'expandPrefix'
    | 'searchCandidates'
    | 'findByDedupeKeys'
    | 'listUnindexed'
    | 'reindex'
  > = {
    async findManyByIds(userId, ids) {
      return rowsById(ids).filter((row) => row.userId === userId);
    },

    async countTerm(userId, match, cap) {
      return db.get<{ n: number }>(countTermSql(userId, match, cap))?.n ?? 0;
    },

    async expandPrefix(userId, prefix, max) {
      return db.all<{ term: string }>(expandPrefixSql(userId, prefix, max)).map((row) => row.term);
    },

    async searchCandidates(query) {
      const candidates = db
        .all<{ id: string; at: number }>(candidatesSql('sqlite', query))
        .map((c) => ({ id: c.id, at: new Date(c.at) }));
      return toBatch(query, candidates, rowsById([...new Set(candidates.map((c) => c.id))]));
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
          removeAll.run(row.id);
          tx.update(r)
            .set({ dedupeKey: dedupeKey(row.text, row.author) })
            .where(eq(r.id, row.id))
            .run();
        }
        insertTerms(rows.flatMap(termRows));
      });
    },
  };

  return {
    ...reads,
    /** Call inside a transaction. */
    addTerms(rows: Row[]) {
      insertTerms(rows.flatMap(termRows));
    },
    /** Call inside a transaction. */
    updateTerms(before: Row, after: Searchable) {
      const { removed, added } = termChanges(before, after);
      for (const term of removed) removeTerm.run(before.id, term);
      insertTerms(added);
    },
  };
}
