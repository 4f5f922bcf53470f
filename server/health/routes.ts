import { Hono } from 'hono';
import { ping, type Database } from '../db/client';
import type { Logger } from '../logger';

export function healthRoutes(database: Database, logger: Logger) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await ping(database);
        return c.json({ status: 'ready', checks: { database: 'ok' } });
      } catch (error) {
        logger.warn('readiness check failed', { check: 'database', error: String(error) });
        return c.json({ status: 'unavailable', checks: { database: 'unreachable' } }, 503);
      }
    });
}
