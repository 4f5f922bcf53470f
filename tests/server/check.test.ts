import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../server/check';
import { migrate, openDatabase } from '../../server/db/client';

const run = promisify(execFile);

describe('remindme check', { timeout: 60_000 }, () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'remindme-check-'));
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const result = async (env: Record<string, string>, name: string) =>
    (await runChecks({ DATA_DIR: dir, PORT: '0', ...env }, { expectMigrated: true })).results.find(
      (r) => r.name === name,
    );

  it('tells a database one migration behind from an up-to-date one', async () => {
    const database = openDatabase({ kind: 'sqlite', file: join(dir, 'remindme.sqlite') });
    expect(await result({}, 'migrations')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^\d+ not applied \(0000_/),
    });
    await migrate(database);
    expect(await result({}, 'migrations')).toEqual({
      name: 'migrations',
      ok: true,
      detail: 'every migration applied',
    });
    if (database.dialect !== 'sqlite') throw new Error('unreachable');
    const last = database.raw.prepare('select max(created_at) from __drizzle_migrations').pluck().get();
    database.raw.prepare('delete from __drizzle_migrations where created_at = ?').run(last);
    await database.close();
    expect(await result({}, 'migrations')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^1 not applied \(\d{4}_\w+\): run `remindme migrate`$/),
    });
  });

  it('finds a port in use and a host that is not this machine before serving', async () => {
    expect(await result({ PORT: String(busyPort), HOST: '127.0.0.1' }, 'listen')).toMatchObject({
      ok: false,
      detail: expect.stringContaining(`port ${busyPort} on 127.0.0.1 is already in use`),
    });
    expect(await result({ PORT: '8799', HOST: 'no-such-host.invalid' }, 'listen')).toMatchObject({
      ok: false,
      detail: 'HOST no-such-host.invalid does not resolve to an address',
    });
    expect(await result({ PORT: '0', HOST: '127.0.0.1' }, 'listen')).toMatchObject({ ok: true });
  });

  it('`serve` on a port in use says so in words and exits 1, without a stack trace', async () => {
    const own = join(dir, 'serve');
    const failure = await run('node', ['bin/remindme.js', 'serve'], {
      env: { ...process.env, DATA_DIR: own, PORT: String(busyPort), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toBe(
      `RemindMe cannot start:\n  - listen: port ${busyPort} on 127.0.0.1 is already in use (is RemindMe already running?); set PORT to another one\n`,
    );
  });
});
