import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { openDatabase, type Database } from '../../server/db/client';
import { createRepos } from '../../server/db/repos';
import { silentLogger } from '../../server/logger';
import { dialects, freshDatabase } from '../support/databases';
import { testImageDeps, type TestImageDeps } from '../support/image-deps';

/**
 * A loopback TCP proxy between the app and MariaDB that the test can cut and restore,
 * standing in for a database host that goes away and comes back; or freeze and thaw,
 * standing in for one that stops answering (a hung host, packets dropped on the way).
 */
function cuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let frozen = false;
  const held: Array<() => void> = [];
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
  return {
    get port() {
      return port;
    },
    async open() {
      server = createServer((client) => {
        const upstream = createConnection(target);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        forward(client, upstream);
        forward(upstream, client);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const deliver of held.splice(0)) deliver();
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
}

describe.runIf(dialects().includes('mysql'))('MySQL outage', () => {
  let drop: () => Promise<void>;
  let database: Database;
  let proxy: ReturnType<typeof cuttableProxy>;
  let app: ReturnType<typeof createApp>;
  let images: TestImageDeps;

  beforeAll(async () => {
    images = await testImageDeps();
    const fresh = await freshDatabase('mysql');
    drop = fresh.drop;
    const url = new URL(fresh.url);
    proxy = cuttableProxy({ host: url.hostname, port: Number(url.port) });
    await proxy.open();
    url.port = String(proxy.port);
    database = openDatabase({ kind: 'mysql', url: url.toString(), poolSize: 3 });
    app = createApp({
      database,
      repos: createRepos(database),
      logger: silentLogger,
      clock: () => new Date(),
      images: images.images,
    });
  });

  afterAll(async () => {
    await proxy.cut();
    await database.close().catch(() => undefined);
    await drop();
    await images.cleanup();
  });

  it('answers fast 503s while the database is unreachable and recovers without a restart', async () => {
    const reg = await app.request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'outage@example.org', password: 'correct horse battery' }),
    });
    const { token } = (await reg.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };

    await proxy.cut();
    const started = Date.now();
    const down = await app.request('/api/reminders', { headers });
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: {
        code: 'unavailable',
        message: 'The server cannot reach its database right now. Try again shortly.',
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await app.request('/readyz')).status).toBe(503);

    await proxy.open();
    const back = await app.request('/api/reminders', { headers });
    expect(back.status).toBe(200);
  });

  it('answers 503 within seconds when the database stops answering, and recovers when it answers again', async () => {
    const reg = await app.request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'hung@example.org', password: 'correct horse battery' }),
    });
    const { token } = (await reg.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };

    proxy.freeze();
    try {
      const started = Date.now();
      // More requests than the pool has connections: none may wait for a stuck one.
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => app.request('/api/reminders', { headers })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(503));
      expect(((await answers[0]!.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(12_000);
    } finally {
      proxy.thaw();
    }
    await expect
      .poll(async () => (await app.request('/api/reminders', { headers })).status, { timeout: 10_000 })
      .toBe(200);
  });
});
