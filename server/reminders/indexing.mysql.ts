import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { format } from 'mysql2';
import type { MysqlDb } from '../db/client';
import { reminderTerms as t, reminders as r } from '../db/schema.mysql';
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
import { candidatesSql, countTermSql, nextTermSql, prefixWordsSql } from './search-sql';
import type { MysqlTx } from './seq.mysql';

type Row = Searchable & { id: string; userId: string; createdAt: Date };

/** Up to this many index rows, a prefix's words are listed by reading the rows themselves. */
const EXPAND_SCAN_ROWS = 5_000;

/**
 * Search-index upkeep and reads for MySQL/MariaDB (see search-index.ts). Index rows go in
 * as multi-row INSERTs formatted by mysql2 (Drizzle's builder is slow at this size), on the
 * transaction's own connection.
 */
export function mysqlIndexing(db: MysqlDb) {
  const insertTerms = async (tx: MysqlTx | MysqlDb, rows: TermRow[]) => {
    for (const part of chunks(rows.sort(byIndexOrder), 2_000)) {
      const values = part.map((x) => [x.reminderId, x.userId, x.term, x.createdAt]);
      await tx.execute(
        sql.raw(
          format(
            'insert into reminder_terms (reminder_id, user_id, term, created_at) values ?',
            [values],
            false,
            'Z',
          ),
        ),
      );
    }
  };
  const rowsOf = <T>(result: unknown) => (result as [T[], unknown])[0];
  const rowsById = async (ids: readonly string[]) => {
    const out: ReminderRow[] = [];
    for (const part of chunks([...ids], 500))
      out.push(...(await db.select().from(r).where(inArray(r.id, part))));
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
      return (await rowsById(ids)).filter((row) => row.userId === userId);
    },

    async countTerm(userId, match, cap) {
      const [row] = rowsOf<{ n: number | string }>(await db.execute(countTermSql(userId, match, cap)));
      return Number(row?.n ?? 0);
    },

    async expandPrefix(userId, prefix, max) {
      const text = (term: Buffer | string) => (typeof term === 'string' ? term : term.toString('utf8'));
      // The words among the prefix's first rows; if those are all its rows, or already
      // enough words, that is the answer.
      const few = rowsOf<{ term: Buffer | string; n: number | string }>(
        await db.execute(prefixWordsSql(userId, prefix, EXPAND_SCAN_ROWS)),
      );
      const terms = few.map((row) => text(row.term)).slice(0, max);
      const complete = few.reduce((sum, row) => sum + Number(row.n), 0) < EXPAND_SCAN_ROWS;
      if (complete || terms.length >= max) return terms;
      // Otherwise on from the last of them, one index seek per word. (MariaDB runs the
      // recursive form in search-sql.ts as scans: seconds on a large index.)
      let after = terms.at(-1) ?? null;
      while (terms.length < max) {
        const result = await db.execute(nextTermSql(userId, prefix, after));
        const term = rowsOf<{ term: Buffer | string | null }>(result)[0]?.term;
        if (!term) break;
        after = text(term);
        terms.push(after);
      }
      return terms;
    },

    async searchCandidates(query) {
      const candidates = rowsOf<{ id: string; at: Date | string }>(
        await db.execute(candidatesSql('mysql', query)),
      ).map((c) => ({ id: c.id, at: c.at instanceof Date ? c.at : new Date(`${c.at.replace(' ', 'T')}Z`) }));
      return toBatch(query, candidates, await rowsById([...new Set(candidates.map((c) => c.id))]));
    },

    async findByDedupeKeys(userId, keys) {
      const out: Pick<ReminderRow, 'dedupeKey' | 'deletedAt'>[] = [];
      for (const part of chunks([...keys], 500)) {
        out.push(
          ...(await db
            .select({ dedupeKey: r.dedupeKey, deletedAt: r.deletedAt })
            .from(r)
            .where(and(eq(r.userId, userId), inArray(r.dedupeKey, part)))),
        );
      }
      return out;
    },

    async listUnindexed(limit) {
      return db.select().from(r).where(isNull(r.dedupeKey)).limit(limit);
    },

    async reindex(rows) {
      await db.transaction(async (tx) => {
        for (const row of rows) {
          await tx.delete(t).where(eq(t.reminderId, row.id));
          await tx
            .update(r)
            .set({ dedupeKey: dedupeKey(row.text, row.author) })
            .where(eq(r.id, row.id));
        }
        await insertTerms(tx, rows.flatMap(termRows));
      });
    },
  };

  return {
    ...reads,
    async addTerms(tx: MysqlTx, rows: Row[]) {
      await insertTerms(tx, rows.flatMap(termRows));
    },
    async updateTerms(tx: MysqlTx, before: Row, after: Searchable) {
      const { removed, added } = termChanges(before, after);
      for (const part of chunks(removed, 500)) {
        await tx.delete(t).where(and(eq(t.reminderId, before.id), inArray(t.term, part)));
      }
      await insertTerms(tx, added);
    },
  };
}
