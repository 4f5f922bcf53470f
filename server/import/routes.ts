import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { LIBRARY } from '../../shared/limits';
import { ImportQuerySchema, type ImportEvent } from '../../shared/schemas/library';
import { AppError } from '../errors';
import type { AuthedEnv } from '../http/env';
import { query } from '../http/validate';
import type { Logger } from '../logger';
import type { ImportService } from './service';

const tooLarge = () =>
  new AppError(
    'payload_too_large',
    `The file is too large: one import takes at most ${LIBRARY.importMaxBytes / 1024 / 1024} MB.`,
  );

/**
 * The file, sent as the raw body (any content type) or as the multipart field `file`. The
 * size cap (LIBRARY.importMaxBytes) is enforced by the body limit in app.ts before this reads.
 */
async function readFile(c: Context): Promise<Uint8Array> {
  const type = c.req.header('content-type') ?? '';
  let bytes: Uint8Array;
  if (/^multipart\/form-data\b/i.test(type)) {
    const form = await c.req.parseBody().catch(() => {
      throw new AppError('validation_failed', 'The upload is not a valid multipart form.', {
        file: 'Not readable.',
      });
    });
    const unknown = Object.keys(form).find((k) => k !== 'file');
    if (unknown)
      throw new AppError('validation_failed', `Unknown field "${unknown}".`, { [unknown]: 'Unknown field.' });
    const file = form.file;
    if (!(file instanceof File)) {
      throw new AppError('validation_failed', 'Attach the file as the form field "file".', {
        file: 'Required.',
      });
    }
    if (file.size > LIBRARY.importMaxBytes) throw tooLarge();
    bytes = new Uint8Array(await file.arrayBuffer());
  } else bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!bytes.length) throw new AppError('validation_failed', 'The file is empty.', { file: 'Empty.' });
  return bytes;
}

/**
 * POST /api/import?format=…&dryRun=…. The file is read and checked before anything is
 * answered, so an unreadable file is a plain error response; with `Accept:
 * application/x-ndjson` the writing phase then streams progress events and the report.
 */
export function importRoutes(service: ImportService, authed: MiddlewareHandler<AuthedEnv>, logger: Logger) {
  return new Hono<AuthedEnv>().use(authed).post('/', async (c) => {
    const q = query(c, ImportQuerySchema);
    const plan = await service.plan(c.var.user, q.format, await readFile(c), q.dryRun ?? false);
    if (!/application\/x-ndjson/i.test(c.req.header('accept') ?? ''))
      return c.json(await service.apply(plan));

    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      const send = (event: ImportEvent) => out.write(`${JSON.stringify(event)}\n`);
      try {
        await send({ type: 'progress', done: 0, total: plan.rows.length });
        const report = await service.apply(
          plan,
          (done, total) => void send({ type: 'progress', done, total }),
        );
        await send({ type: 'report', report });
      } catch (error) {
        logger.error('import failed', { error: String(error) });
        const message =
          'The import stopped part way because of a server problem; what was reported as done is saved. Import the file again to add the rest.';
        await send({ type: 'error', error: { code: 'internal', message } });
      }
    });
  });
}
