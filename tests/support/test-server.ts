import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { silentLogger } from '../../server/logger';
import { startServer } from '../../server/main';

export type TestServer = { url: string; port: number; dataDir: string; close(): Promise<void> };

/**
 * The real API on loopback (SQLite in a temporary directory). Pass `port` and `dataDir` of
 * a stopped server to bring "the same server" back, e.g. to test the outbox.
 */
export async function startTestServer(
  options: { port?: number; dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'remindme-server-')));
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const running = await startServer(config, silentLogger);
  const port = Number(new URL(running.url).port);
  return {
    url: running.url,
    port,
    dataDir,
    async close() {
      await running.close();
    },
  };
}

/** Data directories outlive `close()` so a restart can reuse them; remove them at the end. */
export async function removeDataDir(server: TestServer): Promise<void> {
  await rm(server.dataDir, { recursive: true, force: true });
}
