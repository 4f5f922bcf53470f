import * as v from 'valibot';

/**
 * The one error shape every failure uses, and the status each code travels with.
 * Clients branch on `code`; `message` is written for the person using the app.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  url_not_allowed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  wrong_password: 403,
  not_found: 404,
  no_reminders: 404,
  email_taken: 409,
  handle_taken: 409,
  id_conflict: 409,
  version_mismatch: 412,
  payload_too_large: 413,
  image_too_large: 413,
  unsupported_media_type: 415,
  invalid_image: 422,
  invalid_import: 422,
  remote_fetch_failed: 422,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ErrorBodySchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    fields: v.optional(v.record(v.string(), v.string())),
  }),
});

export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;
