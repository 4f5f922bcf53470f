import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { PublicFeedQuerySchema } from '../../shared/schemas/library';
import { AppError } from '../errors';
import { parseOr400, query } from '../http/validate';
import { csvRow } from '../export/csv-write';
import { CONTENT_SECURITY_POLICY, renderErrorPage, renderPublicPage } from './html';
import type { SharingService } from './service';

const CACHE = 'public, max-age=300';

const feedCsv = (items: Awaited<ReturnType<SharingService['all']>>['items']) =>
  `\uFEFF${csvRow(['text', 'author', 'note', 'sourceUrl', 'sourceTitle', 'createdAt'])}${items
    .map((r) => csvRow([r.text, r.author, r.note, r.sourceUrl, r.sourceTitle, r.createdAt]))
    .join('')}`;

function htmlHeaders(c: Context) {
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
}

/**
 * `/u/:handle` (HTML), `/u/:handle.json` and `/u/:handle.csv`: a person's public reminders,
 * open to any origin (they are public, and no credentials are involved) and cacheable (the
 * ETag is a hash of the body, so it changes exactly when the content does).
 */
export function sharingRoutes(service: SharingService) {
  return new Hono()
    .use('*', cors({ origin: '*', allowMethods: ['GET', 'HEAD'] }))
    .use('*', etag())
    .get('/:name', async (c) => {
      const name = c.req.param('name');
      const feed = /\.(json|csv)$/.exec(name);
      c.header('X-Content-Type-Options', 'nosniff');
      if (feed) {
        const handle = name.slice(0, -feed[0].length);
        c.header('Cache-Control', CACHE);
        if (feed[1] === 'csv') {
          query(c, PublicFeedQuerySchema);
          c.header('Content-Disposition', `inline; filename="${handle}.csv"`);
          return c.body(feedCsv((await service.all(handle)).items), 200, {
            'Content-Type': 'text/csv; charset=utf-8',
          });
        }
        const q = query(c, PublicFeedQuerySchema);
        return c.json(await service.page(handle, q.cursor, q.limit));
      }
      htmlHeaders(c);
      // A shared link may carry tracking parameters: the page reads only its own.
      const q = parseOr400(PublicFeedQuerySchema, { cursor: c.req.query('cursor') ?? undefined });
      try {
        const page = await service.page(name, q.cursor);
        c.header('Cache-Control', CACHE);
        return c.html(renderPublicPage(page));
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') {
          return c.html(renderErrorPage('Not found', 'Nobody here has that name.'), 404);
        }
        throw error;
      }
    });
}

/** The JSON feed under /api, for clients that only talk to the API. */
export function publicUserRoutes(service: SharingService) {
  return new Hono().get('/:handle/reminders', async (c) => {
    const q = query(c, PublicFeedQuerySchema);
    c.header('Cache-Control', CACHE);
    return c.json(await service.page(c.req.param('handle'), q.cursor, q.limit));
  });
}
