import { access, constants, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { loadConfig, ConfigError, type Config } from './config';
import { openDatabase, ping, type Database } from './db/client';
import { pendingMigrations } from './db/migration-status';
import { createImageKitStore } from './images/store-imagekit';

export type CheckResult = { name: string; ok: boolean; detail: string };

/**
 * Pre-flight: everything a deploy can get wrong, checked before serving, so a broken setup
 * is a list of problems at start-up rather than a server answering 500 to everything.
 */
export async function runChecks(
  env: Record<string, string | undefined>,
  options: { expectMigrated: boolean; extensionDir?: string; listen?: boolean },
): Promise<{ config?: Config; results: CheckResult[] }> {
  const results: CheckResult[] = [];
  let config: Config;
  try {
    config = loadConfig(env);
    results.push({ name: 'config', ok: true, detail: describeConfig(config) });
  } catch (error) {
    if (error instanceof ConfigError) {
      results.push({ name: 'config', ok: false, detail: error.problems.join('; ') });
      return { results };
    }
    throw error;
  }

  results.push(await checkWritable(config.dataDir));
  results.push(await checkImageStorage(config));
  if (options.listen !== false) results.push(await checkListen(config));

  let database: Database | undefined;
  try {
    database = openDatabase(config.database);
    await ping(database);
    results.push({ name: 'database', ok: true, detail: `${database.dialect} reachable` });
    if (options.expectMigrated) results.push(await checkMigrated(database));
  } catch (error) {
    results.push({ name: 'database', ok: false, detail: `cannot connect: ${reason(error)}` });
  } finally {
    await database?.close().catch(() => undefined);
  }

  if (options.extensionDir) {
    const manifest = join(options.extensionDir, 'manifest.json');
    try {
      await access(manifest, constants.R_OK);
      results.push({ name: 'extension', ok: true, detail: `built at ${resolve(options.extensionDir)}` });
    } catch {
      results.push({ name: 'extension', ok: false, detail: `${manifest} is missing: run \`npm run build\`` });
    }
  }
  return { config, results };
}

function describeConfig(config: Config): string {
  const db = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'MySQL';
  const images = config.images.store.kind === 'local' ? 'images on local disk' : 'images in ImageKit';
  return `listening on ${config.host}:${config.port}, ${db}, ${images}, data in ${config.dataDir}`;
}

async function checkWritable(dir: string): Promise<CheckResult> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return { name: 'data directory', ok: true, detail: `${resolve(dir)} is writable` };
  } catch (error) {
    return { name: 'data directory', ok: false, detail: `${resolve(dir)} is not writable: ${reason(error)}` };
  }
}

/** Local: the images directory is writable. ImageKit: the keys are accepted by ImageKit. */
async function checkImageStorage(config: Config): Promise<CheckResult> {
  const store = config.images.store;
  if (store.kind === 'local') {
    const result = await checkWritable(store.dir);
    return { ...result, name: 'image storage' };
  }
  const ready = await createImageKitStore(store).ready();
  return { name: 'image storage', ok: ready.ok, detail: ready.detail };
}

async function checkMigrated(database: Database): Promise<CheckResult> {
  try {
    const pending = await pendingMigrations(database);
    if (!pending.length) return { name: 'migrations', ok: true, detail: 'every migration applied' };
    return {
      name: 'migrations',
      ok: false,
      detail: `${pending.length} not applied (${pending.join(', ')}): run \`remindme migrate\``,
    };
  } catch (error) {
    return { name: 'migrations', ok: false, detail: `cannot read the migration table: ${reason(error)}` };
  }
}

/** The address the server will listen on is free and belongs to this machine. */
async function checkListen(config: Config): Promise<CheckResult> {
  const where = `${config.host}:${config.port}`;
  if (config.port === 0) return { name: 'listen', ok: true, detail: `${config.host}, a free port` };
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    return { name: 'listen', ok: true, detail: `${where} is free` };
  } catch (error) {
    return { name: 'listen', ok: false, detail: listenProblem(error, config) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

export function listenProblem(error: unknown, config: Pick<Config, 'host' | 'port'>): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    return `port ${config.port} on ${config.host} is already in use (is RemindMe already running?); set PORT to another one`;
  if (code === 'EACCES') return `not allowed to listen on port ${config.port}; use a port above 1023`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `HOST ${config.host} does not resolve to an address`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${config.host} is not an address of this machine`;
  return `cannot listen on ${config.host}:${config.port} (${reason(error)})`;
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}
