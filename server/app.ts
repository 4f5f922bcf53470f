import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { LIBRARY, LIMITS } from '../shared/limits';
import { createAccountService } from './auth/account';
import { requireAuth } from './auth/middleware';
import { authRoutes } from './auth/routes';
import { createAuthService } from './auth/service';
import type { Deps } from './deps';
import { errorResponse, handleError } from './http/errors';
import type { AppEnv } from './http/env';
import { healthRoutes } from './health/routes';
import { imageFileRoutes, imageRoutes } from './images/routes';
import { createImageService } from './images/service';
import { isLocalStore } from './images/setup';
import { exportRoutes } from './export/routes';
import { createExportService } from './export/service';
import { importImages } from './import/images';
import { importRoutes } from './import/routes';
import { createImportService } from './import/service';
import { publicRoutes, reminderRoutes, syncRoutes, trashRoutes } from './reminders/routes';
import { createReminderService } from './reminders/service';
import { createTrashService } from './reminders/trash';
import { publicUserRoutes, sharingRoutes } from './sharing/routes';
import { createSharingService } from './sharing/service';

/** Builds the whole HTTP app from its dependencies; never listens (see main.ts). */
export function createApp(deps: Deps) {
  const auth = createAuthService(deps.repos.auth, deps.clock);
  const images = createImageService({
    repo: deps.repos.images,
    store: deps.images.store,
    clock: deps.clock,
    logger: deps.logger,
    tempDir: deps.images.tempDir,
    processor: deps.images.processor,
    remoteFetch: deps.images.remoteFetch,
  });
  const reminders = createReminderService(deps.repos.reminders, deps.clock, images);
  const trash = createTrashService(deps.repos.reminders, deps.clock, images, deps.logger);
  const importer = createImportService({
    repo: deps.repos.reminders,
    clock: deps.clock,
    images: importImages(deps.repos.images, images, deps.logger),
  });
  const exporter = createExportService(deps.repos.reminders, images, deps.clock);
  const sharing = createSharingService(deps.repos.auth, deps.repos.reminders);
  const authed = requireAuth(auth);

  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  // Bearer tokens, never cookies: any origin may call without credentials, and a preflight
  // is answered here before any route asks for a token.
  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
      exposeHeaders: ['ETag', 'Retry-After', 'Content-Disposition'],
      maxAge: 86_400,
    }),
  );

  const jsonLimit = bodyLimit({
    maxSize: LIMITS.jsonBodyMaxBytes,
    onError: (c) =>
      errorResponse(
        c,
        'payload_too_large',
        `The request is too large (the limit is ${LIMITS.jsonBodyMaxBytes / 1024} KB).`,
      ),
  });
  const importLimit = bodyLimit({
    maxSize: LIBRARY.importMaxBytes + 64 * 1024, // the file, plus a multipart envelope
    onError: (c) =>
      errorResponse(
        c,
        'payload_too_large',
        `The file is too large: one import takes at most ${LIBRARY.importMaxBytes / 1024 / 1024} MB.`,
      ),
  });
  // Image uploads stream to disk under their own, larger cap (images/receive.ts); import
  // files have theirs (LIBRARY.importMaxBytes).
  app.use('/api/*', (c, next) => {
    if (c.req.method === 'POST' && c.req.path === '/api/images') return next();
    if (c.req.method === 'POST' && c.req.path === '/api/import') return importLimit(c, next);
    return jsonLimit(c, next);
  });

  app.route(
    '/',
    healthRoutes(deps.database, deps.logger, () => deps.images.store.ready()),
  );
  app.route(
    '/api/auth',
    authRoutes(auth, createAccountService(deps.repos.auth, deps.clock), {
      trustProxy: deps.trustProxy ?? false,
    }),
  );
  app.route('/api/reminders', reminderRoutes(reminders, trash, authed, images, deps.images.publicUrl));
  app.route('/api/trash', trashRoutes(trash, authed, images, deps.images.publicUrl));
  app.route('/api/import', importRoutes(importer, authed, deps.logger));
  app.route('/api/export', exportRoutes(exporter, authed, deps.images.publicUrl, deps.logger));
  app.route('/api/sync', syncRoutes(reminders, authed, images, deps.images.publicUrl));
  app.route('/api/images', imageRoutes(images, authed, deps.images.publicUrl));
  if (isLocalStore(deps.images.store)) {
    app.use('/images/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD'] }));
    app.route('/images', imageFileRoutes(deps.images.store, deps.clock));
  }
  app.route('/api/public/users', publicUserRoutes(sharing));
  app.route('/api/public', publicRoutes(reminders));
  app.route('/u', sharingRoutes(sharing));

  app.notFound((c) => errorResponse(c, 'not_found', `Nothing at ${c.req.method} ${c.req.path}.`));
  app.onError(handleError(deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
