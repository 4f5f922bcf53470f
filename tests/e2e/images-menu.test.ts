import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import {
  extensionPage,
  reminderCount,
  reminderOnServer,
  saveImageFromPage,
  signUpInPopup,
} from '../support/e2e-extension';
import { MEMBER_COOKIE, startImageSite, type ImageSite } from '../support/image-site';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

declare const chrome: any;

const SHOTS = 'test-output/e2e';

describe.runIf(inject('e2eReady'))('saving images from a real page in Chromium', () => {
  let server: TestServer;
  let site: ImageSite;
  let browser: ExtensionBrowser;
  let gallery: Page;
  let token = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Test configuration only: the server may fetch images from the loopback "other site".
    server = await startTestServer({ images: { remoteFetch: { allowLoopback: true } } });
    site = await startImageSite();
    browser = await launchWithExtension();
    token = await signUpInPopup(browser, server.url, server.url, 'images-menu@example.org');
    // Signed in to the gallery as a member, as the person browsing would be.
    await browser.context.addCookies([{ ...MEMBER_COOKIE, url: site.url }]);
    gallery = await browser.context.newPage();
    await gallery.goto(`${site.url}/gallery.html`);
    await gallery.waitForSelector('body[data-ready="yes"]');
    await browser.grantActiveTab(gallery);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
    if (server) await removeDataDir(server);
  });

  it('saves a plain <img>, and a new tab shows it from the cache at the screen-sized variant', async () => {
    const result = await saveImageFromPage(browser, gallery, '#photo');
    expect(result).toMatchObject({ ok: true, state: 'saved' });
    const reminder = await reminderOnServer(server.url, token, result.id!);
    expect(reminder).toMatchObject({
      text: 'A garden in bloom',
      sourceUrl: `${site.url}/gallery.html`,
      sourceTitle: 'A loopback gallery',
    });
    expect(reminder.image).toMatchObject({
      width: 2560,
      height: 1600,
      sourceUrl: `${site.url}/photos/Garden.jpg`,
    });

    const tab = await browser.context.newPage();
    const fromServer: string[] = [];
    tab.on('request', (request) => {
      if (request.url().startsWith(server.url)) fromServer.push(request.url());
    });
    await tab.goto('chrome://newtab/');
    // The background caches the image after the save's sync; a later tab shows it.
    await expect
      .poll(
        async () => {
          await tab.reload();
          return tab
            .getByTestId('reminder-image')
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)
            .catch(() => 0);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1280);
    const img = tab.getByTestId('reminder-image');
    expect(await img.getAttribute('src')).toMatch(/^blob:chrome-extension:/);
    expect(await img.getAttribute('data-width')).toBe('1280');
    await expect.poll(() => img.evaluate((el) => getComputedStyle(el).opacity), { timeout: 5_000 }).toBe('1');
    // Painted from the cache: the new tab itself asked the server for nothing.
    expect(fromServer).toEqual([]);
    expect(await tab.getByTestId('reminder').locator('blockquote').innerText()).toBe('A garden in bloom');
    expect(await tab.getByTestId('reminder').locator('a').getAttribute('href')).toBe(
      `${site.url}/gallery.html`,
    );
    await tab.screenshot({ path: `${SHOTS}/newtab-image.png` });

    // Offline the new tab still shows it.
    const { port, dataDir } = server;
    await server.close();
    try {
      await tab.reload();
      await expect
        .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth).catch(() => 0), {
          timeout: 5_000,
        })
        .toBe(1280);
    } finally {
      server = await startTestServer({ port, dataDir, images: { remoteFetch: { allowLoopback: true } } });
    }
    await tab.close();
  });

  it('decodes data: images (base64 PNG, URL-encoded SVG) in the extension', async () => {
    const pixel = await saveImageFromPage(browser, gallery, '#pixel');
    expect(pixel).toMatchObject({ ok: true, state: 'saved' });
    expect((await reminderOnServer(server.url, token, pixel.id!)).image).toMatchObject({
      mime: 'image/png',
      width: 1,
      height: 1,
      sourceUrl: null,
    });
    const icon = await saveImageFromPage(browser, gallery, '#icon');
    expect(icon).toMatchObject({ ok: true, state: 'saved' });
    const svg = await reminderOnServer(server.url, token, icon.id!);
    expect(svg.text).toBe('An icon');
    // Rasterised by the server, never kept as SVG.
    expect(svg.image?.mime).toBe('image/png');
    expect(svg.image?.width).toBeGreaterThanOrEqual(1024);
  });

  it('reads blob: images inside the page, also one the page released after showing it', async () => {
    // After a cold start of the service worker (an extension page wakes a new one).
    await browser.stopServiceWorker();
    const wake = await extensionPage(browser, 'popup.html');
    const blob = await saveImageFromPage(browser, gallery, '#blob');
    await wake.close();
    expect(blob).toMatchObject({ ok: true, state: 'saved' });
    expect((await reminderOnServer(server.url, token, blob.id!)).image).toMatchObject({
      mime: 'image/jpeg',
      width: 2560,
      sourceUrl: null,
    });
    const released = await saveImageFromPage(browser, gallery, '#blob-released');
    expect(released).toMatchObject({ ok: true, state: 'saved' });
    // Read from the pixels on screen (the address was gone), so re-encoded.
    expect((await reminderOnServer(server.url, token, released.id!)).image).toMatchObject({
      mime: 'image/webp',
    });
  });

  it("reads a members-only, hotlink-protected image with the page's cookie and referrer", async () => {
    const before = site.requests.length;
    const result = await saveImageFromPage(browser, gallery, '#members');
    expect(result).toMatchObject({ ok: true, state: 'saved' });
    const reminder = await reminderOnServer(server.url, token, result.id!);
    expect(reminder.image).toMatchObject({
      width: 1920,
      height: 1280,
      sourceUrl: `${site.url}/members/Storm.jpg`,
    });
    const read = site.requests.slice(before).filter((r) => r.path === '/members/Storm.jpg');
    expect(read.length).toBeGreaterThan(0);
    expect(read[0]?.headers.cookie).toContain('member=yes');
    expect(read[0]?.headers.referer).toBe(`${site.url}/gallery.html`);
  });

  it("has the server fetch another site's public image the page cannot read", async () => {
    const before = site.requests.length;
    const result = await saveImageFromPage(browser, gallery, '#elsewhere');
    expect(result).toMatchObject({ ok: true, state: 'saved' });
    const reminder = await reminderOnServer(server.url, token, result.id!);
    expect(reminder.image).toMatchObject({
      width: 1280,
      sourceUrl: `${site.otherUrl}/photos/GreenMeadow.jpg`,
    });
    // The server's fetch: no cookie, no browser.
    const fetched = site.requests.slice(before).filter((r) => r.site === 'other');
    expect(fetched.some((r) => !r.headers.cookie && !/Chrome/.test(r.headers['user-agent'] ?? ''))).toBe(
      true,
    );
  });

  it('says visibly that a revoked blob: image cannot be saved, and saves nothing', async () => {
    const count = await reminderCount(server.url, token);
    const result = await saveImageFromPage(browser, gallery, '#revoked');
    expect(result).toMatchObject({ ok: false, state: 'refused', error: { code: 'unreadable' } });
    expect(await reminderCount(server.url, token)).toBe(count);
    const worker = await browser.serviceWorker();
    expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('!');
    const stored = await worker.evaluate(() => chrome.storage.local.get('outbox'));
    expect(stored.outbox ?? []).toEqual([]);

    const popup = await extensionPage(browser, 'popup.html');
    const status = popup.getByTestId('last-save');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('refused');
    expect(await status.innerText()).toMatch(/Not saved[\s\S]*blob:/);
    await popup.screenshot({ path: `${SHOTS}/popup-image-refused.png`, fullPage: true });
    await popup.close();
    await gallery.screenshot({ path: `${SHOTS}/gallery.png` });
  });
});
