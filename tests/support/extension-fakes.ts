import { fakeBrowser } from 'wxt/testing/fake-browser';

/**
 * In-memory stand-ins for the two APIs WXT's fake browser does not implement, written to
 * behave like Chrome where it matters: `contextMenus.create` with an id that already
 * exists reports "Cannot create item with duplicate id …" through `runtime.lastError`
 * during the callback, and an error nobody reads is an "Unchecked runtime.lastError".
 */

type CreateProperties = { id?: string; title?: string; contexts?: string[] };
type Listener = (...args: any[]) => unknown;

export interface FakeContextMenus {
  items: Map<string, CreateProperties>;
  uncheckedErrors: string[];
  click(info: Record<string, unknown>, tab?: Record<string, unknown>): Promise<void>;
}

let lastError: { message: string } | undefined;
let lastErrorRead = false;

function defineLastError(): void {
  Object.defineProperty(fakeBrowser.runtime, 'lastError', {
    configurable: true,
    get() {
      lastErrorRead = true;
      return lastError;
    },
  });
}

export function installFakeContextMenus(): FakeContextMenus {
  defineLastError();
  const items = new Map<string, CreateProperties>();
  const uncheckedErrors: string[] = [];
  const listeners = new Set<Listener>();
  let nextId = 1;

  const api = {
    create(properties: CreateProperties, callback?: () => void) {
      const id = properties.id ?? String(nextId++);
      // Chrome reports the outcome asynchronously, after `create` has returned.
      queueMicrotask(() => {
        if (items.has(id)) {
          lastError = { message: `Cannot create item with duplicate id ${id}` };
          lastErrorRead = false;
          callback?.();
          if (!lastErrorRead) uncheckedErrors.push(lastError.message);
          lastError = undefined;
          return;
        }
        items.set(id, { ...properties });
        callback?.();
      });
      return id;
    },
    async removeAll() {
      items.clear();
    },
    async remove(id: string) {
      items.delete(id);
    },
    async update(id: string, changes: CreateProperties) {
      const item = items.get(id);
      if (item) items.set(id, { ...item, ...changes });
    },
    onClicked: {
      addListener: (fn: Listener) => listeners.add(fn),
      removeListener: (fn: Listener) => listeners.delete(fn),
      hasListener: (fn: Listener) => listeners.has(fn),
      hasListeners: () => listeners.size > 0,
    },
    resetState() {
      items.clear();
      listeners.clear();
    },
  };
  Object.assign(fakeBrowser, { contextMenus: api });

  return {
    items,
    uncheckedErrors,
    async click(info, tab) {
      await Promise.all([...listeners].map((fn) => fn(info, tab)));
    },
  };
}

export type PageFunction = () => unknown;

export interface FakePage {
  selection: string | null;
  title?: string;
  /**
   * What reading the right-clicked image in the page gives (the in-page reader itself runs
   * only in real Chromium, in the end-to-end suite); null or absent: no script may run.
   */
  image?: ((srcUrl: string, readBytes: boolean) => unknown) | null;
}

/**
 * `scripting.executeScript` that runs the injected function against a fake page: the test
 * decides what the page's selection is, or that injection is impossible (`null`).
 */
export function installFakeScripting(page: FakePage) {
  const calls: Array<{ tabId: number; frameIds?: number[] }> = [];
  const api = {
    async executeScript(injection: {
      target: { tabId: number; frameIds?: number[] };
      func: PageFunction;
      args?: unknown[];
    }) {
      calls.push(injection.target);
      if (injection.args) {
        if (!page.image) throw new Error('Cannot access contents of the page.');
        const [srcUrl, , readBytes] = injection.args as [string, number, boolean];
        return [
          { frameId: injection.target.frameIds?.[0] ?? 0, result: await page.image(srcUrl, readBytes) },
        ];
      }
      if (page.selection === null) throw new Error('Cannot access contents of the page.');
      const selection = page.selection;
      const globals = globalThis as Record<string, unknown>;
      const names = ['window', 'document', 'HTMLTextAreaElement', 'HTMLInputElement'] as const;
      const saved = names.map((name) => globals[name]);
      globals.window = { getSelection: () => ({ toString: () => selection }) };
      globals.document = { activeElement: null, title: page.title ?? '' };
      globals.HTMLTextAreaElement = class {};
      globals.HTMLInputElement = class {};
      try {
        return [{ frameId: injection.target.frameIds?.[0] ?? 0, result: injection.func() }];
      } finally {
        names.forEach((name, i) => (globals[name] = saved[i]));
      }
    },
  };
  Object.assign(fakeBrowser, { scripting: api });
  return { calls };
}
