import { describeError } from '../http/describe-error';
import { Hono } from 'hono';
import { ping, type Database } from '../db/client';
import type { Readiness } from '../images/store';
import type { Logger } from '../logger';

export function healthRoutes(database: Database, logger: Logger, storage: () => Promise<Readiness>) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const [db, files] = await Promise.all([
        ping(database).then(
          () => 'ok' as const,
          (error: unknown) => {
            logger.warn('readiness check failed', { check: 'database', error: describeError(error) });
            return 'unreachable' as const;
          },
        ),
        storage().then(
          (result) => {
            if (!result.ok)
              logger.warn('readiness check failed', { check: 'storage', detail: result.detail });
            return result.ok ? ('ok' as const) : ('unavailable' as const);
          },
          () => 'unavailable' as const,
        ),
      ]);
      const ready = db === 'ok' && files === 'ok';
      return c.json(
        { status: ready ? 'ready' : 'unavailable', checks: { database: db, storage: files } },
        ready ? 200 : 503,
      );
    });
}
