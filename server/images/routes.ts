import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IMAGES, LIMITS } from '../../shared/limits';
import { UuidSchema } from '../../shared/schemas/common';
import { ImageUploadFieldsSchema, RemoteImageInputSchema } from '../../shared/schemas/images';
import { AppError } from '../errors';
import type { AuthedEnv } from '../http/env';
import { errorResponse } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { readCappedText, receiveMultipart, receiveMultipartFrom } from './receive';
import type { ImageService } from './service';
import type { LocalImageStore } from './store-local';

/** The origin image URLs are built on: PUBLIC_URL, else the one this request came to. */
export function baseUrlFor(publicUrl: string | null) {
  return (c: Context) => publicUrl ?? new URL(c.req.url).origin;
}

const notFound = () => new AppError('not_found', 'That image does not exist.');

export function imageRoutes(
  service: ImageService,
  authed: MiddlewareHandler<AuthedEnv>,
  publicUrl: string | null,
) {
  const baseUrl = baseUrlFor(publicUrl);
  return new Hono<AuthedEnv>()
    .use(authed)
    .post('/', async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (/^multipart\/form-data\b/i.test(type)) {
        // On Node's server the raw request stream is at hand; elsewhere (tests) the web body.
        const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
        const image = await service.upload(c.var.user.id, baseUrl(c), async (dest) => {
          const { fields } = incoming
            ? await receiveMultipartFrom(incoming, c.req.raw.headers, dest, IMAGES.maxBytes)
            : await receiveMultipart(c.req.raw, dest, IMAGES.maxBytes);
          return { sourceUrl: parseOr400(ImageUploadFieldsSchema, fields).sourceUrl ?? null };
        });
        return c.json({ image }, 201);
      }
      if (/^application\/json\b/i.test(type)) {
        const text = await readCappedText(c.req.raw, LIMITS.jsonBodyMaxBytes);
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new AppError('invalid_json', 'The request body is not valid JSON.');
        }
        const { url } = parseOr400(RemoteImageInputSchema, raw);
        return c.json({ image: await service.uploadFromUrl(c.var.user.id, baseUrl(c), url) }, 201);
      }
      throw new AppError(
        'unsupported_media_type',
        'Send the image as multipart/form-data (field "file"), or JSON {"url": "https://…"} for a public image.',
      );
    })
    .get('/:id', async (c) => {
      let id: string;
      try {
        id = parseOr400(UuidSchema, c.req.param('id'));
      } catch {
        throw notFound();
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ image: await service.get(c.var.user.id, id, baseUrl(c)) });
    });
}

/**
 * Serves the local store's files at `/images/<key>/<file>?exp=&sig=`. Only a valid, unexpired
 * signature opens a file (403 otherwise, 404 for a name that cannot exist). The files are
 * rasters the server wrote itself; `nosniff` and a sandboxing CSP make sure no browser
 * treats one as anything else.
 */
export function imageFileRoutes(store: LocalImageStore, clock: () => Date) {
  return new Hono().get('/:key/:file', async (c) => {
    const now = clock();
    const found = await store.resolve(
      c.req.param('key'),
      c.req.param('file'),
      c.req.query('exp'),
      c.req.query('sig'),
      now,
    );
    if (found.kind === 'missing') return errorResponse(c, 'not_found', 'That image does not exist.');
    if (found.kind === 'denied') {
      return errorResponse(
        c,
        'forbidden',
        found.reason === 'expired'
          ? 'This image link has expired: ask for a fresh one.'
          : 'This image link is not valid.',
      );
    }
    const maxAge = Math.max(0, found.expires - Math.floor(now.getTime() / 1000));
    return c.body(Readable.toWeb(createReadStream(found.path)) as ReadableStream, 200, {
      'Content-Type': found.mime,
      'Content-Length': String(found.size),
      'Cache-Control': `private, max-age=${maxAge}, immutable`,
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  });
}
