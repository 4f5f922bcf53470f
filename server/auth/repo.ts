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
  /** The user's sessions that have not expired at `now`. */
  listSessions(userId: string, now: Date): Promise<SessionRow[]>;
  /** Deletes one session if it is this user's; false otherwise. */
  deleteSessionOf(id: string, userId: string): Promise<boolean>;
  /** Deletes every session of the user except `keepId`; returns how many. */
  deleteOtherSessions(userId: string, keepId: string): Promise<number>;
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Sets or clears the handle; throws a unique violation if another user has it. */
  updateHandle(userId: string, handle: string | null): Promise<void>;
  findUserByHandle(handle: string): Promise<UserRow | null>;
}
