import type { sessions, users } from '../db/schema.sqlite';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

/** Storage for accounts and sessions; one implementation per database dialect. */
export interface AuthRepo {
  /** Inserts a user; throws a unique violation (see `isUniqueViolation`) if the email is taken. */
  createUser(user: UserRow): Promise<void>;
  findUserByEmail(email: string): Promise<UserRow | null>;
  findUserById(id: string): Promise<UserRow | null>;
  createSession(session: SessionRow): Promise<void>;
  findSession(id: string): Promise<{ session: SessionRow; user: UserRow } | null>;
  touchSession(id: string, lastVerifiedAt: Date, expiresAt: Date | null): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
}
