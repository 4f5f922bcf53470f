import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
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
    async listSessions(userId, now) {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.lastVerifiedAt));
    },
    async deleteSessionOf(id, userId) {
      const [result] = await db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.userId, userId)));
      return result.affectedRows > 0;
    },
    async deleteOtherSessions(userId, keepId) {
      const [result] = await db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), ne(sessions.id, keepId)));
      return result.affectedRows;
    },
    async updatePasswordHash(userId, passwordHash) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },
    async updateHandle(userId, handle) {
      await db.update(users).set({ handle }).where(eq(users.id, userId));
    },
    async findUserByHandle(handle) {
      const [row] = await db.select().from(users).where(eq(users.handle, handle)).limit(1);
      return row ?? null;
    },
  };
}
