import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Reminder } from '../../shared/schemas/reminders';
import type { ExtensionBrowser } from './browser';

// The service worker's global, inside `serviceWorker.evaluate` callbacks.
declare const chrome: any;

/** Steps the image end-to-end tests share: pages of the extension, sign-up, a menu click. */

export async function extensionPage(browser: ExtensionBrowser, path: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return page;
}

/** Signs up through the real popup; returns the API token of a second session for checks. */
export async function signUpInPopup(
  browser: ExtensionBrowser,
  serverUrl: string,
  apiUrl: string,
  email: string,
) {
  const password = 'correct horse battery';
  const popup = await extensionPage(browser, 'popup.html');
  await popup.getByTestId('server-url-form').getByLabel('Server URL').fill(serverUrl);
  await popup.getByTestId('server-url-form').getByRole('button', { name: 'Save' }).click();
  await popup.getByRole('button', { name: /create an account/i }).click();
  const form = popup.getByTestId('account-form');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign up' }).click();
  // Usable in beforeAll, where expect.poll is not.
  await popup.getByText(email).first().waitFor({ timeout: 10_000 });
  await popup.close();
  const login = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`signing in again for checks failed: HTTP ${login.status}`);
  return ((await login.json()) as { token: string }).token;
}

/** The OnClickData of a right-click on the image `selector`, sent to the real handler. */
export async function saveImageFromPage(browser: ExtensionBrowser, page: Page, selector: string) {
  const srcUrl = await page.locator(selector).evaluate((img: HTMLImageElement) => img.currentSrc || img.src);
  const worker = await browser.serviceWorker();
  return worker.evaluate(
    async ({ info }) => {
      // activeTab (granted as a click grants it) lets the worker see the tab's url and title.
      const tabs: Array<{ id: number; url?: string }> = await chrome.tabs.query({});
      const tab = tabs.find((t) => t.url === info.pageUrl);
      if (!tab) throw new Error(`the tab of ${info.pageUrl} is not visible to the extension`);
      return (globalThis as any).remindme.handleMenuClick(info, tab);
    },
    {
      info: {
        menuItemId: 'remindme-save-image',
        mediaType: 'image',
        srcUrl,
        pageUrl: page.url(),
        frameId: 0,
        editable: false,
      },
    },
  ) as Promise<{
    ok: boolean;
    id: string | null;
    state: string;
    message?: string;
    error?: { code: string; message: string };
  }>;
}

export async function reminderOnServer(apiUrl: string, token: string, id: string): Promise<Reminder> {
  const res = await fetch(`${apiUrl}/api/reminders/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { reminder: Reminder }).reminder;
}

export async function reminderCount(apiUrl: string, token: string): Promise<number> {
  const res = await fetch(`${apiUrl}/api/reminders?limit=200`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { items: unknown[] }).items.length;
}
