import { browser } from 'wxt/browser';
import { ownerOf, sameOwner, signedInClient } from './account';
import { requestPrefetch } from './image-cache';
import { deletePending, getPending, listPendingKeys } from './image-db';
import { entryImageKey } from './outbox-deliver';
import { sendDue, type FlushReport } from './outbox-send';
import { updateOutbox } from './outbox-store';
import { createSingleFlight } from './serial';
import { outboxItem, type OutboxEntry } from './storage';

/**
 * The outbox: every save goes through it, so nothing a person saved is lost when the
 * server is down, the worker is stopped mid-request, or nobody is signed in.
 *
 * Delivery is exactly-once from the person's point of view: the reminder id is generated
 * before the first attempt and the server treats a repeated create with the same id as the
 * same reminder (200), so a retry after a lost response cannot make a copy. An entry leaves
 * the outbox only when the server has it. A refusal (4xx) keeps the entry, marked failed
 * with the server's reason, until the person retries or dismisses it. Network errors and
 * 5xx wait and retry with exponential backoff.
 *
 * An image travels with its entry: its bytes stay in IndexedDB until the server has the
 * reminder with the image attached (outbox-deliver.ts), and only then are they deleted.
 */

export const OUTBOX_ALARM = 'remindme-outbox-retry';

export { backoffMs, updateOutbox } from './outbox-store';
export type { FlushReport } from './outbox-send';

export function enqueue(entry: OutboxEntry): Promise<OutboxEntry[]> {
  return updateOutbox((entries) => (entries.some((e) => e.id === entry.id) ? entries : [...entries, entry]));
}

/**
 * Queues a change of a reminder's image. A newer change to the same reminder's image
 * replaces one still waiting (the person changed their mind; only the last choice counts),
 * and the replaced one's bytes are let go.
 */
export async function enqueueReplacing(entry: OutboxEntry): Promise<void> {
  let replaced: string | null = null;
  await updateOutbox((entries) => {
    const old = entries.find((e) => e.id === entry.id);
    replaced = old && old.kind === entry.kind ? entryImageKey(old) : null;
    return [...entries.filter((e) => e.id !== entry.id), entry];
  });
  const newKey = entryImageKey(entry);
  if (replaced && replaced !== newKey) await deletePending([replaced]).catch(() => undefined);
}

let forceNext = false;

async function flushOnce(): Promise<FlushReport> {
  const force = forceNext;
  forceNext = false;
  const report: FlushReport = { delivered: [], refused: [], waiting: 0 };
  const client = await signedInClient();
  const owner = client ? ownerOf(client.session) : null;
  const ours = (e: OutboxEntry) => !owner || !e.owner || sameOwner(e.owner, owner);
  if (client && owner) await sendDue(client.api, client.session, owner, { force, ours, report });
  const left = (await outboxItem.getValue()).filter((e) => e.status === 'pending' && ours(e));
  report.waiting = left.length;
  // A delivered image (or a changed one) belongs in the new tab's cache.
  if (report.delivered.length > 0) requestPrefetch();
  await scheduleRetry(client ? left : []);
  return report;
}

const runFlush = createSingleFlight(flushOnce);

/**
 * Sends what is due. `force` ignores the backoff (a person pressed retry, the network came
 * back, a save was just made). Concurrent calls share one run; see createSingleFlight.
 */
export function flushOutbox(options: { force?: boolean } = {}): Promise<FlushReport> {
  if (options.force) forceNext = true;
  return runFlush();
}

/** Wakes the worker when the earliest entry that can be sent now is due. */
async function scheduleRetry(sendable: OutboxEntry[]): Promise<void> {
  const due = sendable.map((e) => e.nextAttemptAt);
  if (due.length === 0) {
    await browser.alarms.clear(OUTBOX_ALARM);
    return;
  }
  // Chrome runs alarms at most every 30 s; an earlier time simply fires at that point.
  await browser.alarms.create(OUTBOX_ALARM, { when: Math.max(Date.now() + 30_000, Math.min(...due)) });
}

export async function retryFailed(id: string): Promise<void> {
  await updateOutbox((all) =>
    all.map((e) =>
      e.id === id && e.status === 'failed' ? { ...e, status: 'pending', nextAttemptAt: 0 } : e,
    ),
  );
}

/** The person gave up on a refused save: it and its image bytes go. */
export async function dismissFailed(id: string): Promise<void> {
  let key: string | null = null;
  await updateOutbox((all) => {
    const gone = all.find((e) => e.id === id && e.status === 'failed');
    key = gone ? entryImageKey(gone) : null;
    return all.filter((e) => e !== gone);
  });
  if (key) await deletePending([key]).catch(() => undefined);
}

/** Bytes no entry names for this long were stored by a page whose save never arrived. */
const ORPHAN_AFTER_MS = 60 * 60_000;

/** Removes image bytes that no outbox entry names (a popup closed mid-save, a crash). */
export async function sweepPendingBytes(now = Date.now()): Promise<number> {
  const named = new Set((await outboxItem.getValue()).map(entryImageKey));
  const orphans: string[] = [];
  for (const key of await listPendingKeys()) {
    if (named.has(key)) continue;
    // Young ones may belong to a save whose message is still on its way.
    const stored = await getPending(key);
    if (stored && now - stored.createdAt > ORPHAN_AFTER_MS) orphans.push(key);
  }
  await deletePending(orphans);
  return orphans.length;
}
