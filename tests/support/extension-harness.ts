import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { outboxItem, type CreateEntry } from '../../extension/utils/storage';
import { installFakeContextMenus, installFakeScripting, type FakePage } from './extension-fakes';

/**
 * A fresh fake browser with the APIs WXT's fake lacks. `page.selection` is what the
 * right-clicked page has selected (null: no script may run there).
 */
export function freshBrowser(page: FakePage = { selection: null }) {
  fakeBrowser.reset();
  const menus = installFakeContextMenus();
  const scripting = installFakeScripting(page);
  return { menus, scripting, page };
}

/**
 * Starts the background as the browser would start a (new) service worker: fresh module
 * instances, no listeners left from before, storage untouched. Returns once its start-up
 * work is done.
 */
export async function startWorker() {
  for (const event of [
    fakeBrowser.runtime.onMessage,
    fakeBrowser.runtime.onInstalled,
    fakeBrowser.runtime.onStartup,
    fakeBrowser.alarms.onAlarm,
  ]) {
    event.removeAllListeners();
  }
  vi.resetModules();
  const { startBackground } = await import('../../extension/utils/background-main');
  await startBackground();
  const hooks = globalThis.remindme;
  if (!hooks) throw new Error('The background did not expose globalThis.remindme');
  return hooks;
}

/** Real HTTP to the real server, as a second device (or the test) would call it. */
export async function apiCall<T = unknown>(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: T }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
}

let counter = 0;
export function uniqueEmail(): string {
  counter++;
  return `ext-${process.pid}-${Date.now()}-${counter}@example.test`;
}

/** An address where nothing listens: connections are refused at once. */
export const UNREACHABLE_URL = 'http://127.0.0.1:9';

/** Narrows a message answer to its success, failing the test with the error otherwise. */
export function ok<R extends { ok: boolean }>(response: R): Extract<R, { ok: true }> {
  if (!response.ok) throw new Error(`expected success, got ${JSON.stringify(response)}`);
  return response as Extract<R, { ok: true }>;
}

/** Narrows a message answer to its failure. */
export function failed<R extends { ok: boolean }>(response: R): Extract<R, { ok: false }> {
  if (response.ok) throw new Error(`expected a failure, got ${JSON.stringify(response)}`);
  return response as Extract<R, { ok: false }>;
}

/** The outbox's new reminders (not image changes to existing ones). */
export async function queuedCreates(): Promise<CreateEntry[]> {
  return (await outboxItem.getValue()).filter((e): e is CreateEntry => e.kind === 'create');
}

/** Empties the extension's IndexedDB (image bytes and cache); open connections let go. */
export function resetImageStore(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase('remindme-images');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('could not delete the image store'));
  });
}
