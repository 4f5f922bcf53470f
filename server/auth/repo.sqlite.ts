import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
import type { SqliteDb } from '../db/client';
import { sessions, users } from '../db/schema.sqlite';
import type { AuthRepo } from './repo';

export function sqliteAuthRepo(db: SqliteDb): AuthRepo {
  return {
    async createUser(user) {
      db.insert(users).values(user).run();
    },
    async findUserByEmail(email) {
      return db.select().from(users).where(eq(users.email, email)).get() ?? null;
    },
    async findUserById(id) {
      return db.select().from(users).where(eq(users.id, id)).get() ?? null;
    },
    async createSession(session) {
      db.insert(sessions).values(session).run();
    },
    async findSession(id) {
      const row = db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, id))
        .get();
      return row ?? null;
    },
    async touchSession(id, lastVerifiedAt, expiresAt) {
      db.update(sessions)
        .set(expiresAt ? { lastVerifiedAt, expiresAt } : { lastVerifiedAt })
        .where(eq(sessions.id, id))
        .run();
    },
    async deleteSession(id) {
      db.delete(sessions).where(eq(sessions.id, id)).run();
    },
    async deleteUserSessions(userId) {
      db.delete(sessions).where(eq(sessions.userId, userId)).run();
    },
    async deleteExpiredSessions(now) {
      return db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
    },
    async listSessions(userId, now) {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.lastVerifiedAt))
        .all();
    },
    async deleteSessionOf(id, userId) {
      return (
        db
          .delete(sessions)
          .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
          .run().changes > 0
      );
    },
    async deleteOtherSessions(userId, keepId) {
      return db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), ne(sessions.id, keepId)))
        .run().changes;
    },
    async updatePasswordHash(userId, passwordHash) {
      db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    },
    async updateHandle(userId, handle) {
      db.update(users).set({ handle }).where(eq(users.id, userId)).run();
    },
    async findUserByHandle(handle) {
      return db.select().from(users).where(eq(users.handle, handle)).get() ?? null;
    },
  };
}
