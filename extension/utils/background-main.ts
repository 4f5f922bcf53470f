import { browser } from 'wxt/browser';
import { refreshBadge } from './feedback';
import { handleMenuClick, registerMenus } from './context-menu';
import { onPrefetchRequested } from './image-cache';
import { prefetchImages } from './image-prefetch';
import { recomputeNextUp } from './next-up';
import { flushOutbox, OUTBOX_ALARM, sweepPendingBytes } from './outbox';
import { handleMessage, SYNC_STALE_MS } from './router';
import { syncIfStale, syncNow } from './sync';

export const SYNC_ALARM = 'remindme-sync';
const SYNC_PERIOD_MINUTES = 15;

/**
 * Hooks for end-to-end tests, which cannot click a native context menu. From Playwright:
 *
 *   await serviceWorker.evaluate(({ info, tab }) => globalThis.remindme.handleMenuClick(info, tab),
 *     { info: { menuItemId: 'remindme-save-selection', selectionText, pageUrl, frameId: 0 }, tab });
 *
 * `handleMenuClick` is exactly what the `contextMenus.onClicked` listener calls; it resolves
 * to the SaveResult. `flushOutbox()` sends queued saves now, ignoring backoff;
 * `syncNow()` pulls changes and recomputes the new tab's next reminder;
 * `prefetchImages()` fills the new tab's image cache now.
 */
export interface RemindMeHooks {
  handleMenuClick: typeof handleMenuClick;
  flushOutbox: () => ReturnType<typeof flushOutbox>;
  syncNow: () => ReturnType<typeof syncNow>;
  prefetchImages: () => ReturnType<typeof prefetchImages>;
}

declare global {
  var remindme: RemindMeHooks | undefined;
}

function logFailure(error: unknown): void {
  console.error('RemindMe background:', error);
}

async function syncAndRepaint(): Promise<Awaited<ReturnType<typeof syncNow>>> {
  const result = await syncNow();
  await recomputeNextUp();
  await prefetchImages();
  return result;
}

async function ensureSyncAlarm(): Promise<void> {
  // Alarms may not survive a browser restart; creating one again would reset its period.
  if (!(await browser.alarms.get(SYNC_ALARM))) {
    await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
  }
}

/**
 * Every listener is added synchronously, before the first `await`: when the browser starts
 * a stopped worker to deliver an event (a menu click after a cold start), only listeners
 * registered in that first turn receive it.
 */
export function startBackground(): Promise<void> {
  onPrefetchRequested(() => {
    prefetchImages().catch(logFailure);
  });

  browser.contextMenus.onClicked.addListener((info, tab) => {
    handleMenuClick(info, tab).catch(logFailure);
  });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const answer = handleMessage(message, sender);
    // Chrome waits for sendResponse after `return true`; WXT's fake browser and Firefox
    // also accept the promise itself.
    if (typeof sendResponse === 'function') {
      answer.then(sendResponse, logFailure);
      return true;
    }
    return answer;
  });

  browser.runtime.onInstalled.addListener(() => {
    registerMenus().catch(logFailure);
    ensureSyncAlarm().catch(logFailure);
  });

  browser.runtime.onStartup.addListener(() => {
    registerMenus().catch(logFailure);
    syncAndRepaint().catch(logFailure);
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) flushOutbox().catch(logFailure);
    if (alarm.name === SYNC_ALARM) {
      flushOutbox().then(syncAndRepaint).catch(logFailure);
    }
  });

  // Connectivity came back: whatever waited can go now.
  globalThis.addEventListener?.('online', () => {
    flushOutbox({ force: true }).then(syncAndRepaint).catch(logFailure);
  });

  globalThis.remindme = {
    handleMenuClick,
    flushOutbox: () => flushOutbox({ force: true }),
    syncNow: syncAndRepaint,
    prefetchImages,
  };

  // Work for every start of the worker, however it was woken. Returned so tests can wait.
  return (async () => {
    await ensureSyncAlarm();
    await refreshBadge();
    await sweepPendingBytes().catch(logFailure);
    await flushOutbox();
    await syncIfStale(SYNC_STALE_MS);
    await recomputeNextUp();
  })().catch(logFailure);
}
