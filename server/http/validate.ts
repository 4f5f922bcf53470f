import type { Context } from 'hono';
import * as v from 'valibot';
import { describeIssues } from '../../shared/validation';
import { AppError } from '../errors';

export function parseOr400<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) {
    const { message, fields } = describeIssues(result.issues);
    throw new AppError('validation_failed', message, fields);
  }
  return result.output;
}

/**
 * Reads a JSON body and validates it against a shared schema. The size cap is enforced
 * before this by the body-limit middleware; here a wrong content type is 415 and malformed
 * JSON is 400 `invalid_json`, so a client always learns which of the three went wrong.
 */
export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      'Send the request body as JSON (Content-Type: application/json).',
    );
  }
  let text: string;
  try {
    // Fatal: bytes that are not UTF-8 are refused, never replaced by U+FFFD and stored.
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8 text.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AppError('validation_failed', 'Send a JSON object.');
  }
  return parseOr400(schema, raw);
}

export function query<S extends v.GenericSchema>(c: Context, schema: S): v.InferOutput<S> {
  return parseOr400(schema, c.req.query());
}
