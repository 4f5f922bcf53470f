import * as v from 'valibot';
import { ErrorBodySchema } from '../../shared/errors';
import {
  AuthResponseSchema,
  MeResponseSchema,
  type LoginInput,
  type RegisterInput,
} from '../../shared/schemas/auth';
import {
  ReminderPageSchema,
  ReminderResponseSchema,
  SyncResponseSchema,
  type CreateReminderInput,
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

interface RequestOptions<S extends v.GenericSchema | undefined> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  schema: S;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<S extends v.GenericSchema | undefined>(
    req: RequestOptions<S>,
  ): Promise<S extends v.GenericSchema ? v.InferOutput<S> : undefined> {
    const url = new URL(baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(timeoutMs),
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

    if (!response.ok) throw await errorFrom(response, baseUrl);
    if (req.schema === undefined) return undefined as never;

    const json: unknown = await response.json().catch(() => undefined);
    const parsed = v.safeParse(req.schema, json);
    if (!parsed.success) {
      throw new ApiError(
        'unreachable',
        response.status,
        'bad_response',
        `The server at ${baseUrl} did not answer like a RemindMe server.`,
      );
    }
    return parsed.output as never;
  }

  return {
    baseUrl,
    register: (input: RegisterInput) =>
      request({ method: 'POST', path: '/api/auth/register', body: input, schema: AuthResponseSchema }),
    login: (input: LoginInput) =>
      request({ method: 'POST', path: '/api/auth/login', body: input, schema: AuthResponseSchema }),
    logout: () => request({ method: 'POST', path: '/api/auth/logout', schema: undefined }),
    me: () => request({ method: 'GET', path: '/api/auth/me', schema: MeResponseSchema }),
    createReminder: (input: CreateReminderInput) =>
      request({ method: 'POST', path: '/api/reminders', body: input, schema: ReminderResponseSchema }),
    listReminders: (query: { cursor?: string; limit?: number } = {}) =>
      request({
        method: 'GET',
        path: '/api/reminders',
        query: { cursor: query.cursor, limit: query.limit?.toString() },
        schema: ReminderPageSchema,
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

async function errorFrom(response: Response, baseUrl: string): Promise<ApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = v.safeParse(ErrorBodySchema, json);
  const kind: ApiFailureKind = response.status >= 500 ? 'unreachable' : 'refused';
  if (parsed.success) {
    const { code, message, fields } = parsed.output.error;
    return new ApiError(kind, response.status, code, message, fields ?? {});
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
