import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseFortuneFile, parseFortunes } from '../../server/import/fortune';
import { fortuneFile } from '../support/fortunes';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

const run = promisify(execFile);

describe('fortune format', () => {
  it('splits on % lines, reads indented and wrapped attributions, keeps -- inside text', () => {
    const entries = parseFortunes(
      '\uFEFFFirst line\r\n\tindented verse\r\n\t\t-- Someone\r\n%\r\n' +
        'A clash of doctrine is not a disaster -- it is an opportunity.\n%\n%\n\n' +
        'Long one.\n\t\t-- Mark Twain, "Pudd\'nhead Wilson\'s\n\t\t   Calendar"\n%\n' +
        '\u001b[33m-- not an author when alone\u001b[m\n',
    );
    expect(entries).toEqual([
      { text: 'First line\n\tindented verse', author: 'Someone', line: 1 },
      { text: 'A clash of doctrine is not a disaster -- it is an opportunity.', line: 5 },
      { text: 'Long one.', author: 'Mark Twain, "Pudd\'nhead Wilson\'s Calendar"', line: 9 },
      { text: '-- not an author when alone', line: 13 },
    ]);
  });

  const wisdom = fortuneFile('wisdom');
  it.runIf(wisdom)("reads Debian's wisdom collection: one entry per %, authors split off", () => {
    const raw = readFileSync(wisdom!, 'utf8');
    const entries = parseFortunes(raw);
    const separators = raw.split('\n').filter((l) => l === '%').length;
    expect(entries.length).toBeGreaterThanOrEqual(separators);
    expect(entries[0]).toEqual(expect.objectContaining({ author: 'S. Paige, c. 1951' }));
    expect(
      entries.every((e) => !e.text.includes('\n%\n') && e.text.trim() === e.text.replace(/^\s+/, '').trim()),
    ).toBe(true);
    expect(entries.filter((e) => e.author).length).toBeGreaterThan(entries.length / 3);
  });

  it('turns backspace underlining and bold into the plain letters', () => {
    const entries = parseFortunes(
      "Well, ____\b\b\b\bSOMEbody's out to get me!\n%\nB\bBo\bol\bld and _\bu_\bn_\bd_\be_\br\n",
    );
    expect(entries.map((e) => e.text)).toEqual(["Well, SOMEbody's out to get me!", 'Bold and under']);
  });

  it.each(['wisdom', 'computers', 'songs-poems'])(
    "leaves no control characters in Debian's %s collection",
    (name) => {
      const file = fortuneFile(name);
      if (!file) return;
      // eslint-disable-next-line no-control-regex -- looking for exactly these
      const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
      const entries = parseFortunes(readFileSync(file, 'utf8'));
      expect(entries.filter((e) => control.test(e.text + (e.author ?? '')))).toEqual([]);
    },
  );

  const chinese = fortuneFile('chinese', 'fortunes-zh');
  it.runIf(chinese)('reads fortunes-zh without its terminal colour codes', () => {
    const entries = parseFortunes(readFileSync(chinese!, 'utf8'));
    expect(entries.length).toBeGreaterThan(1000);
    expect(entries.some((e) => (e.text + (e.author ?? '')).includes('\u001b'))).toBe(false);
    expect(entries[0]).toEqual(expect.objectContaining({ author: 'Debian 《行为准则》第一条' }));
  });
});

// Each CLI run starts Node and compiles TypeScript (1–2 s, more on a busy machine).
describe('remindme import (CLI)', { timeout: 90_000 }, () => {
  const wisdom = fortuneFile('wisdom');
  let server: TestServer;
  let token: string;
  const email = 'importer@example.org';

  beforeAll(async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await server.close();
    await removeDataDir(server);
  });

  const cli = (...args: string[]) =>
    run('node', ['bin/remindme.js', ...args], {
      env: { ...process.env, DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
    });

  it.runIf(wisdom)(
    'imports a real collection into a running server, and a second run adds nothing',
    async () => {
      const expected = parseFortuneFile(readFileSync(wisdom!, 'utf8')).entries;
      const first = await cli('import', '--format', 'fortune', '--user', email.toUpperCase(), wisdom!);
      expect(first.stdout).toMatch(new RegExp(`Imported ${expected.length} of ${expected.length} entries`));
      const second = await cli('import', '--format', 'fortune', '--user', email, wisdom!);
      expect(second.stdout).toMatch(
        new RegExp(`Imported 0 of ${expected.length} entries .*${expected.length} already there`),
      );

      const sync = await fetch(`${server.url}/api/sync?limit=1000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await sync.json()) as { changes: { text: string; author: string | null }[] };
      expect(body.changes).toHaveLength(expected.length);
      expect(new Set(body.changes.map((c) => c.text))).toEqual(new Set(expected.map((e) => e.text)));
    },
  );

  const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'import', name);

  it('imports every format, previews with --dry-run, and exports JSON and CSV', async () => {
    const other = 'cli-formats@example.org';
    await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: other, password: 'correct horse battery' }),
    });
    const dry = await cli(
      'import',
      '--format',
      'kindle',
      '--user',
      other,
      '--dry-run',
      fixture('My Clippings.txt'),
    );
    expect(dry.stdout).toMatch(
      /^Would import 6 of 11 entries .*\(1 already there, 4 skipped, 0 not importable\)/,
    );
    expect(dry.stdout).toContain('skipped entry 2 (line 6): A bookmark (Location 22400), not a highlight.');
    for (const [format, file, created] of [
      ['kindle', 'My Clippings.txt', 6],
      ['readwise', 'readwise.csv', 4],
      ['csv', 'quote-author.csv', 3],
    ] as const) {
      const res = await cli('import', '--format', format, '--user', other, fixture(file));
      expect(res.stdout, format).toMatch(new RegExp(`^Imported ${created} of`));
    }
    const out = join(server.dataDir, 'export.json');
    const exported = await cli('export', '--user', other, '--format', 'json', out);
    expect(exported.stderr).toContain(`Exported to ${out}`);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({ format: 'remindme', version: 1 });
    expect(file.reminders).toHaveLength(13);
    const again = await cli('import', '--format', 'json', '--user', other, out);
    expect(again.stdout).toMatch(/^Imported 0 of 13 entries .*\(13 already there/);
    const csv = await cli('export', '--user', other, '--format', 'csv');
    expect(csv.stdout.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'text,author,note,sourceUrl,sourceTitle,visibility,favorite,createdAt,updatedAt,imageUrl',
    );
    expect(csv.stdout).toContain('Ich wollte ja nichts als das zu leben versuchen');
  });

  it('names the problem for an unknown account or bad arguments', async () => {
    await expect(
      cli('import', '--format', 'fortune', '--user', 'nobody@example.org', '/dev/null'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('No account with the email nobody@example.org'),
    });
    await expect(cli('import', '--format', 'yaml', '--user', email, '/dev/null')).rejects.toMatchObject({
      stderr: expect.stringContaining('Usage: remindme import'),
    });
    await expect(cli('export', '--user', email, '--format', 'xml')).rejects.toMatchObject({
      stderr: expect.stringContaining('Usage: remindme export'),
    });
    await expect(
      cli('import', '--format', 'json', '--user', email, fixture('readwise.csv')),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('This file is not valid JSON.'),
    });
  });
});
