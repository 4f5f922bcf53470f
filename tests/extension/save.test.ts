import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MENU_SAVE_SELECTION } from '../../extension/utils/context-menu';
import {
  lastSaveItem,
  mirrorItem,
  outboxItem,
  serverUrlItem,
  sessionItem,
} from '../../extension/utils/storage';
import { UNREACHABLE_URL, freshBrowser, startWorker, queuedCreates } from '../support/extension-harness';

const PAGE = { id: 42, url: 'https://example.org/essay', title: 'An essay' };
const click = (overrides: Record<string, unknown> = {}) => ({
  menuItemId: MENU_SAVE_SELECTION,
  pageUrl: PAGE.url,
  frameId: 0,
  ...overrides,
});

/** Signed in to a server that is down: every save has to wait in the outbox. */
async function signedInToUnreachableServer() {
  await serverUrlItem.setValue(UNREACHABLE_URL);
  await sessionItem.setValue({
    token: 'abc.def',
    user: { id: 'user-1', email: 'me@example.test', createdAt: '2026-01-01T00:00:00.000Z' },
    expiresAt: '2099-01-01T00:00:00.000Z',
    serverUrl: UNREACHABLE_URL,
  });
}

describe('saving a selection from the context menu', () => {
  let env: ReturnType<typeof freshBrowser>;
  beforeEach(async () => {
    env = freshBrowser({ selection: null });
    await signedInToUnreachableServer();
  });

  it('refuses 70,000 characters with a readable message and stores nothing', async () => {
    const hooks = await startWorker();
    const huge = 'word '.repeat(14_000);
    env.page.selection = huge;
    const result = await hooks.handleMenuClick(click({ selectionText: huge }), PAGE);

    expect(result).toMatchObject({ ok: false, state: 'refused' });
    const message = result && !result.ok ? result.error.message : '';
    expect(message).toMatch(/too long/i);
    expect(message).toContain('20,000');
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await mirrorItem.getValue()).reminders).toEqual({});

    const last = await lastSaveItem.getValue();
    expect(last).toMatchObject({ state: 'refused', message });
    const notifications = Object.values(await fakeBrowser.notifications.getAll()) as Array<{
      message: string;
    }>;
    expect(notifications.map((n) => n.message)).toContain(message);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
  });

  it('keeps 8,000 characters intact', async () => {
    const hooks = await startWorker();
    const text = Array.from({ length: 8_000 }, (_, i) => 'abcdefghij'[i % 10]).join('');
    env.page.selection = text;
    const result = await hooks.handleMenuClick(click({ selectionText: text }), PAGE);

    expect(result).toMatchObject({ ok: true, state: 'queued' });
    const [entry, ...rest] = await queuedCreates();
    expect(rest).toEqual([]);
    expect(entry?.input.text).toBe(text);
    expect(entry?.input.text.length).toBe(8_000);
  });

  it('keeps the line breaks of a selection across paragraphs', async () => {
    const hooks = await startWorker();
    env.page.selection = 'First paragraph.\n\nSecond paragraph,\nwith a line break.';
    // What Chrome puts in selectionText: line breaks collapsed.
    await hooks.handleMenuClick(
      click({ selectionText: 'First paragraph. Second paragraph, with a line break.' }),
      PAGE,
    );
    const [entry] = await queuedCreates();
    expect(entry?.input.text).toBe('First paragraph.\n\nSecond paragraph,\nwith a line break.');
    expect(env.scripting.calls).toEqual([{ tabId: PAGE.id, frameIds: [0] }]);
  });

  it('turns the form feeds and vertical tabs of PDF text into line breaks and drops other control characters', async () => {
    const hooks = await startWorker();
    env.page.selection = 'Page one ends.\fPage two\u000Bnext line\u0007.';
    await hooks.handleMenuClick(click({ selectionText: 'Page one ends. Page two next line.' }), {
      ...PAGE,
      title: 'Report\u0000 2026',
    });
    const [entry] = await queuedCreates();
    expect(entry?.input.text).toBe('Page one ends.\nPage two\nnext line.');
    expect(entry?.input.sourceTitle).toBe('Report 2026');
  });

  it('reads the selection in the frame that was right-clicked', async () => {
    const hooks = await startWorker();
    env.page.selection = 'From a frame';
    await hooks.handleMenuClick(click({ frameId: 3, selectionText: 'From a frame' }), PAGE);
    expect(env.scripting.calls).toEqual([{ tabId: PAGE.id, frameIds: [3] }]);
  });

  it('falls back to the menu’s selectionText where no script may run', async () => {
    const hooks = await startWorker();
    env.page.selection = null;
    await hooks.handleMenuClick(click({ selectionText: 'From a PDF' }), PAGE);
    const [entry] = await queuedCreates();
    expect(entry?.input.text).toBe('From a PDF');
  });

  it('saves the page URL and title as the source, only for http(s) pages', async () => {
    const hooks = await startWorker();
    env.page.selection = 'one';
    await hooks.handleMenuClick(click({ selectionText: 'one' }), PAGE);
    env.page.selection = 'two';
    await hooks.handleMenuClick(
      click({ selectionText: 'two', pageUrl: 'javascript:alert(document.cookie)' }),
      { ...PAGE, url: 'javascript:alert(document.cookie)' },
    );
    env.page.selection = 'three';
    await hooks.handleMenuClick(click({ selectionText: 'three', pageUrl: 'data:text/html,<b>x</b>' }), PAGE);

    const entries = await queuedCreates();
    expect(entries.map((e) => [e.input.text, e.input.sourceUrl, e.input.sourceTitle])).toEqual([
      ['one', PAGE.url, PAGE.title],
      ['two', null, PAGE.title],
      ['three', null, PAGE.title],
    ]);
  });

  it('takes the title from the page when the clicked tab does not carry it', async () => {
    const hooks = await startWorker();
    env.page.selection = 'titled';
    env.page.title = 'Title read in the page';
    await hooks.handleMenuClick(click({ selectionText: 'titled' }), { id: PAGE.id });
    const [entry] = await queuedCreates();
    expect(entry?.input).toMatchObject({ sourceUrl: PAGE.url, sourceTitle: 'Title read in the page' });
  });

  it('says so, and stores nothing, when no text could be read', async () => {
    const hooks = await startWorker();
    env.page.selection = null;
    const result = await hooks.handleMenuClick(click({ selectionText: undefined }), PAGE);
    expect(result).toMatchObject({ ok: false, state: 'refused' });
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await lastSaveItem.getValue())?.message).toMatch(/nothing selected/i);
  });

  it('gives every save its own client-made id and shows it is waiting', async () => {
    const hooks = await startWorker();
    env.page.selection = 'same words';
    await hooks.handleMenuClick(click({ selectionText: 'same words' }), PAGE);
    await hooks.handleMenuClick(click({ selectionText: 'same words' }), PAGE);
    const entries = await queuedCreates();
    expect(entries).toHaveLength(2);
    for (const e of entries) expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entries[0]?.id).not.toBe(entries[1]?.id);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('…');
    expect(await lastSaveItem.getValue()).toMatchObject({ state: 'queued' });
  });

  it('keeps a save made while signed out, for whoever signs in', async () => {
    await sessionItem.setValue(null);
    const hooks = await startWorker();
    env.page.selection = 'before signing in';
    const result = await hooks.handleMenuClick(click({ selectionText: 'before signing in' }), PAGE);
    expect(result).toMatchObject({ ok: true, state: 'queued' });
    expect((await lastSaveItem.getValue())?.message).toMatch(/sign in/i);
    const [entry] = await queuedCreates();
    expect(entry).toMatchObject({ owner: null, status: 'pending', input: { text: 'before signing in' } });
  });
});
