import { sql, type SQL } from 'drizzle-orm';
import type { TermMatch } from '../../shared/search';
import type { CandidateQuery } from './repo';
import { prefixEnd } from './search-index';

/**
 * The search queries, written once for both dialects. They differ only in how an instant is
 * bound (SQLite stores milliseconds) and how the join order is pinned (SQLite's CROSS JOIN,
 * MySQL's STRAIGHT_JOIN): the plan chosen in search.ts relies on the term index being read
 * first, and a planner that starts from `reminders` instead would scan a whole collection.
 */
export type Dialect = 'sqlite' | 'mysql';

const time = (dialect: Dialect, at: Date) => (dialect === 'sqlite' ? at.getTime() : at);

function termCondition(alias: string, match: TermMatch): SQL {
  const col = sql.raw(`${alias}.term`);
  return match.prefix
    ? sql`${col} >= ${match.term} and ${col} < ${prefixEnd(match.term)}`
    : sql`${col} = ${match.term}`;
}

/** Reads at most `cap` index rows: enough to tell a rare term from a common one. */
export function countTermSql(userId: string, match: TermMatch, cap: number): SQL {
  return sql`select count(*) as n from (select 1 from reminder_terms t where t.user_id = ${userId} and ${termCondition('t', match)} limit ${sql.raw(String(Math.trunc(cap)))}) x`;
}

/** Ids of live reminders the plan finds, newest first. */
export function candidateIdsSql(dialect: Dialect, q: CandidateQuery): SQL {
  const join = sql.raw(dialect === 'sqlite' ? 'cross join' : 'straight_join');
  const where: SQL[] = [sql`r.user_id = ${q.userId}`, sql`r.deleted_at is null`];
  if (q.visibility) where.push(sql`r.visibility = ${q.visibility}`);
  if (q.favorite !== undefined) where.push(sql`r.favorite = ${q.favorite ? 1 : 0}`);
  for (const match of q.plan.others) {
    where.push(
      sql`exists (select 1 from reminder_terms o where o.reminder_id = r.id and ${termCondition('o', match)})`,
    );
  }
  const [source, at, id] =
    q.plan.kind === 'walk'
      ? [sql`reminder_terms t ${join} reminders r on r.id = t.reminder_id`, 't.created_at', 't.reminder_id']
      : q.plan.kind === 'gather'
        ? [
            sql`(select distinct p.reminder_id, p.created_at from reminder_terms p where p.user_id = ${q.userId} and ${termCondition('p', { term: q.plan.prefix, prefix: true })}) g ${join} reminders r on r.id = g.reminder_id`,
            'g.created_at',
            'g.reminder_id',
          ]
        : [sql`reminders r`, 'r.created_at', 'r.id'];
  if (q.plan.kind === 'walk') where.push(sql`t.user_id = ${q.userId} and t.term = ${q.plan.term}`);
  if (q.after) {
    const when = time(dialect, q.after.createdAt);
    where.push(
      sql`(${sql.raw(at)} < ${when} or (${sql.raw(at)} = ${when} and ${sql.raw(id)} < ${q.after.id}))`,
    );
  }
  return sql`select r.id as id from ${source} where ${sql.join(where, sql` and `)} order by ${sql.raw(at)} desc, ${sql.raw(id)} desc limit ${sql.raw(String(Math.trunc(q.limit)))}`;
}
