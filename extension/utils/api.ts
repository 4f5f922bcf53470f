import * as v from 'valibot';
import { ErrorBodySchema } from '../../shared/errors';
import {
  AuthResponseSchema,
  MeResponseSchema,
  type LoginInput,
  type RegisterInput,
} from '../../shared/schemas/auth';
import { ImageResponseSchema, type Image } from '../../shared/schemas/images';
import {
  ReminderPageSchema,
  ReminderResponseSchema,
  SyncResponseSchema,
  type CreateReminderInput,
  type UpdateReminderInput,
  type Visibility,
} from '../../shared/schemas/reminders';

/**
 * The RemindMe API client. Only the background uses it: pages ask the background, so the
 * session token never has to leave the service worker's reach and there is one place that
 * decides what a failure means.
 *
 * Every response is checked against the shared schema. A body that does not match is
 * treated like an unreachable server, not like a refusal: the URL may point at something
 * that is not RemindMe (a captive portal, a proxy error page), and queued saves must wait
 * rather than be marked as refused.
 */

/**
 * `unreachable`: nothing useful came back (network error, timeout, 5xx, a body that is not
 * RemindMe's) — try again later. `refused`: the server understood and said no (4xx).
 */
export type ApiFailureKind = 'unreachable' | 'refused';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiFailureKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** The whole error body, for answers that carry more (a 412 carries the current copy). */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }

  /** Worth retrying the same request later (rate limits pass, servers come back). */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.status === 429 || this.status === 408;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface RequestOptions<S extends v.GenericSchema | undefined> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** A multipart body instead of JSON (the browser sets its content type). */
  form?: FormData;
  /** Bytes sent as they are (with their own content-type header). */
  raw?: BodyInit;
  headers?: Record<string, string>;
  timeoutMs?: number;
  schema: S;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** An upload of 25 MB on a slow uplink takes minutes; the server streams it, so it may. */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(req: Omit<RequestOptions<undefined>, 'schema'>): Promise<Response> {
    const url = new URL(baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(url, {
        method: req.method,
        headers,
        body: req.raw ?? req.form ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
        signal: AbortSignal.timeout(req.timeoutMs ?? timeoutMs),
        // No cookies: the API authenticates by bearer token only.
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(
        'unreachable',
        0,
        'network_error',
        `Could not reach the RemindMe server at ${baseUrl}.`,
      );
    }
    return response;
  }

  async function request<S extends v.GenericSchema | undefined>(
    req: RequestOptions<S>,
  ): Promise<S extends v.GenericSchema ? v.InferOutput<S> : undefined> {
    const response = await send(req);
    if (req.schema === undefined) {
      if (!response.ok) throw await errorFrom(response, baseUrl);
      return undefined as never;
    }
    return readAnswer(response, req.schema, baseUrl) as never;
  }

  /** The answer itself, for bodies that are not one JSON value (a stream, a download). */
  async function raw(req: Omit<RequestOptions<undefined>, 'schema'>): Promise<Response> {
    const response = await send(req);
    if (!response.ok) throw await errorFrom(response, baseUrl);
    return response;
  }

  const reminderPath = (id: string) => `/api/reminders/${encodeURIComponent(id)}`;

  return {
    baseUrl,
    /** For the calls of library-api.ts, which share this client's rules. */
    request,
    raw,
    register: (input: RegisterInput) =>
      request({ method: 'POST', path: '/api/auth/register', body: input, schema: AuthResponseSchema }),
    login: (input: LoginInput) =>
      request({ method: 'POST', path: '/api/auth/login', body: input, schema: AuthResponseSchema }),
    logout: () => request({ method: 'POST', path: '/api/auth/logout', schema: undefined }),
    me: () => request({ method: 'GET', path: '/api/auth/me', schema: MeResponseSchema }),
    createReminder: (input: CreateReminderInput) =>
      request({ method: 'POST', path: '/api/reminders', body: input, schema: ReminderResponseSchema }),
    listReminders: (query: ListQuery = {}) =>
      request({
        method: 'GET',
        path: '/api/reminders',
        query: {
          cursor: query.cursor,
          limit: query.limit?.toString(),
          q: query.q,
          visibility: query.visibility,
          favorite: query.favorite === undefined ? undefined : String(query.favorite),
        },
        schema: ReminderPageSchema,
      }),
    /** To the trash; repeating it is harmless (204 again). */
    deleteReminder: (id: string) => request({ method: 'DELETE', path: reminderPath(id), schema: undefined }),
    restoreReminder: (id: string) =>
      request({ method: 'POST', path: `${reminderPath(id)}/restore`, schema: ReminderResponseSchema }),
    getReminder: (id: string) =>
      request({ method: 'GET', path: reminderPath(id), schema: ReminderResponseSchema }),
    /** `version` is the copy the change is based on; a newer one on the server gives 412. */
    updateReminder: (id: string, patch: UpdateReminderInput, version: number) =>
      request({
        method: 'PATCH',
        path: reminderPath(id),
        body: patch,
        headers: { 'if-match': `"${version}"` },
        schema: ReminderResponseSchema,
      }),
    getImage: (id: string) =>
      request({ method: 'GET', path: `/api/images/${encodeURIComponent(id)}`, schema: ImageResponseSchema }),
    /** A public image the server fetches itself. */
    uploadImageFromUrl: (imageUrl: string) =>
      request({
        method: 'POST',
        path: '/api/images',
        body: { url: imageUrl },
        timeoutMs: UPLOAD_TIMEOUT_MS,
        schema: ImageResponseSchema,
      }),
    /** Multipart upload without progress; see image-upload.ts for the one with progress. */
    uploadImage: (file: Blob, fields: UploadFields) =>
      request({
        method: 'POST',
        path: '/api/images',
        form: uploadForm(file, fields),
        timeoutMs: UPLOAD_TIMEOUT_MS,
        schema: ImageResponseSchema,
      }),
    sync: (query: { since?: string | null; limit?: number } = {}) =>
      request({
        method: 'GET',
        path: '/api/sync',
        query: { since: query.since ?? undefined, limit: query.limit?.toString() },
        schema: SyncResponseSchema,
      }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export interface ListQuery {
  cursor?: string;
  limit?: number;
  q?: string;
  visibility?: Visibility;
  favorite?: boolean;
}

export interface UploadFields {
  /** Where the image was found (an http(s) image address); the server keeps it. */
  sourceUrl: string | null;
  filename: string;
}

/** The form `POST /api/images` takes: `file`, and `sourceUrl` only when there is one. */
export function uploadForm(file: Blob, fields: UploadFields): FormData {
  const form = new FormData();
  if (fields.sourceUrl) form.append('sourceUrl', fields.sourceUrl);
  form.append('file', file, fields.filename);
  return form;
}

/** Reads a response as `schema`, or throws the ApiError it stands for. */
async function readAnswer<S extends v.GenericSchema>(
  response: Response,
  schema: S,
  baseUrl: string,
): Promise<v.InferOutput<S>> {
  if (!response.ok) throw await errorFrom(response, baseUrl);
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    throw new ApiError(
      'unreachable',
      response.status,
      'bad_response',
      `The server at ${baseUrl} did not answer like a RemindMe server.`,
    );
  }
  return parsed.output;
}

/**
 * What an upload sent by XMLHttpRequest (for its progress events) means, judged exactly as
 * a fetch answer would be. `status` 0 is a network failure.
 */
export async function readUploadAnswer(status: number, body: string, baseUrl: string): Promise<Image> {
  if (status === 0) {
    throw new ApiError(
      'unreachable',
      0,
      'network_error',
      `Could not reach the RemindMe server at ${baseUrl}.`,
    );
  }
  const response = new Response(body, { status, headers: { 'content-type': 'application/json' } });
  return (await readAnswer(response, ImageResponseSchema, baseUrl)).image;
}

export async function errorFrom(response: Response, baseUrl: string): Promise<ApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = v.safeParse(ErrorBodySchema, json);
  const kind: ApiFailureKind = response.status >= 500 ? 'unreachable' : 'refused';
  if (parsed.success) {
    const { code, message, fields } = parsed.output.error;
    return new ApiError(kind, response.status, code, message, fields ?? {}, json);
  }
  // Not RemindMe's error shape: a proxy or some other server answered. A bare 404 most
  // likely means the URL points somewhere else, which is not a verdict on the request.
  const foreign = response.status >= 500 || response.status === 404;
  return new ApiError(
    foreign ? 'unreachable' : 'refused',
    response.status,
    response.status >= 500 ? 'unavailable' : 'bad_response',
    response.status >= 500
      ? `The RemindMe server at ${baseUrl} is not available right now (HTTP ${response.status}).`
      : `The server at ${baseUrl} did not answer like a RemindMe server (HTTP ${response.status}).`,
  );
}

/** Normalises a server URL typed by a person; null when it is not an http(s) URL. */
export function normaliseServerUrl(input: string): string | null {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return (url.origin + url.pathname).replace(/\/+$/, '');
}
