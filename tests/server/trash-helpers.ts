import { createImageService } from '../../server/images/service';
import { silentLogger } from '../../server/logger';
import { createTrashService } from '../../server/reminders/trash';
import { LIBRARY } from '../../shared/limits';
import type { Harness } from './harness';

/**
 * The trash purge as main.ts runs it, with the app's stores. By default its clock is the
 * harness's moved past the trash period, so sessions stay valid; pass `clock` to share one.
 */
export function trashPurge(
  h: Harness,
  clock: () => Date = () => new Date(h.clock.now.getTime() + LIBRARY.trashMs + 60_000),
) {
  const images = createImageService({
    repo: h.repos.images,
    store: h.images.images.store,
    clock,
    logger: silentLogger,
    tempDir: h.images.images.tempDir,
    processor: h.images.images.processor,
  });
  return createTrashService(h.repos.reminders, clock, images, silentLogger);
}
