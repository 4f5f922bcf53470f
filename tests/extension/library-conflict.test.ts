import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { editableFields, type EditableFields } from '../../extension/utils/library-fields';
import { send, type LibraryItem } from '../../extension/utils/messages';
import { mirrorItem, outboxItem, type UpdateEntry } from '../../extension/utils/storage';
import { freshBrowser, ok, startWorker } from '../support/extension-harness';
import { secondDevice, signUpAt } from '../support/extension-library';
import { startRecordingProxy } from '../support/proxy';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startRecordingProxy(server.url);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  await removeDataDir(server);
});

async function item(id: string): Promise<LibraryItem> {
  const found = ok(await send({ type: 'getLibraryItem', id })).item;
  if (!found) throw new Error(`${id} is not in the library`);
  return found;
}

/** What the popup's editor sends: the version and values it showed, and what changed. */
function edit(shown: LibraryItem, patch: Partial<EditableFields>) {
  return send({
    type: 'updateReminder',
    id: shown.id,
    baseVersion: shown.version,
    base: editableFields(shown),
    patch,
  });
}

const patches = () => proxy.requests.filter((r) => r.method === 'PATCH');

describe('editing the same reminder on two devices', () => {
  beforeEach(() => {
    freshBrowser();
  });

  async function setUp() {
    await startWorker();
    const session = await signUpAt(proxy.url);
    const other = await secondDevice(server.url, session.user.email);
    const created = ok(await send({ type: 'quickAdd', text: 'The original words', author: 'Someone' }));
    const shown = await item(created.id);
    expect(shown).toMatchObject({ status: 'synced', version: 1, text: 'The original words' });
    return { other, shown };
  }

  it('shows both versions when the same field changed elsewhere, and "keep mine" sends mine on top of theirs', async () => {
    const { other, shown } = await setUp();
    // The other device edits the text while this one still shows version 1.
    await other.edit(shown.id, { text: 'Words from the other laptop' });
    proxy.requests.length = 0;

    const answer = ok(await edit(shown, { text: 'Words from this browser' }));
    expect(answer.state).toBe('conflict');
    expect(patches()).toHaveLength(1); // refused with 412, not retried over theirs

    const clash = await item(shown.id);
    expect(clash.status).toBe('conflict');
    expect(clash.conflict?.mine).toMatchObject({ text: 'Words from this browser', author: 'Someone' });
    expect(clash.conflict?.theirs).toMatchObject({ text: 'Words from the other laptop', version: 2 });
    // Nothing was overwritten: the server still has the other device's words.
    expect((await other.get(shown.id)).text).toBe('Words from the other laptop');
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');

    const kept = ok(await send({ type: 'resolveConflict', entryId: clash.entryId ?? '', keep: 'mine' }));
    expect(kept.state).toBe('saved');
    const onServer = await other.get(shown.id);
    expect(onServer).toMatchObject({ text: 'Words from this browser', version: 3 });
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await item(shown.id)).toMatchObject({
      status: 'synced',
      version: 3,
      text: 'Words from this browser',
    });
    expect(await fakeBrowser.action.getBadgeText({})).not.toBe('!');
  });

  it('"take theirs" drops my edit without sending it', async () => {
    const { other, shown } = await setUp();
    await other.edit(shown.id, { text: 'Theirs wins' });
    ok(await edit(shown, { text: 'Mine loses' }));
    const clash = await item(shown.id);
    proxy.requests.length = 0;

    const taken = ok(await send({ type: 'resolveConflict', entryId: clash.entryId ?? '', keep: 'theirs' }));
    expect(taken.state).toBe('saved');
    expect(patches()).toEqual([]);
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await item(shown.id)).toMatchObject({ status: 'synced', text: 'Theirs wins', version: 2 });
    expect((await mirrorItem.getValue()).reminders[shown.id]).toMatchObject({ text: 'Theirs wins' });
    expect((await other.get(shown.id)).text).toBe('Theirs wins');
  });

  it('merges without asking when the two devices changed different fields', async () => {
    const { other, shown } = await setUp();
    await other.edit(shown.id, { author: 'A better attribution' });
    const answer = ok(await edit(shown, { favorite: true, visibility: 'public' }));
    expect(answer.state).toBe('saved');
    expect(await other.get(shown.id)).toMatchObject({
      text: 'The original words',
      author: 'A better attribution',
      favorite: true,
      visibility: 'public',
      version: 3,
    });
    expect(await item(shown.id)).toMatchObject({
      status: 'synced',
      author: 'A better attribution',
      favorite: true,
    });
  });

  it('treats a 412 that already holds my change as delivered (the answer to an earlier attempt was lost)', async () => {
    const { other, shown } = await setUp();
    // The PATCH reached the server, its answer never came back: the entry is still queued.
    await other.edit(shown.id, { note: 'Written once' });
    const entry: UpdateEntry = {
      kind: 'update',
      id: crypto.randomUUID(),
      reminderId: shown.id,
      patch: { note: 'Written once' },
      base: { note: null },
      baseVersion: 1,
      preview: 'The original words',
      owner: null,
      createdAt: new Date().toISOString(),
      status: 'pending',
      attempts: 1,
      nextAttemptAt: 0,
      lastError: null,
    };
    await outboxItem.setValue([entry]);
    proxy.requests.length = 0;

    const hooks = await startWorker();
    await hooks.flushOutbox();
    expect(await outboxItem.getValue()).toEqual([]);
    expect(patches()).toHaveLength(1); // the one answered 412, nothing sent again
    expect(await other.get(shown.id)).toMatchObject({ note: 'Written once', version: 2 });
  });

  it('sends one edit for several quick edits of one reminder, and a later edit waits for a conflict to be settled', async () => {
    const { other, shown } = await setUp();
    proxy.requests.length = 0;
    ok(await edit(shown, { text: 'First try' }));
    const second = await item(shown.id);
    ok(await edit(second, { author: 'Second try' }));
    expect(patches()).toHaveLength(2);
    expect(await other.get(shown.id)).toMatchObject({ text: 'First try', author: 'Second try', version: 3 });

    await other.edit(shown.id, { text: 'Elsewhere' });
    const stale = await item(shown.id);
    expect(ok(await edit(stale, { text: 'Here' })).state).toBe('conflict');
    // Editing again while the conflict is open updates "mine"; it is still a conflict.
    const open = await item(shown.id);
    expect(ok(await edit(open, { note: 'And a note' })).state).toBe('conflict');
    const both = await item(shown.id);
    expect(both.conflict?.mine).toMatchObject({ text: 'Here', note: 'And a note' });
    expect((await outboxItem.getValue()).filter((e) => e.kind === 'update')).toHaveLength(1);

    ok(await send({ type: 'resolveConflict', entryId: both.entryId ?? '', keep: 'mine' }));
    expect(await other.get(shown.id)).toMatchObject({ text: 'Here', note: 'And a note' });
  });
});
