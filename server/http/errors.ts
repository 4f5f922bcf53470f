import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_STATUS, type ErrorCode } from '../../shared/errors';
import { AppError, isDatabaseUnavailable } from '../errors';
import type { Logger } from '../logger';
import { describeError } from './describe-error';

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
  extra?: Record<string, unknown>,
) {
  return c.json(
    { error: { code, message, ...(fields ? { fields } : {}) }, ...extra },
    ERROR_STATUS[code] as ContentfulStatusCode,
  );
}

/**
 * The single place errors become responses. Domain errors carry their own code and message;
 * everything else is logged with its detail and answered with a generic message, so stack
 * traces, SQL and driver messages stay on the server.
 */
export function handleError(logger: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof AppError) {
      if (error.code === 'rate_limited' && typeof error.extra?.retryAfterSeconds === 'number') {
        c.header('Retry-After', String(error.extra.retryAfterSeconds));
        return errorResponse(c, error.code, error.message, error.fields);
      }
      return errorResponse(c, error.code, error.message, error.fields, error.extra);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, 'validation_failed', 'The request could not be read.');
    }
    if (isDatabaseUnavailable(error)) {
      logger.error('database unavailable', {
        method: c.req.method,
        path: c.req.path,
        error: describeError(error),
      });
      c.header('Retry-After', '5');
      return errorResponse(
        c,
        'unavailable',
        'The server cannot reach its database right now. Try again shortly.',
      );
    }
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: describeError(error) });
    return errorResponse(c, 'internal', 'Something went wrong on the server.');
  };
}
