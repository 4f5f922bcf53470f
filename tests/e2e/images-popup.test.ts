import { mkdir, stat } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { extensionPage, reminderOnServer, signUpInPopup } from '../support/e2e-extension';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';
import { startThrottlingProxy } from '../support/proxy';

const SHOTS = 'test-output/e2e';
// 8.5 MB, 3840 × 2160: big enough that an upload over a 4 MB/s link takes a couple of seconds.
const BIG_PHOTO = '/usr/share/backgrounds/mate/abstract/Elephants_3840x2160.jpg';
const SMALL_PHOTO = '/usr/share/backgrounds/mate/nature/FreshFlower.jpg';

/** Records every value the page's upload progress bar takes, from before it appears. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Array<{ value: number; max: number }> = [];
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    const note = (el: Element) => {
      if (el instanceof HTMLProgressElement) seen.push({ value: el.value, max: el.max });
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') note(record.target as Element);
        for (const node of record.addedNodes) {
          if (node instanceof Element) node.querySelectorAll('progress').forEach(note);
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['value', 'max'],
    });
  });
}

const progressSeen = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { progressSeen: Array<{ value: number; max: number }> }).progressSeen,
  );

describe.runIf(inject('e2eReady'))('attaching images in the popup in Chromium', () => {
  let server: TestServer;
  let link: { url: string; close(): Promise<void> };
  let browser: ExtensionBrowser;
  let token = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer();
    link = await startThrottlingProxy(server.url, 4_000_000);
    browser = await launchWithExtension();
    // The extension reaches the server over the slow link; the test checks it directly.
    token = await signUpInPopup(browser, link.url, server.url, 'images-popup@example.org');
  });

  afterAll(async () => {
    await browser?.close();
    await link?.close();
    await server?.close();
    if (server) await removeDataDir(server);
  });

  it('uploads a chosen photo with a real progress bar, then saves the reminder with it', async () => {
    const popup = await extensionPage(browser, 'popup.html');
    const form = popup.getByTestId('quick-add');
    await form.getByLabel('Quick add').fill('Elephants never forget');
    // What the file picker would hand over (Chrome's popup keeps its picker open).
    await form.getByTestId('image-file').setInputFiles(BIG_PHOTO);
    await expect
      .poll(() => form.getByTestId('image-preview').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(3840);

    await recordProgress(popup);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('[data-phase="uploading"]').waitFor({ timeout: 10_000 });
    await popup.screenshot({ path: `${SHOTS}/popup-uploading.png` });
    await expect
      .poll(() => form.getByRole('status').allInnerTexts(), { timeout: 30_000 })
      .toContain('Saved to RemindMe.');

    const seen = await progressSeen(popup);
    const size = (await stat(BIG_PHOTO)).size;
    const partway = seen.filter((p) => p.value > 0 && p.value < p.max);
    // Several real steps in between, never going back, ending full.
    expect(partway.length).toBeGreaterThanOrEqual(2);
    expect(new Set(partway.map((p) => p.value)).size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.value).toBeGreaterThanOrEqual(seen[i - 1]!.value);
    expect(seen.at(-1)?.value).toBe(seen.at(-1)?.max);
    expect(seen.some((p) => p.max >= size)).toBe(true);
    await popup.screenshot({ path: `${SHOTS}/popup-upload.png`, fullPage: true });

    const list = await fetch(`${server.url}/api/reminders?limit=10`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const [saved] = ((await list.json()) as { items: Array<{ id: string }> }).items;
    const reminder = await reminderOnServer(server.url, token, saved!.id);
    expect(reminder).toMatchObject({ text: 'Elephants never forget', image: { width: 3840, height: 2160 } });
    await popup.close();
  });

  it('refuses a file that is not an image at once, before anything is stored or sent', async () => {
    const popup = await extensionPage(browser, 'popup.html');
    const form = popup.getByTestId('quick-add');
    await form.getByTestId('image-file').setInputFiles({
      name: 'notes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 not an image'),
    });
    await expect
      .poll(() => form.getByRole('alert').allInnerTexts())
      .toContain('This is not a supported image. Use a JPEG, PNG, WebP, GIF, AVIF or SVG file.');
    expect(await form.getByTestId('image-preview').count()).toBe(0);
    await popup.close();
  });

  it('takes an image pasted or dropped into the form', async () => {
    const popup = await extensionPage(browser, 'popup.html');
    const form = popup.getByTestId('quick-add');
    const hand = (kind: 'paste' | 'drop') =>
      popup.evaluate(async (how) => {
        const bytes = await (await fetch('/icon/128.png')).arrayBuffer();
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'icon.png', { type: 'image/png' }));
        const target =
          how === 'paste'
            ? document.querySelector('[data-testid="quick-add"] textarea')
            : document.querySelector('[data-testid="image-picker"]');
        target?.dispatchEvent(
          how === 'paste'
            ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
            : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      }, kind);
    await hand('paste');
    await expect
      .poll(() => form.getByTestId('image-preview').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(128);
    await form.getByRole('button', { name: 'Remove' }).click();
    expect(await form.getByTestId('image-preview').count()).toBe(0);
    await hand('drop');
    await expect
      .poll(() => form.getByTestId('image-preview').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(128);
    await popup.close();
  });

  it('attaches, replaces and removes the image of a reminder in the list', async () => {
    const popup = await extensionPage(browser, 'popup.html');
    const form = popup.getByTestId('quick-add');
    await form.getByLabel('Quick add').fill('Needs a picture');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => form.getByRole('status').allInnerTexts(), { timeout: 15_000 })
      .toContain('Saved to RemindMe.');

    // The library lists it; its editor holds the image controls.
    const row = popup.getByTestId('library-list').locator('li', { hasText: 'Needs a picture' });
    const openEditor = async () => {
      await row.getByText('Needs a picture').click();
      return popup.getByTestId('reminder-editor');
    };
    await row.waitFor({ timeout: 10_000 });
    const id = await row.getAttribute('data-id');
    let editor = await openEditor();
    await editor.getByRole('button', { name: 'Add image…' }).click();
    const images = editor.getByTestId('image-editor');
    await images.getByTestId('image-file').setInputFiles(SMALL_PHOTO);
    await images.getByRole('button', { name: 'Attach image' }).click();
    await expect
      .poll(() => images.getByRole('status').allInnerTexts(), { timeout: 15_000 })
      .toContain('Image attached.');
    const attached = await reminderOnServer(server.url, token, id!);
    expect(attached.image).toMatchObject({ width: 1600 });
    await editor.getByTestId('editor-cancel').click();
    // The list shows it (a small size, loaded), never a broken image.
    await expect
      .poll(
        () =>
          row
            .locator('img.thumb')
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)
            .catch(() => 0),
        {
          timeout: 10_000,
        },
      )
      .toBe(640);

    editor = await openEditor();
    await editor.getByRole('button', { name: 'Change image…' }).click();
    await editor.getByTestId('image-editor').getByTestId('image-file').setInputFiles(BIG_PHOTO);
    await editor.getByTestId('image-editor').getByRole('button', { name: 'Replace image' }).click();
    await expect
      .poll(async () => (await reminderOnServer(server.url, token, id!)).image?.width, { timeout: 30_000 })
      .toBe(3840);
    await editor.getByTestId('editor-cancel').click();

    editor = await openEditor();
    await expect
      .poll(() => editor.getByRole('button', { name: 'Change image…' }).count(), { timeout: 10_000 })
      .toBe(1);
    await editor.getByRole('button', { name: 'Change image…' }).click();
    await editor.getByTestId('image-editor').getByRole('button', { name: 'Remove image' }).click();
    await expect
      .poll(async () => (await reminderOnServer(server.url, token, id!)).imageId, { timeout: 15_000 })
      .toBeNull();
    await popup.close();
  });

  it("attaches an image in the attach page, the tab Firefox's popup hands its file picker to", async () => {
    const popup = await extensionPage(browser, 'popup.html');
    const form = popup.getByTestId('quick-add');
    await form.getByLabel('Quick add').fill('Chosen in a tab');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => form.getByRole('status').allInnerTexts(), { timeout: 15_000 })
      .toContain('Saved to RemindMe.');
    const id = await popup
      .getByTestId('library-list')
      .locator('li', { hasText: 'Chosen in a tab' })
      .getAttribute('data-id', { timeout: 10_000 });
    await popup.close();

    const tab = await extensionPage(browser, `attach.html?reminder=${id}`);
    await tab.getByText('Chosen in a tab').first().waitFor({ timeout: 10_000 });
    const editor = tab.getByTestId('image-editor');
    await editor.getByTestId('image-file').setInputFiles(SMALL_PHOTO);
    await editor.getByRole('button', { name: 'Attach image' }).click();
    await expect
      .poll(() => tab.getByText('Done. You can close this tab.').count(), { timeout: 15_000 })
      .toBe(1);
    expect((await reminderOnServer(server.url, token, id!)).image).toMatchObject({ width: 1600 });
    await tab.screenshot({ path: `${SHOTS}/attach-page.png` });
    await tab.close();
  });
});
