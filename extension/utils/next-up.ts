import { sameOwner, ownerOf } from './account';
import {
  mirrorItem,
  nextUpItem,
  outboxItem,
  recentlyShownItem,
  sessionItem,
  syncStatusItem,
  type NextUp,
  type ShownReminder,
} from './storage';
import { createSerialQueue } from './serial';

/**
 * The new tab must paint without waiting, so the choice of what it shows next is made
 * here, ahead of time, and stored as one small record. Picks avoid whatever was shown
 * recently (up to half the collection), so "another one" never repeats immediately and a
 * small collection still rotates through everything.
 */

const RECENT_LIMIT = 50;

export function pickNext(
  pool: readonly ShownReminder[],
  recent: readonly string[],
  random: () => number = Math.random,
): ShownReminder | null {
  if (pool.length === 0) return null;
  const avoidCount = Math.min(recent.length, Math.max(1, Math.floor(pool.length / 2)));
  const avoid = new Set(recent.slice(recent.length - avoidCount));
  let candidates = pool.filter((r) => !avoid.has(r.id));
  if (candidates.length === 0) candidates = [...pool];
  const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length));
  return candidates[index] ?? null;
}

/** My synced reminders plus my saves still waiting in the outbox (they are mine too). */
export async function currentPool(): Promise<ShownReminder[] | null> {
  const session = await sessionItem.getValue();
  if (!session) return null;
  const owner = ownerOf(session);
  const [mirror, outbox] = await Promise.all([mirrorItem.getValue(), outboxItem.getValue()]);
  const pool: ShownReminder[] = [];
  const seen = new Set<string>();
  if (sameOwner(mirror.owner, owner)) {
    for (const r of Object.values(mirror.reminders)) {
      if (r.deletedAt) continue;
      seen.add(r.id);
      pool.push({
        id: r.id,
        text: r.text,
        author: r.author,
        sourceUrl: r.sourceUrl,
        sourceTitle: r.sourceTitle,
        pending: false,
      });
    }
  }
  for (const entry of outbox) {
    if (entry.status !== 'pending' || seen.has(entry.id)) continue;
    if (entry.owner && !sameOwner(entry.owner, owner)) continue;
    pool.push({
      id: entry.id,
      text: entry.input.text,
      author: entry.input.author ?? null,
      sourceUrl: entry.input.sourceUrl ?? null,
      sourceTitle: entry.input.sourceTitle ?? null,
      pending: true,
    });
  }
  return pool;
}

const mutateNextUp = createSerialQueue();

export function recomputeNextUp(random: () => number = Math.random): Promise<NextUp> {
  return mutateNextUp(async () => {
    const pool = await currentPool();
    let next: NextUp;
    if (!pool) {
      next = { status: 'signed-out' };
    } else {
      const picked = pickNext(pool, await recentlyShownItem.getValue(), random);
      const synced = (await syncStatusItem.getValue()).lastSyncedAt !== null;
      next = picked
        ? { status: 'ready', reminder: picked, poolSize: pool.length }
        : { status: 'empty', synced };
    }
    await nextUpItem.setValue(next);
    return next;
  });
}

/** A new tab showed `id`: remember it and prepare a different one for the next tab. */
export async function markShown(id: string): Promise<NextUp> {
  const recent = (await recentlyShownItem.getValue()).filter((r) => r !== id);
  recent.push(id);
  await recentlyShownItem.setValue(recent.slice(-RECENT_LIMIT));
  return recomputeNextUp();
}

/** "Another one": hands out the prepared reminder and prepares the one after it. */
export async function takeNext(currentId: string | null): Promise<NextUp> {
  let next = await nextUpItem.getValue();
  if (next.status !== 'ready' || next.reminder.id === currentId) {
    if (currentId) await markShown(currentId);
    next = await recomputeNextUp();
  }
  if (next.status === 'ready') await markShown(next.reminder.id);
  return next;
}
