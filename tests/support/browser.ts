import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const EXTENSION_DIR = resolve('.output/chrome-mv3');

export type ExtensionBrowser = {
  context: BrowserContext;
  extensionId: string;
  /** The current service worker (a new one after a cold start). */
  serviceWorker(): Promise<Worker>;
  /** Stops the extension's service worker, as Chrome does after 30 s idle. */
  stopServiceWorker(): Promise<void>;
  /**
   * Gives the extension `activeTab` on `page`, as a real context-menu click does (a click
   * on the toolbar button, through CDP: headless Chromium has no menu to click).
   */
  grantActiveTab(page: Page): Promise<void>;
  close(): Promise<void>;
};

/** Debian's Chromium, headless, with the built extension loaded into a throwaway profile. */
export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'remindme-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless=new',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Lets CDP press the extension's toolbar button (Extensions.triggerAction), which
      // grants activeTab like the context-menu click it stands in for.
      '--enable-unsafe-extension-debugging',
    ],
  });

  const liveWorker = async (): Promise<Worker> => {
    for (const w of context.serviceWorkers().reverse()) {
      try {
        await w.evaluate(() => 1);
        return w;
      } catch {
        // a stopped worker may still be listed
      }
    }
    return context.waitForEvent('serviceworker', { timeout: 15_000 });
  };
  const first = await liveWorker();
  const extensionId = new URL(first.url()).host;

  return {
    context,
    extensionId,
    serviceWorker: liveWorker,
    async stopServiceWorker() {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    async grantActiveTab(page) {
      const browser = context.browser();
      if (!browser) throw new Error('no browser-level CDP session for this context');
      const cdp = await browser.newBrowserCDPSession();
      try {
        const { targetInfos } = (await cdp.send('Target.getTargets', {
          filter: [{ type: 'tab' }],
        } as never)) as {
          targetInfos: Array<{ targetId: string; url: string }>;
        };
        const tab = targetInfos.find((t) => t.url === page.url());
        if (!tab) throw new Error(`no tab target for ${page.url()}`);
        await cdp.send(
          'Extensions.triggerAction' as never,
          { id: extensionId, targetId: tab.targetId } as never,
        );
      } finally {
        await cdp.detach();
      }
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
