import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Reminder } from '../../shared/schemas/reminders';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { extensionPage, reminderOnServer, signUpInPopup } from '../support/e2e-extension';
import { fortuneFile } from '../support/fortunes';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

const SHOTS = 'test-output/e2e';

/** Records every progress value the import bar shows, as the person would see it. */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const seen: Array<[number, number]> = [];
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="import-progress"] progress[max]');
      if (bar instanceof HTMLProgressElement) {
        const last = seen.at(-1);
        if (!last || last[0] !== bar.value || last[1] !== bar.max) seen.push([bar.value, bar.max]);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  return () =>
    page.evaluate(() => (window as unknown as { progressSeen: Array<[number, number]> }).progressSeen);
}

async function importInOptions(options: Page, path: string, format: string) {
  await options.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => options.getByTestId('import-format').inputValue()).toBe(format);
  await options.getByRole('button', { name: 'Preview' }).click();
  const report = options.getByTestId('import-report');
  await report.waitFor({ timeout: 30_000 });
  expect(await report.getAttribute('data-dry-run')).toBe('true');
  return report;
}

describe.runIf(inject('e2eReady'))('the library in Chromium', () => {
  const wisdom = fortuneFile('wisdom');
  const chinese = fortuneFile('chinese', 'fortunes-zh');
  let server: TestServer;
  let browser: ExtensionBrowser;
  let token = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer();
    browser = await launchWithExtension();
    token = await signUpInPopup(browser, server.url, server.url, 'library-e2e@example.org');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (server) await removeDataDir(server);
  });

  /** How many live reminders the server has for me (every page of the sync feed). */
  const count = async () => {
    let live = 0;
    let since = '0';
    for (;;) {
      const res = await fetch(`${server.url}/api/sync?limit=1000&since=${since}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await res.json()) as { changes: Reminder[]; cursor: string; hasMore: boolean };
      live += page.changes.filter((r) => !r.deletedAt).length;
      if (!page.hasMore) return live;
      since = page.cursor;
    }
  };

  it.runIf(wisdom && chinese)(
    'imports real fortune files from the options page: a preview first, then the import with its progress',
    async () => {
      const options = await extensionPage(browser, 'options.html');
      const preview = await importInOptions(options, wisdom ?? '', 'fortune');
      const wouldAdd = Number((await preview.locator('strong').first().innerText()).replace(/\D/g, ''));
      expect(wouldAdd).toBeGreaterThan(300);
      expect(await options.getByText('First 20 that would be added').count()).toBe(1);
      await options.screenshot({ path: `${SHOTS}/options-import-preview.png`, fullPage: true });
      expect(await count()).toBe(0);
      await options.getByRole('button', { name: `Import ${wouldAdd} reminders` }).click();
      await expect
        .poll(() => options.getByTestId('import-report').getAttribute('data-dry-run'), { timeout: 30_000 })
        .toBe('false');
      expect(await options.getByTestId('import-report').locator('strong').first().innerText()).toBe(
        `Added ${wouldAdd} reminders`,
      );
      expect(await count()).toBe(wouldAdd);

      // A large file (Debian's Chinese collection, 2 MB): the bar moves as the server writes.
      await importInOptions(options, chinese ?? '', 'fortune');
      const seen = await watchProgress(options);
      const button = options.getByRole('button', { name: /^Import [\d,]+ reminders$/ });
      const label = await button.innerText();
      await button.click();
      await options.getByTestId('import-progress').waitFor({ timeout: 30_000 });
      await options.screenshot({ path: `${SHOTS}/options-import-progress.png`, fullPage: true });
      await expect
        .poll(() => options.getByTestId('import-report').getAttribute('data-dry-run'), { timeout: 60_000 })
        .toBe('false');
      const values = await seen();
      const total = values.at(-1)?.[1] ?? 0;
      expect(total).toBeGreaterThan(4_000);
      expect(values.map(([done]) => done)).toEqual([...values.map(([done]) => done)].sort((a, b) => a - b));
      expect(new Set(values.map(([done]) => done)).size).toBeGreaterThan(2);
      expect(values.some(([done]) => done > 0 && done < total)).toBe(true);
      const added = Number(label.replace(/\D/g, ''));
      await options.screenshot({ path: `${SHOTS}/options-import-done.png`, fullPage: true });
      expect(await count()).toBe(wouldAdd + added);

      // Importing the same file again adds nothing: the preview says they are all there.
      const again = await importInOptions(options, wisdom ?? '', 'fortune');
      expect(await again.locator('strong').first().innerText()).toBe('Would add 0 reminders');
      expect(await again.getByTestId('import-duplicates').innerText()).toMatch(new RegExp(`^${wouldAdd} `));
      await options.close();
    },
    120_000,
  );

  it.runIf(wisdom && chinese)(
    'finds a reminder by search in the popup, edits it, deletes it and undoes that',
    async () => {
      const popup = await extensionPage(browser, 'popup.html');
      const list = popup.getByTestId('library-list');
      // The whole collection arrives with the sync that followed the import.
      await expect
        .poll(async () => Number(await list.getAttribute('data-total')), { timeout: 30_000 })
        .toBe(await count());

      const search = popup.getByTestId('library-search');
      // Typed letter by letter: results follow as the person types ("seren" already finds it).
      await search.pressSequentially('serenity', { delay: 60 });
      await expect
        .poll(
          async () => (await list.locator('li .text').allInnerTexts()).some((t) => t.includes('serenity')),
          {
            timeout: 10_000,
          },
        )
        .toBe(true);
      expect(Number(await list.getAttribute('data-total'))).toBe(1);
      const row = list.locator('li', { hasText: 'serenity' }).first();
      const id = (await row.getAttribute('data-id')) ?? '';
      expect(id).not.toBe('');
      await popup.screenshot({ path: `${SHOTS}/popup-library-search.png`, fullPage: true });

      // Chinese has no spaces: any part of a sentence finds it.
      await search.fill('礼貌');
      await expect
        .poll(async () => (await list.locator('li .text').allInnerTexts()).every((t) => t.includes('礼貌')), {
          timeout: 10_000,
        })
        .toBe(true);
      expect(Number(await list.getAttribute('data-total'))).toBeGreaterThan(0);
      await popup.screenshot({ path: `${SHOTS}/popup-library-search-zh.png`, fullPage: true });
      await search.fill('serenity');
      await row.waitFor({ timeout: 10_000 });

      // Edit: the text, the author and its visibility.
      await row.locator('.open').click();
      const editor = popup.getByTestId('reminder-editor');
      await editor.getByLabel('Text').fill('The serenity to accept what I cannot change, edited.');
      await editor.getByLabel('Author').fill('Edited in the popup');
      await editor.getByLabel('Public (on my page)').check();
      await popup.screenshot({ path: `${SHOTS}/popup-library-edit.png`, fullPage: true });
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => popup.getByRole('status').allInnerTexts(), { timeout: 10_000 })
        .toContain('Saved.');
      const edited = await reminderOnServer(server.url, token, id);
      expect(edited).toMatchObject({
        text: 'The serenity to accept what I cannot change, edited.',
        author: 'Edited in the popup',
        visibility: 'public',
        version: 2,
      });
      await expect
        .poll(() => list.locator(`li[data-id="${id}"] .text`).innerText(), { timeout: 10_000 })
        .toBe('The serenity to accept what I cannot change, edited.');

      // Delete, then undo from the toast.
      await list.locator(`li[data-id="${id}"]`).getByRole('button', { name: 'Delete' }).click();
      const toast = popup.getByTestId('undo-toast');
      await toast.waitFor({ timeout: 5_000 });
      await expect.poll(() => list.locator(`li[data-id="${id}"]`).count(), { timeout: 5_000 }).toBe(0);
      await expect
        .poll(
          async () =>
            (
              await fetch(`${server.url}/api/reminders/${id}`, {
                headers: { authorization: `Bearer ${token}` },
              })
            ).status,
          {
            timeout: 10_000,
          },
        )
        .toBe(404);
      await popup.screenshot({ path: `${SHOTS}/popup-library-undo.png`, fullPage: true });
      await toast.getByRole('button', { name: 'Undo' }).click();
      await list.locator(`li[data-id="${id}"]`).waitFor({ timeout: 10_000 });
      expect(await reminderOnServer(server.url, token, id)).toMatchObject({
        deletedAt: null,
        author: 'Edited in the popup',
      });

      // Deleted for real this time: the trash lists it, with Restore.
      await list.locator(`li[data-id="${id}"]`).getByRole('button', { name: 'Delete' }).click();
      await popup.getByTestId('undo-toast').getByRole('button', { name: 'Dismiss' }).click();
      await popup.getByRole('button', { name: 'Trash' }).click();
      const trash = popup.getByTestId('trash-view');
      await trash.locator(`li[data-id="${id}"]`).waitFor({ timeout: 10_000 });
      await popup.screenshot({ path: `${SHOTS}/popup-trash.png`, fullPage: true });
      await trash.locator(`li[data-id="${id}"]`).getByRole('button', { name: 'Restore' }).click();
      await expect
        .poll(() => trash.getByRole('status').allInnerTexts(), { timeout: 10_000 })
        .toContain('Restored.');
      expect((await reminderOnServer(server.url, token, id)).deletedAt).toBeNull();
      await popup.close();
    },
    90_000,
  );

  it('shows both versions when another device changed the same reminder, and keeps mine when I choose it', async () => {
    const created = await fetch(`${server.url}/api/reminders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'A saying both devices will edit' }),
    });
    const { reminder } = (await created.json()) as { reminder: Reminder };
    const popup = await extensionPage(browser, 'popup.html');
    await popup.getByTestId('library-search').fill('both devices will edit');
    const row = popup.getByTestId('library-list').locator(`li[data-id="${reminder.id}"]`);
    await row.waitFor({ timeout: 30_000 });

    // Meanwhile, on the other device (this popup still shows version 1):
    const other = await fetch(`${server.url}/api/reminders/${reminder.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ text: 'Changed on the laptop' }),
    });
    expect(other.status).toBe(200);

    await row.locator('.open').click();
    const editor = popup.getByTestId('reminder-editor');
    await editor.getByLabel('Text').fill('Changed in this browser');
    await editor.getByRole('button', { name: 'Save' }).click();
    const conflict = popup.getByTestId('conflict-view');
    await conflict.waitFor({ timeout: 10_000 });
    const cell = (side: string) => conflict.locator(`tr.differs td[data-side="${side}"]`).first().innerText();
    await expect.poll(() => cell('mine'), { timeout: 10_000 }).toBe('Changed in this browser');
    expect(await cell('theirs')).toBe('Changed on the laptop');
    expect((await reminderOnServer(server.url, token, reminder.id)).text).toBe('Changed on the laptop');
    await popup.screenshot({ path: `${SHOTS}/popup-conflict.png`, fullPage: true });

    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await expect
      .poll(() => popup.getByRole('status').allInnerTexts(), { timeout: 10_000 })
      .toContain('Kept your version.');
    expect(await reminderOnServer(server.url, token, reminder.id)).toMatchObject({
      text: 'Changed in this browser',
      version: 3,
    });
    await popup.close();
  }, 60_000);
});
