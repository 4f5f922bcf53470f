import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseFortunes } from '../../server/import/fortune';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { fortuneFile } from '../support/fortunes';
import { serveDirectory } from '../support/static-server';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

// The service worker's global, inside `serviceWorker.evaluate` callbacks.
declare const chrome: any;

const SHOTS = 'test-output/e2e';
const DOCS = '/usr/share/doc/python3.11/html';
const MENU_ID = 'remindme-save-selection';
const email = 'e2e-person@example.org';
const password = 'correct horse battery';

describe.runIf(inject('e2eReady'))('walking skeleton in Chromium', () => {
  const wisdom = fortuneFile('wisdom');
  let server: TestServer;
  let pages: { url: string; close(): Promise<void> };
  let browser: ExtensionBrowser;
  let token = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer();
    pages = await serveDirectory(DOCS);
    browser = await launchWithExtension();
  });

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await server?.close();
    if (server) await removeDataDir(server);
  });

  const extensionPage = async (path: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
    return page;
  };

  /** Selects from the start of the first to the end of the second paragraph of `article`. */
  async function selectTwoParagraphs(page: Page, first: number): Promise<string> {
    return page.evaluate((index) => {
      const paragraphs = document.querySelectorAll('div.body p');
      const range = document.createRange();
      range.setStartBefore(paragraphs[index]!);
      range.setEndAfter(paragraphs[index + 1]!);
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    }, first);
  }

  /** What a real right-click on the selection sends to the background's onClicked listener. */
  async function clickSaveSelection(page: Page, selectionText: string) {
    const worker = await browser.serviceWorker();
    // Without a user gesture Chrome hides the tab's url and title from the worker; a real
    // click delivers them, so the test passes them the same way.
    return worker.evaluate(
      async ({ info, title }) => {
        const tabs: { id: number; index: number }[] = await chrome.tabs.query({});
        const found = await Promise.all(tabs.map((t) => chrome.tabs.get(t.id)));
        const tab =
          found.find(
            (t: { url?: string; pendingUrl?: string }) => (t.url ?? t.pendingUrl) === info.pageUrl,
          ) ?? found.at(-1);
        return (globalThis as any).remindme.handleMenuClick(info, { ...tab, url: info.pageUrl, title });
      },
      {
        info: { menuItemId: MENU_ID, selectionText, pageUrl: page.url(), frameId: 0, editable: false },
        title: await page.title(),
      },
    );
  }

  async function findByText(text: string): Promise<{ id: string; text: string }[]> {
    const res = await fetch(
      `${server.url}/api/reminders?limit=200&q=${encodeURIComponent(text.slice(0, 40))}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    return ((await res.json()) as { items: { id: string; text: string }[] }).items;
  }

  it('shows the signed-out state on a new tab before anyone signs in', async () => {
    const tab = await browser.context.newPage();
    await tab.goto('chrome://newtab/');
    await expect.poll(() => tab.getByTestId('signed-out-state').count(), { timeout: 10_000 }).toBe(1);
    expect(await tab.getByTestId('signed-out-state').innerText()).toMatch(/not signed in/i);
    await tab.close();
  });

  it('signs up through the popup', async () => {
    const popup = await extensionPage('popup.html');
    const urlField = popup.getByTestId('server-url-form').getByLabel('Server URL');
    await urlField.fill(server.url);
    await popup.getByTestId('server-url-form').getByRole('button', { name: 'Save' }).click();
    await popup.getByRole('button', { name: /create an account/i }).click();
    const form = popup.getByTestId('account-form');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => popup.getByText(email).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await popup.close();

    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { token: string }).token;
  });

  it('shows the empty state, explaining how to save a first reminder, while I have none', async () => {
    const random = await fetch(`${server.url}/api/reminders/random`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(random.status).toBe(404);
    expect(((await random.json()) as { error: { code: string } }).error.code).toBe('no_reminders');
    const tab = await browser.context.newPage();
    await tab.goto('chrome://newtab/');
    await expect.poll(() => tab.getByTestId('empty-state').count(), { timeout: 10_000 }).toBe(1);
    expect(await tab.getByTestId('empty-state').innerText()).toContain('Save to RemindMe');
    await tab.screenshot({ path: `${SHOTS}/newtab-empty.png` });
    await tab.close();
  });

  it.runIf(wisdom)('shows one of the imported Debian fortunes on a new tab', async () => {
    const sayings = parseFortunes(await readFile(wisdom!, 'utf8'));
    await promisify(execFile)(
      'node',
      ['bin/remindme.js', 'import', '--format', 'fortune', '--user', email, wisdom!],
      {
        env: { ...process.env, DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
      },
    );

    const tab = await browser.context.newPage();
    await tab.goto('chrome://newtab/');
    // The first tab after an import may paint the empty cache; it asks the background to
    // sync, so a following tab shows a saying.
    await expect
      .poll(
        async () => {
          await tab.reload();
          return tab.getByTestId('reminder').count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    const shown = await tab.getByTestId('reminder').locator('blockquote').innerText();
    expect(sayings.map((s) => s.text.replace(/\s+/g, ' '))).toContain(shown.replace(/\s+/g, ' ').trim());
    expect(await tab.getByTestId('reminder').locator('blockquote').getAttribute('dir')).toBe('auto');
    await tab.screenshot({ path: `${SHOTS}/newtab.png` });
    await tab.close();
  });

  it('saves a selection from a real page after the service worker was stopped, and lists it in the popup', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${pages.url}/tutorial/appetite.html`);
    const selected = await selectTwoParagraphs(page, 0);
    expect(selected).toContain('\n');
    // What the right-click grants: activeTab on the page (pressed while it is the active tab).
    await browser.grantActiveTab(page);

    await browser.stopServiceWorker();
    // Opening the popup wakes a fresh worker, as the menu click itself would.
    const popup = await extensionPage('popup.html');
    // Chrome's own selectionText joins lines with spaces; the background re-reads the
    // selection from the page, which activeTab (granted by the click, above) allows.
    await clickSaveSelection(page, selected.replace(/\s+/g, ' ').trim());

    await expect
      .poll(async () => (await findByText(selected.replace(/\s+/g, ' ').trim())).length, { timeout: 15_000 })
      .toBe(1);
    const [saved] = await findByText(selected.replace(/\s+/g, ' ').trim());
    const full = await fetch(`${server.url}/api/reminders/${saved!.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const reminder = (
      (await full.json()) as { reminder: { text: string; sourceUrl: string; sourceTitle: string } }
    ).reminder;
    // The paragraphs stay paragraphs: the page's own selection keeps its line breaks.
    expect(reminder.text).toBe(selected.trim());
    expect(reminder.text).toContain('\n');
    expect(reminder.sourceUrl).toBe(page.url());
    expect(reminder.sourceTitle).toBe(await page.title());

    await popup.reload();
    await expect
      .poll(() => popup.getByText(saved!.text.slice(0, 60)).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await popup.screenshot({ path: `${SHOTS}/popup.png`, fullPage: true });
    await popup.close();
    await page.close();
  });

  it('keeps a save made while the server is down and delivers it exactly once when it returns', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${pages.url}/tutorial/interpreter.html`);
    const selected = (await selectTwoParagraphs(page, 0)).replace(/\s+/g, ' ').trim();

    const { port, dataDir } = server;
    await server.close();
    await clickSaveSelection(page, selected);
    const worker = await browser.serviceWorker();
    const badge = await worker.evaluate(() => chrome.action.getBadgeText({}));
    expect(badge).not.toBe('');
    const queued = await worker.evaluate(
      async () => (await chrome.storage.local.get(null)) as Record<string, unknown>,
    );
    expect(JSON.stringify(queued)).toContain(selected.slice(0, 40).replace(/"/g, '\\"'));

    server = await startTestServer({ port, dataDir });
    await worker.evaluate(() => (globalThis as any).remindme.flushOutbox());
    await worker.evaluate(() => (globalThis as any).remindme.flushOutbox());
    await expect.poll(async () => (await findByText(selected)).length, { timeout: 15_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await findByText(selected)).toHaveLength(1);
    await page.close();
  });
});
