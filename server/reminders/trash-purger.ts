import type { Logger } from '../logger';
import type { TrashService } from './trash';

const EVERY_MS = 60 * 60 * 1000;

/** Empties expired trash now and then hourly; `stop` ends it (graceful shutdown). */
export function startTrashPurger(
  trash: Pick<TrashService, 'purgeExpired'>,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const purge = () => {
    running = trash
      .purgeExpired()
      .catch((error: unknown) => logger.warn('trash purge failed', { error: String(error) }));
  };
  purge();
  const timer = setInterval(purge, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
