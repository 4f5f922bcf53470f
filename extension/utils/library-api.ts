import * as v from 'valibot';
import { MeResponseSchema } from '../../shared/schemas/auth';
import {
  DeviceListSchema,
  ImportEventSchema,
  TrashPageSchema,
  type ChangePasswordInput,
  type ImportEvent,
  type ImportFormat,
  type ImportReport,
} from '../../shared/schemas/library';
import { ApiError, type ApiClient } from './api';

/**
 * The API calls of the library's options and trash (issue #4), on top of the client in
 * api.ts and judged by the same rules: every answer is checked against the shared schema.
 */

/** A large import runs for a while on the server; the stream keeps the request alive. */
const IMPORT_TIMEOUT_MS = 10 * 60_000;

export const listTrash = (api: ApiClient, cursor?: string) =>
  api.request({
    method: 'GET',
    path: '/api/trash',
    query: { cursor, limit: '100' },
    schema: TrashPageSchema,
  });

export const listDevices = (api: ApiClient) =>
  api.request({ method: 'GET', path: '/api/auth/sessions', schema: DeviceListSchema });

export const signOutDevice = (api: ApiClient, id: string) =>
  api.request({ method: 'DELETE', path: `/api/auth/sessions/${encodeURIComponent(id)}`, schema: undefined });

export const changePassword = (api: ApiClient, input: ChangePasswordInput) =>
  api.request({ method: 'POST', path: '/api/auth/password', body: input, schema: undefined });

export const setHandle = (api: ApiClient, handle: string | null) =>
  api.request({ method: 'PATCH', path: '/api/auth/me', body: { handle }, schema: MeResponseSchema });

/** The whole collection as a file: its name (from the server), type and text. */
export async function exportCollection(api: ApiClient, format: 'json' | 'csv') {
  const response = await api.raw({
    method: 'GET',
    path: '/api/export',
    query: { format },
    timeoutMs: IMPORT_TIMEOUT_MS,
  });
  // The server's name for it; an older server does not expose the header to CORS clients.
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const fileName = named ?? `remindme-${new Date().toISOString().slice(0, 10)}.${format}`;
  const mime = format === 'json' ? 'application/json' : 'text/csv';
  try {
    return { fileName, mime, text: await response.text() };
  } catch {
    throw new ApiError('unreachable', 0, 'network_error', 'The download was cut short. Try again.');
  }
}

/**
 * Sends a file to import and follows the server's progress (`Accept: application/x-ndjson`:
 * one event per line, the report last). `onProgress` hears each batch written.
 */
export async function importCollection(
  api: ApiClient,
  file: { bytes: ArrayBuffer; format: ImportFormat; dryRun: boolean },
  onProgress: (done: number, total: number) => void,
): Promise<ImportReport> {
  const response = await api.raw({
    method: 'POST',
    path: '/api/import',
    query: { format: file.format, dryRun: String(file.dryRun) },
    headers: { accept: 'application/x-ndjson', 'content-type': 'application/octet-stream' },
    raw: file.bytes,
    timeoutMs: IMPORT_TIMEOUT_MS,
  });
  let report: ImportReport | null = null;
  const handle = (event: ImportEvent) => {
    if (event.type === 'progress') onProgress(event.done, event.total);
    else if (event.type === 'report') report = event.report;
    else throw new ApiError('refused', 500, event.error.code, event.error.message);
  };
  try {
    await readLines(response, (line) => {
      const parsed = v.safeParse(ImportEventSchema, JSON.parse(line));
      if (parsed.success) handle(parsed.output);
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('unreachable', 0, 'network_error', 'The connection was lost during the import.');
  }
  if (!report) {
    throw new ApiError('unreachable', response.status, 'bad_response', 'The import ended without a report.');
  }
  return report;
}

async function readLines(response: Response, onLine: (line: string) => void): Promise<void> {
  const body = response.body;
  if (!body) {
    for (const line of (await response.text()).split('\n')) if (line.trim()) onLine(line);
    return;
  }
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onLine(line);
    }
  }
  if (buffered.trim()) onLine(buffered);
}
