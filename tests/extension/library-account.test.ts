import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { putPending } from '../../extension/utils/image-db';
import { send } from '../../extension/utils/messages';
import { importProgressItem, sessionItem, type ImportProgress } from '../../extension/utils/storage';
import { ExportFileSchema } from '../../shared/schemas/library';
import * as v from 'valibot';
import {
  apiCall,
  failed,
  freshBrowser,
  ok,
  resetImageStore,
  startWorker,
} from '../support/extension-harness';
import { PASSWORD, secondDevice, signUpAt, wholeLibrary } from '../support/extension-library';
import { fortuneFile } from '../support/fortunes';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

/** What the options page does with a chosen file: its bytes into IndexedDB, under a key. */
async function handOver(bytes: Uint8Array): Promise<string> {
  const key = crypto.randomUUID();
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  await putPending(key, { data, mime: 'application/octet-stream' });
  return key;
}

describe('import and export from the options page', () => {
  beforeEach(async () => {
    freshBrowser();
    await resetImageStore();
  });

  it.runIf(fortuneFile('wisdom'))(
    'previews a fortune file, imports it, then finds every saying a duplicate the second time',
    async () => {
      await startWorker();
      await signUpAt(server.url);
      const bytes = await readFile(fortuneFile('wisdom') ?? '');
      const key = await handOver(bytes);

      const preview = ok(await send({ type: 'importFile', key, format: 'fortune', dryRun: true })).report;
      expect(preview).toMatchObject({ dryRun: true, duplicates: 0 });
      expect(preview.created).toBeGreaterThan(300);
      expect(preview.preview.length).toBeGreaterThan(0);
      expect(await wholeLibrary()).toEqual([]); // a dry run adds nothing

      const real = ok(await send({ type: 'importFile', key, format: 'fortune', dryRun: false })).report;
      expect(real.created).toBe(preview.created);
      await vi.waitFor(async () => expect((await wholeLibrary()).length).toBe(real.created), {
        timeout: 5_000,
      });

      const again = await handOver(bytes);
      const second = ok(
        await send({ type: 'importFile', key: again, format: 'fortune', dryRun: true }),
      ).report;
      expect(second).toMatchObject({ created: 0, duplicates: real.created });
    },
  );

  it('reports progress of a large import and a report with reasons, and refuses a second run of the same file', async () => {
    await startWorker();
    await signUpAt(server.url);
    const entries = Array.from({ length: 2_500 }, (_, i) => ({ text: `Imported saying ${i}` }));
    entries.push({ text: '   ' }, { text: 'Imported saying 7' });
    const key = await handOver(new TextEncoder().encode(JSON.stringify(entries)));
    const seen: ImportProgress[] = [];
    const stop = importProgressItem.watch((p) => p && seen.push(p));
    const report = ok(await send({ type: 'importFile', key, format: 'json', dryRun: false })).report;
    stop();
    expect(report).toMatchObject({ created: 2_500, duplicates: 1 });
    expect(report.skipped.length + report.errors.length).toBe(1);
    expect([...report.skipped, ...report.errors][0]?.reason).toMatch(/\S/);
    const importing = seen.filter((p) => p.phase === 'importing');
    expect(importing.length).toBeGreaterThan(1);
    expect(importing.map((p) => p.done)).toEqual([...importing.map((p) => p.done)].sort((a, b) => a - b));
    expect(await importProgressItem.getValue()).toMatchObject({ phase: 'done', done: 2_502, total: 2_502 });
    // The bytes went with the real import.
    expect(failed(await send({ type: 'importFile', key, format: 'json', dryRun: true })).error.code).toBe(
      'import_missing',
    );
  });

  it('exports JSON (which imports back) and CSV', async () => {
    await startWorker();
    const session = await signUpAt(server.url);
    const other = await secondDevice(server.url, session.user.email);
    await other.create('Exported "with quotes", and a comma', { author: '作者', visibility: 'public' });
    const json = ok(await send({ type: 'exportFile', format: 'json' }));
    expect(json.fileName).toMatch(/^remindme-\d{4}-\d{2}-\d{2}\.json$/);
    const file = v.parse(ExportFileSchema, JSON.parse(json.text));
    expect(file.reminders.map((r) => [r.text, r.author, r.visibility])).toEqual([
      ['Exported "with quotes", and a comma', '作者', 'public'],
    ]);
    const csv = ok(await send({ type: 'exportFile', format: 'csv' }));
    expect(csv.mime).toBe('text/csv');
    expect(csv.text).toContain('"Exported ""with quotes"", and a comma"');
  });
});

describe('account settings from the options page', () => {
  beforeEach(() => {
    freshBrowser();
  });

  it('chooses a public handle, refuses a reserved or taken one, and removes it', async () => {
    await startWorker();
    await signUpAt(server.url);
    const handle = `reader-${Date.now().toString(36)}`;
    const chosen = ok(await send({ type: 'setHandle', handle: ` ${handle.toUpperCase()} ` }));
    expect(chosen.state.user?.handle).toBe(handle);
    expect((await sessionItem.getValue())?.user.handle).toBe(handle);
    const page = await fetch(`${server.url}/u/${handle}`);
    expect(page.status).toBe(200);

    expect(failed(await send({ type: 'setHandle', handle: 'admin' })).error.fields.handle).toMatch(
      /reserved/i,
    );
    freshBrowser();
    await startWorker();
    await signUpAt(server.url);
    expect(failed(await send({ type: 'setHandle', handle })).error.fields.handle).toMatch(/\S/);
    ok(await send({ type: 'setHandle', handle: null }));
  });

  it('lists devices, signs another one out, and changing the password signs out the rest', async () => {
    await startWorker();
    const session = await signUpAt(server.url);
    const laptop = await secondDevice(server.url, session.user.email);
    const phone = await secondDevice(server.url, session.user.email);
    const devices = ok(await send({ type: 'listDevices' })).devices;
    expect(devices).toHaveLength(3);
    expect(devices.filter((d) => d.current).map((d) => d.label)).toEqual(['RemindMe for Chrome']);
    const other = devices.find((d) => !d.current);
    ok(await send({ type: 'signOutDevice', id: other?.id ?? '' }));
    expect(ok(await send({ type: 'listDevices' })).devices).toHaveLength(2);

    const wrong = failed(
      await send({
        type: 'changePassword',
        currentPassword: 'not it at all',
        newPassword: 'a new long password',
      }),
    );
    expect(wrong.error.fields.currentPassword).toMatch(/\S/);
    const weak = failed(
      await send({ type: 'changePassword', currentPassword: PASSWORD, newPassword: 'short' }),
    );
    expect(weak.error.fields.newPassword).toMatch(/8/);
    ok(await send({ type: 'changePassword', currentPassword: PASSWORD, newPassword: 'a new long password' }));
    for (const device of [laptop, phone]) {
      expect((await apiCall(server.url, device.token, 'GET', '/api/auth/me')).status).toBe(401);
    }
    expect(ok(await send({ type: 'listDevices' })).devices.map((d) => d.current)).toEqual([true]);

    // Signing out this device from the list is signing out here.
    const [self] = ok(await send({ type: 'listDevices' })).devices;
    const out = ok(await send({ type: 'signOutDevice', id: self?.id ?? '' }));
    expect(out.state.user).toBeNull();
    expect(await sessionItem.getValue()).toBeNull();
  });
});
