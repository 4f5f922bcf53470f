import { Hono } from 'hono';
import { LoginInputSchema, RegisterInputSchema } from '../../shared/schemas/auth';
import type { AuthedEnv } from '../http/env';
import { jsonBody } from '../http/validate';
import { requireAuth } from './middleware';
import { toUser, type AuthService } from './service';

export function authRoutes(auth: AuthService) {
  const authed = requireAuth(auth);
  return new Hono<AuthedEnv>()
    .post('/register', async (c) => c.json(await auth.register(await jsonBody(c, RegisterInputSchema)), 201))
    .post('/login', async (c) => c.json(await auth.login(await jsonBody(c, LoginInputSchema)), 200))
    .post('/logout', authed, async (c) => {
      await auth.logout(c.var.session.id);
      return c.body(null, 204);
    })
    .get('/me', authed, (c) => c.json({ user: toUser(c.var.user) }));
}
