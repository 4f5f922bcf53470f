import { describeError } from '../http/describe-error';
import type { Logger } from '../logger';
import type { ImageService } from './service';

const EVERY_MS = 60 * 60 * 1000;

/** Runs the unattached-upload purge now and then hourly; `stop` ends it (graceful shutdown). */
export function startImageSweeper(
  images: Pick<ImageService, 'purgeUnattached'>,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = images.purgeUnattached().then(
      (purged) => {
        if (purged) logger.info('removed unattached images', { purged });
      },
      (error: unknown) => logger.warn('image sweep failed', { error: describeError(error) }),
    );
  };
  sweep();
  const timer = setInterval(sweep, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
