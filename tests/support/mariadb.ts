import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));

export function mariadbAvailable(): boolean {
  return (
    MARIADBD !== undefined &&
    spawnSync('which', ['mariadb-install-db', 'mariadb-admin'], { stdio: 'ignore' }).status === 0
  );
}

export type ThrowawayMariadb = { url: string; stop(): Promise<void> };

/**
 * A private MariaDB server for one test run: its own data directory, socket and port on
 * loopback, started in about a second, removed afterwards. Follows ENVIRONMENT.md.
 */
export async function startMariadb(options: { bufferPool?: string } = {}): Promise<ThrowawayMariadb> {
  if (!MARIADBD) throw new Error('mariadbd is not installed (apt-get install -y mariadb-server)');
  const dir = await mkdtemp(join(tmpdir(), 'remindme-mariadb-'));
  const port = await freePort();
  const socket = join(dir, 'mysqld.sock');
  const install = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${dir}/data`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);

  const child: ChildProcess = spawn(
    MARIADBD,
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${dir}/data`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${dir}/mariadbd.pid`,
      '--skip-log-bin',
      `--innodb-buffer-pool-size=${options.bufferPool ?? '64M'}`,
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_520_ci',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ping = spawnSync('mariadb-admin', ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'], {
      stdio: 'ignore',
    });
    if (ping.status === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`MariaDB did not start:\n${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // TCP root login with an empty password, loopback only; the server dies with the run.
  spawnSync('mariadb', [
    '--no-defaults',
    `--socket=${socket}`,
    '-uroot',
    '-e',
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
  ]);

  return {
    url: `mysql://root@127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
