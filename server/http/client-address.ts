import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The address a request came from, for rate limits. Behind a reverse proxy every request
 * comes from the proxy, so with `trustProxy` the address the proxy appended to
 * X-Forwarded-For (the last one) is used instead. Without it the header is ignored: a
 * client could write anything there to dodge its limits.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No socket: a request made in-process (app.request in tests).
    return 'unknown';
  }
}
