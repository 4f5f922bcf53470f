import { Hono } from 'hono';
import { LIMITS } from '../../shared/limits';
import {
  CreateReminderInputSchema,
  ListRemindersQuerySchema,
  PublicListQuerySchema,
  SyncQuerySchema,
  UpdateReminderInputSchema,
} from '../../shared/schemas/reminders';
import { UuidSchema } from '../../shared/schemas/common';
import { TrashQuerySchema } from '../../shared/schemas/library';
import type { AuthedEnv } from '../http/env';
import { jsonBody, parseOr400, query } from '../http/validate';
import type { ReminderService } from './service';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';
import { reminderImages } from '../images/reminder-images';
import type { ImageService } from '../images/service';
import type { TrashService } from './trash';

const idParam = (raw: string) => {
  try {
    return parseOr400(UuidSchema, raw);
  } catch {
    // A malformed id cannot name anything: that is "not found", not a form error.
    throw new AppError('not_found', 'That reminder does not exist.');
  }
};

export function reminderRoutes(
  service: ReminderService,
  trash: TrashService,
  authed: MiddlewareHandler<AuthedEnv>,
  imageService: ImageService,
  publicUrl: string | null,
) {
  const images = reminderImages(imageService, publicUrl);
  return new Hono<AuthedEnv>()
    .use(authed)
    .post('/', async (c) => {
      const input = await jsonBody(c, CreateReminderInputSchema);
      const result = await images.orCopyInError(c, () => service.create(c.var.user, input));
      return c.json({ reminder: await images.one(c, result.reminder) }, result.created ? 201 : 200);
    })
    .get('/', async (c) => {
      const page = await service.list(c.var.user, query(c, ListRemindersQuerySchema));
      return c.json({ ...page, items: await images.many(c, page.items) });
    })
    .get('/random', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ reminder: await images.one(c, await service.random(c.var.user)) });
    })
    .get('/:id', async (c) =>
      c.json({
        reminder: await images.ownOrPublic(c, await service.get(c.var.user, idParam(c.req.param('id')))),
      }),
    )
    .patch('/:id', async (c) => {
      const id = idParam(c.req.param('id'));
      const patch = await jsonBody(c, UpdateReminderInputSchema);
      const reminder = await images.orCopyInError(c, () =>
        service.update(c.var.user, id, c.req.header('if-match'), patch),
      );
      c.header('ETag', `"${reminder.version}"`);
      return c.json({ reminder: await images.one(c, reminder) });
    })
    .delete('/:id', async (c) => {
      await service.remove(c.var.user, idParam(c.req.param('id')));
      return c.body(null, 204);
    })
    .post('/:id/restore', async (c) => {
      const reminder = await trash.restore(c.var.user, idParam(c.req.param('id')));
      c.header('ETag', `"${reminder.version}"`);
      return c.json({ reminder: await images.one(c, reminder) });
    });
}

export function trashRoutes(
  trash: TrashService,
  authed: MiddlewareHandler<AuthedEnv>,
  imageService: ImageService,
  publicUrl: string | null,
) {
  const images = reminderImages(imageService, publicUrl);
  return new Hono<AuthedEnv>().use(authed).get('/', async (c) => {
    const page = await trash.list(c.var.user, query(c, TrashQuerySchema));
    return c.json({ ...page, items: await images.many(c, page.items) });
  });
}

export function syncRoutes(
  service: ReminderService,
  authed: MiddlewareHandler<AuthedEnv>,
  imageService: ImageService,
  publicUrl: string | null,
) {
  const images = reminderImages(imageService, publicUrl);
  return new Hono<AuthedEnv>().use(authed).get('/', async (c) => {
    const q = query(c, SyncQuerySchema);
    const page = await service.sync(c.var.user, Number(q.since ?? 0), q.limit ?? LIMITS.syncPageSizeDefault);
    return c.json({ ...page, changes: await images.many(c, page.changes) });
  });
}

export function publicRoutes(service: ReminderService) {
  return new Hono().get('/reminders', async (c) => {
    const q = query(c, PublicListQuerySchema);
    return c.json(await service.listPublic(q.cursor, q.limit ?? LIMITS.pageSizeDefault));
  });
}
