import { browser } from 'wxt/browser';
import { captureSelection, type ClickedTab, type MenuClickInfo } from './capture';
import { reportSave } from './feedback';
import { captureImage } from './image-capture';
import { saveCapturedImage } from './image-save';
import { saveReminder, type SaveResult } from './save';

/** Menu ids are part of the extension's state in the browser: never rename one casually. */
export const MENU_SAVE_SELECTION = 'remindme-save-selection';
export const MENU_SAVE_IMAGE = 'remindme-save-image';

const MENUS = [
  { id: MENU_SAVE_SELECTION, title: 'Save to RemindMe', contexts: ['selection'] as ['selection'] },
  { id: MENU_SAVE_IMAGE, title: 'Save image to RemindMe', contexts: ['image'] as ['image'] },
];

let registering: Promise<void> = Promise.resolve();

/**
 * Menus outlive the service worker (Chrome keeps them across restarts), so creating them
 * again on every start fails with a duplicate-id error. Registration therefore removes
 * everything first, runs one at a time, and treats "already exists" as success.
 */
export function registerMenus(): Promise<void> {
  registering = registering.then(
    async () => {
      await browser.contextMenus.removeAll();
      for (const menu of MENUS) await createMenu(menu);
    },
    () => undefined,
  );
  return registering;
}

function createMenu(properties: Parameters<typeof browser.contextMenus.create>[0]): Promise<void> {
  return new Promise((resolve) => {
    browser.contextMenus.create(properties, () => {
      // Reading lastError marks it handled; a duplicate id means the menu is already there.
      const error = browser.runtime.lastError;
      if (error && !/duplicate|already exists/i.test(error.message ?? '')) {
        console.warn('RemindMe: could not create a context menu item', error.message);
      }
      resolve();
    });
  });
}

/**
 * Handles a menu click. The listener calls this, and so do end-to-end tests (through
 * `globalThis.remindme.handleMenuClick`), with the OnClickData a real click carries.
 */
export async function handleMenuClick(
  info: MenuClickInfo,
  tab: ClickedTab | undefined,
): Promise<SaveResult | null> {
  if (info.menuItemId === MENU_SAVE_IMAGE) {
    const captured = await captureImage(info, tab);
    return saveCapturedImage(captured, { pageUrl: info.pageUrl ?? tab?.url ?? null });
  }
  if (info.menuItemId !== MENU_SAVE_SELECTION) return null;
  const { text, title } = await captureSelection(info, tab);
  if (!text.trim()) {
    const message =
      'Nothing selected could be read on this page. Select the text again, or copy it into the RemindMe popup.';
    await reportSave('refused', { text: '', message, reminderId: null });
    return {
      ok: false,
      id: null,
      state: 'refused',
      error: { code: 'nothing_selected', message, fields: {} },
    };
  }
  return saveReminder({
    text,
    sourceUrl: info.pageUrl ?? tab?.url ?? null,
    sourceTitle: title,
  });
}
