import { sql, type SQL } from 'drizzle-orm';
import type { TermMatch } from '../../shared/search';
import type { CandidateQuery } from './repo';
import { prefixEnd } from './search-index';

/**
 * The search queries, written once for both dialects; they differ only in how an instant is
 * bound (SQLite stores milliseconds). Walks and gathers read the term index alone, never the
 * reminders table: the few candidates they return are then fetched by primary key (and
 * checked for trash and filters) in the repository, so a search touches about as many rows
 * as it answers with, whatever the size of the collection.
 */
export type Dialect = 'sqlite' | 'mysql';

const time = (dialect: Dialect, at: Date) => (dialect === 'sqlite' ? at.getTime() : at);
const lit = (n: number) => sql.raw(String(Math.trunc(n)));

function termCondition(alias: string, match: TermMatch): SQL {
  const col = sql.raw(`${alias}.term`);
  return match.prefix
    ? sql`${col} >= ${match.term} and ${col} < ${prefixEnd(match.term)}`
    : sql`${col} = ${match.term}`;
}

/** Each of `matches` must also be a term of the reminder whose id is in column `idColumn`. */
const others = (idColumn: string, matches: TermMatch[]) =>
  matches.map(
    (m) =>
      sql`exists (select 1 from reminder_terms o where o.reminder_id = ${sql.raw(idColumn)} and ${termCondition('o', m)})`,
  );

function keyset(dialect: Dialect, q: CandidateQuery, at: string, id: string): SQL[] {
  if (!q.after) return [];
  const when = time(dialect, q.after.createdAt);
  return [sql`(${sql.raw(at)} < ${when} or (${sql.raw(at)} = ${when} and ${sql.raw(id)} < ${q.after.id}))`];
}

/** Reads at most `cap` index rows: enough to tell a rare term from a common one. */
export function countTermSql(userId: string, match: TermMatch, cap: number): SQL {
  return sql`select count(*) as n from (select 1 from reminder_terms t where t.user_id = ${userId} and ${termCondition('t', match)} limit ${lit(cap)}) x`;
}

/**
 * The distinct terms that start with `prefix` (at most `max`), one index seek each: a loose
 * index scan written as a recursive query, so "lov" costs as many steps as there are words
 * starting with it (love, loved, lovely, …), not as many rows as use them. (SQLite; MySQL
 * takes the same steps one query at a time, see `nextTermSql`.)
 */
export function expandPrefixSql(userId: string, prefix: string, max: number): SQL {
  const end = prefixEnd(prefix);
  return sql`with recursive v (term, n) as (
    select (select min(t.term) from reminder_terms t where t.user_id = ${userId} and t.term >= ${prefix} and t.term < ${end}), 1
    union all
    select (select min(t.term) from reminder_terms t where t.user_id = ${userId} and t.term > v.term and t.term < ${end}), v.n + 1
    from v where v.term is not null and v.n < ${lit(max)}
  ) select term from v where term is not null`;
}

/** Ids and times of candidates, newest first. */
export function candidatesSql(dialect: Dialect, q: CandidateQuery): SQL {
  const limit = lit(q.limit);
  const order = (at: string, id: string) => sql.raw(`order by ${at} desc, ${id} desc`);
  const plan = q.plan;
  if (plan.kind === 'walk') {
    // One newest-first walk per term, merged: each term's rows are already in that order.
    const walks = plan.terms.map(
      (term) =>
        sql`select * from (select t.reminder_id as id, t.created_at as at from reminder_terms t where ${sql.join(
          [
            sql`t.user_id = ${q.userId} and t.term = ${term}`,
            ...keyset(dialect, q, 't.created_at', 't.reminder_id'),
            ...others('t.reminder_id', plan.others),
          ],
          sql` and `,
        )} ${order('t.created_at', 't.reminder_id')} limit ${limit}) w`,
    );
    if (walks.length === 1) return walks[0] as SQL;
    // Each walk lists distinct reminders, so if any walk filled its limit, the distinct union
    // does too: fewer than `limit` rows here means every walk is exhausted.
    return sql`select distinct id, at from (${sql.join(walks, sql` union all `)}) u ${order('at', 'id')} limit ${limit}`;
  }
  if (plan.kind === 'gather') {
    return sql`select g.reminder_id as id, g.created_at as at from (select distinct p.reminder_id, p.created_at from reminder_terms p where p.user_id = ${q.userId} and ${termCondition('p', { term: plan.prefix, prefix: true })}) g where ${sql.join(
      [
        sql`1 = 1`,
        ...keyset(dialect, q, 'g.created_at', 'g.reminder_id'),
        ...others('g.reminder_id', plan.others),
      ],
      sql` and `,
    )} ${order('g.created_at', 'g.reminder_id')} limit ${limit}`;
  }
  const where: SQL[] = [sql`r.user_id = ${q.userId}`, sql`r.deleted_at is null`];
  if (q.visibility) where.push(sql`r.visibility = ${q.visibility}`);
  if (q.favorite !== undefined) where.push(sql`r.favorite = ${q.favorite ? 1 : 0}`);
  where.push(...keyset(dialect, q, 'r.created_at', 'r.id'));
  where.push(...others('r.id', plan.others));
  return sql`select r.id as id, r.created_at as at from reminders r where ${sql.join(where, sql` and `)} ${order('r.created_at', 'r.id')} limit ${limit}`;
}

/** The first term after `after` (or the first at all) that starts with `prefix`: one index seek. */
export function nextTermSql(userId: string, prefix: string, after: string | null): SQL {
  const from = after === null ? sql`t.term >= ${prefix}` : sql`t.term > ${after}`;
  return sql`select min(t.term) as term from reminder_terms t where t.user_id = ${userId} and ${from} and t.term < ${prefixEnd(prefix)}`;
}

/** The words starting with `prefix` among its first `rows` index rows, with how many rows each. */
export function prefixWordsSql(userId: string, prefix: string, rows: number): SQL {
  return sql`select term, count(*) as n from (select t.term from reminder_terms t where t.user_id = ${userId} and ${termCondition('t', { term: prefix, prefix: true })} limit ${lit(rows)}) x group by term order by term`;
}
