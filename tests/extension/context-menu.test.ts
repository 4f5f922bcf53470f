import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MENU_SAVE_IMAGE, MENU_SAVE_SELECTION } from '../../extension/utils/context-menu';
import { outboxItem } from '../../extension/utils/storage';
import { freshBrowser, startWorker, queuedCreates } from '../support/extension-harness';

describe('context menu registration', () => {
  let env: ReturnType<typeof freshBrowser>;
  beforeEach(() => {
    env = freshBrowser({ selection: 'Keep going.' });
  });

  it('leaves exactly one item of each kind, without errors, however often registration runs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await startWorker();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update' } as never);
    await fakeBrowser.runtime.onStartup.trigger();
    // A second worker start (Chrome keeps menus across worker restarts) and a browser start.
    await startWorker();
    await fakeBrowser.runtime.onStartup.trigger();
    const { registerMenus } = await import('../../extension/utils/context-menu');
    await Promise.all([registerMenus(), registerMenus()]);

    expect([...env.menus.items.keys()]).toEqual([MENU_SAVE_SELECTION, MENU_SAVE_IMAGE]);
    expect(env.menus.items.get(MENU_SAVE_SELECTION)).toMatchObject({
      title: 'Save to RemindMe',
      contexts: ['selection'],
    });
    expect(env.menus.items.get(MENU_SAVE_IMAGE)).toMatchObject({
      title: 'Save image to RemindMe',
      contexts: ['image'],
    });
    expect(env.menus.uncheckedErrors).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('treats a duplicate id left by an earlier worker as success', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { registerMenus } = await import('../../extension/utils/context-menu');
    // Simulate a menu that survived, then a create without the remove (e.g. a race).
    fakeBrowser.contextMenus.create(
      { id: MENU_SAVE_SELECTION, title: 'old', contexts: ['selection'] },
      () => {
        void fakeBrowser.runtime.lastError;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    await Promise.all([registerMenus(), registerMenus()]);
    expect([...env.menus.items.keys()]).toEqual([MENU_SAVE_SELECTION, MENU_SAVE_IMAGE]);
    expect(env.menus.uncheckedErrors).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('handles a click that arrives right after a cold start', async () => {
    // The listener must exist synchronously after main(): the click is what woke the worker.
    vi.resetModules();
    const { startBackground } = await import('../../extension/utils/background-main');
    const started = startBackground();
    const click = env.menus.click(
      {
        menuItemId: MENU_SAVE_SELECTION,
        selectionText: 'Keep going.',
        pageUrl: 'https://example.org/a',
        frameId: 0,
      },
      { id: 7, url: 'https://example.org/a', title: 'A page' },
    );
    await Promise.all([started, click]);
    await vi.waitFor(async () => {
      const outbox = await queuedCreates();
      expect(outbox.map((e) => e.input.text)).toEqual(['Keep going.']);
    });
  });

  it('handles an image click that arrives right after a cold start', async () => {
    vi.resetModules();
    env = freshBrowser({
      selection: null,
      image: () => ({ status: 'unreadable', alt: 'A tree', title: 'Trees' }),
    });
    const { startBackground } = await import('../../extension/utils/background-main');
    const started = startBackground();
    const click = env.menus.click(
      {
        menuItemId: MENU_SAVE_IMAGE,
        srcUrl: 'https://example.org/tree.jpg',
        pageUrl: 'https://example.org/trees',
        frameId: 0,
      },
      { id: 7, url: 'https://example.org/trees', title: 'Trees' },
    );
    await Promise.all([started, click]);
    await vi.waitFor(async () => {
      const [entry] = await queuedCreates();
      expect(entry).toMatchObject({
        input: { text: 'A tree', sourceUrl: 'https://example.org/trees', sourceTitle: 'Trees' },
        image: { kind: 'remote', url: 'https://example.org/tree.jpg' },
      });
    });
  });

  it('ignores clicks on menu items that are not ours', async () => {
    const hooks = await startWorker();
    const result = await hooks.handleMenuClick(
      { menuItemId: 'something-else', selectionText: 'x' },
      { id: 1 },
    );
    expect(result).toBeNull();
    expect(await outboxItem.getValue()).toEqual([]);
  });
});
