import { eq, lt } from 'drizzle-orm';
import type { MysqlDb } from '../db/client';
import { sessions, users } from '../db/schema.mysql';
import type { AuthRepo } from './repo';

export function mysqlAuthRepo(db: MysqlDb): AuthRepo {
  return {
    async createUser(user) {
      await db.insert(users).values(user);
    },
    async findUserByEmail(email) {
      const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
      return row ?? null;
    },
    async findUserById(id) {
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row ?? null;
    },
    async createSession(session) {
      await db.insert(sessions).values(session);
    },
    async findSession(id) {
      const [row] = await db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, id))
        .limit(1);
      return row ?? null;
    },
    async touchSession(id, lastVerifiedAt, expiresAt) {
      await db
        .update(sessions)
        .set(expiresAt ? { lastVerifiedAt, expiresAt } : { lastVerifiedAt })
        .where(eq(sessions.id, id));
    },
    async deleteSession(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
    async deleteUserSessions(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async deleteExpiredSessions(now) {
      const [result] = await db.delete(sessions).where(lt(sessions.expiresAt, now));
      return result.affectedRows;
    },
  };
}
