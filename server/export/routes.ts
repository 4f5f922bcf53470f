import { Hono, type MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { ExportQuerySchema } from '../../shared/schemas/library';
import type { AuthedEnv } from '../http/env';
import type { Logger } from '../logger';
import { query } from '../http/validate';
import { baseUrlFor } from '../images/routes';
import type { ExportService } from './service';

/** GET /api/export?format=json|csv: a download, streamed page by page. */
export function exportRoutes(
  service: ExportService,
  authed: MiddlewareHandler<AuthedEnv>,
  publicUrl: string | null,
  logger: Logger,
) {
  const baseUrl = baseUrlFor(publicUrl);
  return new Hono<AuthedEnv>().use(authed).get('/', (c) => {
    const format = query(c, ExportQuerySchema).format ?? 'json';
    c.header(
      'Content-Type',
      format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    );
    c.header('Content-Disposition', `attachment; filename="${service.fileName(format)}"`);
    c.header('Cache-Control', 'no-store');
    const chunks =
      format === 'json' ? service.json(c.var.user, baseUrl(c)) : service.csv(c.var.user, baseUrl(c));
    // Headers are sent with the first chunk: a failure after that can only cut the download
    // short (the file is then incomplete JSON or CSV, never silently partial-but-valid JSON).
    return stream(
      c,
      async (out) => {
        for await (const chunk of chunks) await out.write(chunk);
      },
      async (error) => logger.error('export failed', { error: String(error) }),
    );
  });
}
