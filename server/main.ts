import { describeError } from './http/describe-error';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { Config } from './config';
import { migrate, openDatabase, type Database } from './db/client';
import { createRepos } from './db/repos';
import { createImageService } from './images/service';
import { createImageDeps, type ImageDeps } from './images/setup';
import { startImageSweeper } from './images/sweeper';
import type { Logger } from './logger';
import { listenProblem } from './check';

/** The address could not be listened on; `message` says why in words a person can act on. */
export class ListenError extends Error {
  constructor(cause: unknown, config: Pick<Config, 'host' | 'port'>) {
    super(listenProblem(cause, config), { cause });
    this.name = 'ListenError';
  }
}
import { backfillSearchIndex } from './reminders/backfill';
import { createTrashService } from './reminders/trash';
import { startTrashPurger } from './reminders/trash-purger';

export type RunningServer = { url: string; database: Database; close(): Promise<void> };

/**
 * Opens the database, applies migrations and listens. Used by the CLI and by tests; only
 * tests pass `options.images` (e.g. to let `{url}` uploads reach a loopback image server).
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: { images?: Pick<ImageDeps, 'remoteFetch'> } = {},
): Promise<RunningServer> {
  const database = openDatabase(config.database);
  let images: ImageDeps;
  try {
    await migrate(database);
    images = await createImageDeps(config, options.images);
  } catch (error) {
    await database.close();
    throw error;
  }
  const repos = createRepos(database);
  try {
    await backfillSearchIndex(repos.reminders, logger);
  } catch (error) {
    await images.processor.close();
    await database.close();
    throw error;
  }
  const clock = () => new Date();
  const app = createApp({ database, repos, logger, clock, images });

  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    await images.processor.close();
    await database.close();
    throw new ListenError(error, config);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const imageService = createImageService({
    repo: repos.images,
    store: images.store,
    clock,
    logger,
    tempDir: images.tempDir,
    processor: images.processor,
  });
  const sweeper = startImageSweeper(imageService, logger);
  const purger = startTrashPurger(createTrashService(repos.reminders, clock, imageService, logger), logger);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests finish, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await Promise.all([sweeper.stop(), purger.stop()]);
      await images.processor.close();
      await database.close();
    })());

  return { url, database, close };
}

/** Runs until SIGTERM/SIGINT, then shuts down cleanly. */
export function closeOnSignals(running: RunningServer, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
