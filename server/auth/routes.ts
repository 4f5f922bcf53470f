import { Hono, type Context } from 'hono';
import { clientAddress } from '../http/client-address';
import { LoginInputSchema, RegisterInputSchema } from '../../shared/schemas/auth';
import { ChangePasswordInputSchema, UpdateMeInputSchema } from '../../shared/schemas/library';
import type { AuthedEnv } from '../http/env';
import { jsonBody } from '../http/validate';
import type { AccountService } from './account';
import { requireAuth } from './middleware';
import { toUser, type AuthService } from './service';

export function authRoutes(auth: AuthService, account: AccountService, options: { trustProxy: boolean }) {
  const client = (c: Context) => clientAddress(c, options.trustProxy);
  const authed = requireAuth(auth);
  return new Hono<AuthedEnv>()
    .post('/register', async (c) =>
      c.json(await auth.register(await jsonBody(c, RegisterInputSchema), client(c)), 201),
    )
    .post('/login', async (c) =>
      c.json(await auth.login(await jsonBody(c, LoginInputSchema), client(c)), 200),
    )
    .post('/logout', authed, async (c) => {
      await auth.logout(c.var.session.id);
      return c.body(null, 204);
    })
    .get('/me', authed, (c) => c.json({ user: toUser(c.var.user) }))
    .patch('/me', authed, async (c) =>
      c.json({ user: await account.update(c.var.user, await jsonBody(c, UpdateMeInputSchema)) }),
    )
    .get('/sessions', authed, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ sessions: await account.devices(c.var.user, c.var.session) });
    })
    .delete('/sessions/:id', authed, async (c) => {
      await account.signOut(c.var.user, c.req.param('id'));
      return c.body(null, 204);
    })
    .post('/password', authed, async (c) => {
      await account.changePassword(c.var.user, c.var.session, await jsonBody(c, ChangePasswordInputSchema));
      return c.body(null, 204);
    });
}
