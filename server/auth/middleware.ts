import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors';
import type { AuthedEnv } from '../http/env';
import type { AuthService } from './service';

/**
 * Bearer tokens only: no cookies means no ambient credentials, so there is nothing for a
 * cross-site request to ride on and CORS can stay open.
 */
export function requireAuth(auth: AuthService) {
  return createMiddleware<AuthedEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const found = match?.[1] ? await auth.validate(match[1]) : null;
    if (!found) {
      throw new AppError(
        'unauthorized',
        header ? 'Your session has ended. Sign in again.' : 'Sign in first.',
      );
    }
    c.set('user', found.user);
    c.set('session', found.session);
    await next();
  });
}
