import { libraryChanged } from './library-changes';
import { createSerialQueue } from './serial';
import { outboxItem, type OutboxEntry } from './storage';

/** The outbox's storage: one read-modify-write at a time, and when to try again. */

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 30 * 60_000;

/** 30 s, 1 min, 2 min … capped at 30 min, with jitter so many clients do not retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

const mutate = createSerialQueue();

/** Read-modify-write of the outbox, one at a time. */
export function updateOutbox(change: (entries: OutboxEntry[]) => OutboxEntry[]): Promise<OutboxEntry[]> {
  return mutate(async () => {
    const next = change(await outboxItem.getValue());
    await outboxItem.setValue(next);
    libraryChanged();
    return next;
  });
}

/**
 * The same queued change, not merely the same id: a newer change may take the id of one
 * that is in flight (an image change, an edit merged into a waiting one), and what happens
 * to the old one (its upload id, its removal once delivered, its failure) must not touch
 * the newer one.
 */
export const sameEntry = (a: OutboxEntry, b: OutboxEntry) => a.id === b.id && a.createdAt === b.createdAt;
