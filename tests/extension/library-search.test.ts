import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matches, parseLocalQuery, prepare } from '../../extension/utils/library-search';
import { send } from '../../extension/utils/messages';
import { matchesSearch, parseSearchQuery } from '../../shared/search';
import type { ImportReport } from '../../shared/schemas/library';
import type { Reminder } from '../../shared/schemas/reminders';
import { apiCall, freshBrowser, ok, startWorker } from '../support/extension-harness';
import { secondDevice, serverSearch, signUpAt, wholeLibrary } from '../support/extension-library';
import { fortuneFile } from '../support/fortunes';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

const wisdom = fortuneFile('wisdom');
const tang300 = fortuneFile('tang300', 'fortunes-zh');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

async function importFortunes(token: string, path: string): Promise<ImportReport> {
  const response = await fetch(`${server.url}/api/import?format=fortune`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: await readFile(path),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ImportReport;
}

const ENGLISH = ['love', 'wis', 'the truth', 'Mind', 'CAFÉ', 'never', 'xyzzy'];
const CHINESE = ['王维', '春', '明月', '白云无尽时', '作者：杜甫', '乡'];
const JAPANESE = ['八起き', '転び', 'ころ', 'テスト'];

describe.runIf(wisdom && tang300)('searching the offline copy', () => {
  let token = '';
  let email = '';
  let everything: Reminder[] = [];

  beforeAll(async () => {
    freshBrowser();
    await startWorker();
    const session = await signUpAt(server.url);
    email = session.user.email;
    const other = await secondDevice(server.url, email);
    token = other.token;
    const english = await importFortunes(token, wisdom ?? '');
    const chinese = await importFortunes(token, tang300 ?? '');
    expect(english.created).toBeGreaterThan(300);
    expect(chinese.created).toBeGreaterThan(250);
    await other.create('七転び八起き', { author: 'ことわざ', note: 'Fall seven times, stand up eight.' });
    await other.create('ころばぬ先の杖', { sourceTitle: '日本のことわざ テスト' });
    await other.create('A café that never closes', { author: 'Me' });
    ok(await send({ type: 'sync' }));
    const all = await apiCall<{ changes: Reminder[] }>(server.url, token, 'GET', '/api/sync?limit=1000');
    everything = all.json.changes;
  });

  it.each([...ENGLISH, ...CHINESE, ...JAPANESE])('finds exactly what the server finds for %j', async (q) => {
    const local = (await wholeLibrary({ q })).map((i) => i.id);
    const remote = await serverSearch(server.url, token, q);
    expect(local).toEqual(remote);
    if (q !== 'xyzzy') expect(local.length).toBeGreaterThan(0);
  });

  it('matches substrings of Chinese and Japanese text, which has no spaces', async () => {
    const poem = (await wholeLibrary({ q: '白云无尽时' })).map((i) => i.text);
    expect(poem).toHaveLength(1);
    expect(poem[0]).toContain('但去莫复问，白云无尽时。');
    expect((await wholeLibrary({ q: '八起' })).map((i) => i.text)).toEqual(['七転び八起き']);
    // The last word may be unfinished while typing: "wis" finds "wisdom", "wise", …
    const typing = await wholeLibrary({ q: 'wis' });
    expect(typing.every((i) => /\bwis/i.test([i.text, i.note, i.author, i.sourceTitle].join(' ')))).toBe(
      true,
    );
  });

  it('agrees with the shared matcher on every reminder', () => {
    for (const q of [...ENGLISH, ...CHINESE, ...JAPANESE, '%', '!!']) {
      const query = parseSearchQuery(q);
      const local = parseLocalQuery(q);
      for (const r of everything) {
        const fields = [r.text, r.note, r.author, r.sourceTitle] as const;
        const expected = query
          ? matchesSearch(fields, query)
          : fields.some((f) => f?.toLowerCase().includes(q));
        expect(local && matches(prepare(fields), local), `${q} in ${r.text.slice(0, 30)}`).toBe(expected);
      }
    }
  });

  it('merges server results the offline copy does not have yet', async () => {
    const other = await secondDevice(server.url, email);
    const fresh = await other.create('Wisdom that arrived a moment ago');
    expect((await wholeLibrary({ q: 'arrived moment' })).map((i) => i.id)).toEqual([]);
    expect(ok(await send({ type: 'searchServer', q: 'arrived moment' }))).toEqual({
      ok: true,
      found: 1,
      added: 1,
    });
    expect((await wholeLibrary({ q: 'arrived moment' })).map((i) => i.id)).toEqual([fresh.id]);
  });
});
