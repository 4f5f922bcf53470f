import type { Device, UpdateMeInput, ChangePasswordInput } from '../../shared/schemas/library';
import type { User } from '../../shared/schemas/auth';
import { AppError, isUniqueViolation } from '../errors';
import { createFailureLimiter } from './failure-limiter';
import { hashPassword, verifyPassword } from './password';
import type { AuthRepo, SessionRow, UserRow } from './repo';
import { toUser } from './service';

const noSuchSession = () => new AppError('not_found', 'That device is not signed in.');

/**
 * Managing my account from a signed-in session: my public handle, my devices, my password.
 * Changing the password signs out every other session, so a stolen token stops working the
 * moment the person reacts; a wrong current password is counted like a failed sign-in.
 */
export function createAccountService(repo: AuthRepo, clock: () => Date) {
  const failures = createFailureLimiter({ max: 10, windowMs: 15 * 60 * 1000, clock });

  return {
    async update(user: UserRow, input: UpdateMeInput): Promise<User> {
      if (input.handle === undefined || input.handle === user.handle) return toUser(user);
      try {
        await repo.updateHandle(user.id, input.handle);
      } catch (error) {
        if (isUniqueViolation(error)) {
          const message = 'Someone already uses this name. Choose another.';
          throw new AppError('handle_taken', message, { handle: message });
        }
        throw error;
      }
      return toUser({ ...user, handle: input.handle });
    },

    async devices(user: UserRow, current: SessionRow): Promise<Device[]> {
      const rows = await repo.listSessions(user.id, clock());
      return rows.map((s) => ({
        id: s.id,
        label: s.label,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastVerifiedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        current: s.id === current.id,
      }));
    },

    /** Signs one of my devices out; someone else's session id is "not found" like a made-up one. */
    async signOut(user: UserRow, sessionId: string): Promise<void> {
      if (!/^[a-z2-7]{32}$/.test(sessionId) || !(await repo.deleteSessionOf(sessionId, user.id)))
        throw noSuchSession();
    },

    async changePassword(user: UserRow, current: SessionRow, input: ChangePasswordInput): Promise<void> {
      const retryAfter = failures.blockedFor(user.id);
      if (retryAfter > 0) {
        throw new AppError(
          'rate_limited',
          'Too many wrong passwords. Try again in a few minutes.',
          undefined,
          {
            retryAfterSeconds: Math.ceil(retryAfter / 1000),
          },
        );
      }
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        failures.record(user.id);
        const message = 'That is not your current password.';
        throw new AppError('wrong_password', message, { currentPassword: message });
      }
      failures.clear(user.id);
      await repo.updatePasswordHash(user.id, await hashPassword(input.newPassword));
      await repo.deleteOtherSessions(user.id, current.id);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
