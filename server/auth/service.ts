import { randomUUID } from 'node:crypto';
import { SESSION } from '../../shared/limits';
import type { LoginInput, RegisterInput, User } from '../../shared/schemas/auth';
import { AppError, isUniqueViolation } from '../errors';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import type { AuthRepo, SessionRow, UserRow } from './repo';
import { newSessionToken, parseSessionToken, secretMatches } from './session-token';
import { createFailureLimiter } from './failure-limiter';

export type SessionGrant = { user: User; token: string; expiresAt: string };

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, createdAt: row.createdAt.toISOString(), handle: row.handle };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

export function createAuthService(repo: AuthRepo, clock: () => Date) {
  const failures = createFailureLimiter({ max: 10, windowMs: 15 * 60 * 1000, clock });

  async function startSession(user: UserRow, label: string | undefined): Promise<SessionGrant> {
    const now = clock();
    const { id, secretHash, token } = newSessionToken();
    const expiresAt = new Date(now.getTime() + SESSION.lifetimeMs);
    await repo.createSession({
      id,
      userId: user.id,
      secretHash,
      label: label || null,
      createdAt: now,
      lastVerifiedAt: now,
      expiresAt,
    });
    return { user: toUser(user), token, expiresAt: expiresAt.toISOString() };
  }

  return {
    async register(input: RegisterInput): Promise<SessionGrant> {
      const email = normalizeEmail(input.email);
      const user: UserRow = {
        id: randomUUID(),
        email,
        passwordHash: await hashPassword(input.password),
        changeSeq: 0,
        createdAt: clock(),
        handle: null,
      };
      try {
        await repo.createUser(user);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('email_taken', 'An account with this email already exists. Sign in instead.', {
            email: 'An account with this email already exists.',
          });
        }
        throw error;
      }
      return startSession(user, input.label);
    },

    async login(input: LoginInput): Promise<SessionGrant> {
      const email = normalizeEmail(input.email);
      const retryAfter = failures.blockedFor(email);
      if (retryAfter > 0) {
        throw new AppError(
          'rate_limited',
          'Too many failed sign-in attempts. Try again in a few minutes.',
          undefined,
          {
            retryAfterSeconds: Math.ceil(retryAfter / 1000),
          },
        );
      }
      const user = await repo.findUserByEmail(email);
      const ok = user
        ? await verifyPassword(user.passwordHash, input.password)
        : await verifyAgainstDummy(input.password);
      if (!user || !ok) {
        failures.record(email);
        throw new AppError('invalid_credentials', INVALID_CREDENTIALS);
      }
      failures.clear(email);
      return startSession(user, input.label);
    },

    /** Resolves a bearer token to its session, sliding the expiry forward when due. */
    async validate(token: string): Promise<{ user: UserRow; session: SessionRow } | null> {
      const parts = parseSessionToken(token);
      if (!parts) return null;
      const found = await repo.findSession(parts.id);
      if (!found || !secretMatches(parts.secret, found.session.secretHash)) return null;
      const now = clock();
      if (found.session.expiresAt.getTime() <= now.getTime()) {
        await repo.deleteSession(found.session.id);
        return null;
      }
      if (now.getTime() - found.session.lastVerifiedAt.getTime() >= SESSION.refreshAfterMs) {
        const expiresAt = new Date(now.getTime() + SESSION.lifetimeMs);
        await repo.touchSession(found.session.id, now, expiresAt);
        found.session = { ...found.session, lastVerifiedAt: now, expiresAt };
      }
      return found;
    },

    async logout(sessionId: string): Promise<void> {
      await repo.deleteSession(sessionId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
