import { browser } from 'wxt/browser';

/**
 * Reads what the person selected. `info.selectionText` from the context menu has its line
 * breaks collapsed to spaces, so the selection is read inside the clicked frame instead
 * (the menu click grants `activeTab`), where `Selection.toString()` keeps paragraph breaks.
 * Pages where no script may run (the Web Store, PDF viewer, other extensions, cross-origin
 * frames) fall back to `selectionText`.
 */

export interface MenuClickInfo {
  menuItemId: string | number;
  selectionText?: string;
  pageUrl?: string;
  frameUrl?: string;
  frameId?: number;
  srcUrl?: string;
}

export interface ClickedTab {
  id?: number;
  url?: string;
  title?: string;
}

export interface Capture {
  text: string;
  /** The page's title, when the page could be read (the menu's tab may not carry it). */
  title: string | null;
}

/**
 * Runs in the page, serialised by the browser: it must not use anything from this module.
 * Inputs and textareas keep their selection outside `getSelection()`.
 */
function readSelectionInPage(): Capture {
  const title = document.title || null;
  const active = document.activeElement;
  if (active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement) {
    const { selectionStart, selectionEnd, value } = active;
    if (selectionStart !== null && selectionEnd !== null && selectionEnd > selectionStart) {
      return { text: value.slice(selectionStart, selectionEnd), title };
    }
  }
  return { text: window.getSelection()?.toString() ?? '', title };
}

export async function captureSelection(info: MenuClickInfo, tab: ClickedTab | undefined): Promise<Capture> {
  const fallback: Capture = { text: info.selectionText ?? '', title: tab?.title ?? null };
  if (tab?.id === undefined || tab.id < 0) return fallback;
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId: tab.id, frameIds: [info.frameId ?? 0] },
      func: readSelectionInPage,
    });
    const page = result?.result;
    if (!page || typeof page.text !== 'string' || !page.text.trim()) return fallback;
    // A frame's own title is not the page's: prefer the tab's title when there is one.
    return { text: page.text, title: tab.title ?? (typeof page.title === 'string' ? page.title : null) };
  } catch {
    return fallback;
  }
}
