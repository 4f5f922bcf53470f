import type { Logger } from '../logger';
import type { ReminderRepo } from './repo';

const BATCH = 500;

/**
 * Reminders written before the search index existed have no index rows and no dedupe key;
 * this builds them, a batch per transaction, at start-up (after migrations). It is cheap
 * when there is nothing to do, and safe to interrupt: the next start carries on.
 */
export async function backfillSearchIndex(
  repo: Pick<ReminderRepo, 'listUnindexed' | 'reindex'>,
  logger: Logger,
): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await repo.listUnindexed(BATCH);
    if (!rows.length) break;
    await repo.reindex(rows);
    done += rows.length;
  }
  if (done) logger.info('built the search index for existing reminders', { reminders: done });
  return done;
}
