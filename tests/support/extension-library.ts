import { expect } from 'vitest';
import { send, type LibraryFilter, type LibraryItem } from '../../extension/utils/messages';
import { serverUrlItem, sessionItem } from '../../extension/utils/storage';
import type { ImportReport } from '../../shared/schemas/library';
import type { Reminder } from '../../shared/schemas/reminders';
import { apiCall, ok, uniqueEmail } from './extension-harness';

/** Steps the library tests share: an account, a second device, seeding, reading the library. */

export const PASSWORD = 'correct horse battery';

/** Signs the extension up at `url` (a server or a proxy in front of it). */
export async function signUpAt(url: string, email = uniqueEmail()) {
  await serverUrlItem.setValue(url);
  ok(await send({ type: 'signUp', email, password: PASSWORD }));
  const session = await sessionItem.getValue();
  if (!session) throw new Error('no session after sign-up');
  return session;
}

/** Another device of the same person: its own session, talking to the API directly. */
export async function secondDevice(url: string, email: string) {
  const { status, json } = await apiCall<{ token: string }>(url, null, 'POST', '/api/auth/login', {
    email,
    password: PASSWORD,
    label: 'Another laptop',
  });
  expect(status).toBe(200);
  const token = json.token;
  return {
    token,
    async get(id: string): Promise<Reminder> {
      const answer = await apiCall<{ reminder: Reminder }>(url, token, 'GET', `/api/reminders/${id}`);
      expect(answer.status).toBe(200);
      return answer.json.reminder;
    },
    async edit(id: string, patch: Record<string, unknown>): Promise<Reminder> {
      const current = await this.get(id);
      const answer = await apiCall<{ reminder: Reminder }>(
        url,
        token,
        'PATCH',
        `/api/reminders/${id}`,
        patch,
        {
          'if-match': `"${current.version}"`,
        },
      );
      expect(answer.status).toBe(200);
      return answer.json.reminder;
    },
    async create(text: string, extra: Record<string, unknown> = {}): Promise<Reminder> {
      const answer = await apiCall<{ reminder: Reminder }>(url, token, 'POST', '/api/reminders', {
        text,
        ...extra,
      });
      expect(answer.status).toBe(201);
      return answer.json.reminder;
    },
  };
}

/** Fills an account quickly through the import endpoint (a bare JSON array of reminders). */
export async function seed(url: string, token: string, entries: Array<Record<string, unknown>>) {
  const response = await fetch(`${url}/api/import?format=json`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(entries),
  });
  expect(response.status).toBe(200);
  const report = (await response.json()) as ImportReport;
  expect(report.errors).toEqual([]);
  return report;
}

/** Every item of the library for `filter`, read window by window as the popup reads it. */
export async function wholeLibrary(filter: LibraryFilter = {}, window = 200): Promise<LibraryItem[]> {
  const all: LibraryItem[] = [];
  for (let offset = 0; ; offset += window) {
    const page = ok(await send({ type: 'listLibrary', ...filter, offset, limit: window }));
    all.push(...page.items);
    if (offset + window >= page.total) {
      expect(all).toHaveLength(page.total);
      return all;
    }
  }
}

/** Every id the server finds for `q` (its search, paged to the end). */
export async function serverSearch(url: string, token: string, q: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ q, limit: '200', ...(cursor ? { cursor } : {}) });
    const page: { status: number; json: { items: Reminder[]; nextCursor: string | null } } = await apiCall(
      url,
      token,
      'GET',
      `/api/reminders?${query}`,
    );
    expect(page.status).toBe(200);
    ids.push(...page.json.items.map((r) => r.id));
    cursor = page.json.nextCursor;
  } while (cursor);
  return ids;
}
