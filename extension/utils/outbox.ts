import { browser } from 'wxt/browser';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError, type ApiClient } from './api';
import { ownerOf, sameOwner, sessionEnded, signedInClient } from './account';
import { reportDelivered, reportRefused } from './feedback';
import { requestPrefetch } from './image-cache';
import { deletePending, getPending, listPendingKeys } from './image-db';
import { deliver, pendingKey } from './outbox-deliver';
import { createSerialQueue, createSingleFlight } from './serial';
import { outboxItem, type OutboxEntry, type Owner, type Session } from './storage';
import { upsertReminder } from './sync';

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
    return next;
  });
}

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
    replaced = old && old.kind === entry.kind ? pendingKey(old.image) : null;
    return [...entries.filter((e) => e.id !== entry.id), entry];
  });
  const newKey = pendingKey(entry.image);
  if (replaced && replaced !== newKey) await deletePending([replaced]).catch(() => undefined);
}

export interface FlushReport {
  delivered: Array<{ entry: OutboxEntry; reminder: Reminder | null }>;
  refused: OutboxEntry[];
  /** Still waiting: the server could not be reached, or nobody is signed in. */
  waiting: number;
}

let forceNext = false;

async function flushOnce(): Promise<FlushReport> {
  const force = forceNext;
  forceNext = false;
  const report: FlushReport = { delivered: [], refused: [], waiting: 0 };
  const client = await signedInClient();
  const owner = client ? ownerOf(client.session) : null;
  const mine = (e: OutboxEntry) =>
    e.status === 'pending' && (!owner || !e.owner || sameOwner(e.owner, owner));
  if (client && owner) await sendDue(client.api, client.session, owner, { force, mine, report });
  const left = (await outboxItem.getValue()).filter(mine);
  report.waiting = left.length;
  // A delivered image (or a changed one) belongs in the new tab's cache.
  if (report.delivered.length > 0) requestPrefetch();
  await scheduleRetry(client ? left : []);
  return report;
}

/**
 * The same queued change, not merely the same id: a newer image change to a reminder takes
 * the id of one that may be in flight, and what happens to the old one (its upload id, its
 * removal once delivered, its failure) must not touch the newer one.
 */
const sameEntry = (a: OutboxEntry, b: OutboxEntry) => a.id === b.id && a.createdAt === b.createdAt;

const rememberUpload = (entry: OutboxEntry) => (_id: string, uploadedImageId: string | null) =>
  updateOutbox((all) => all.map((e) => (sameEntry(e, entry) ? { ...e, uploadedImageId } : e))).then(
    () => undefined,
  );

async function sendDue(
  api: ApiClient,
  session: Session,
  owner: Owner,
  { force, mine, report }: { force: boolean; mine: (e: OutboxEntry) => boolean; report: FlushReport },
): Promise<void> {
  const now = Date.now();
  for (const queued of await outboxItem.getValue()) {
    if (!mine(queued)) continue;
    if (!force && queued.nextAttemptAt > now) continue;
    // Re-read: an upload earlier in this run may have changed the entry (uploadedImageId).
    const entry = (await outboxItem.getValue()).find((e) => e.id === queued.id);
    if (!entry || !mine(entry)) continue;
    try {
      const reminder = await deliver(api, session, entry, rememberUpload(entry));
      await upsertReminder(owner, reminder);
      await updateOutbox((all) => all.filter((e) => !sameEntry(e, entry)));
      report.delivered.push({ entry, reminder });
      await reportDelivered(entry);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'id_conflict' && entry.kind === 'create') {
        // Our own id already exists on the server: an earlier attempt got through.
        await updateOutbox((all) => all.filter((e) => !sameEntry(e, entry)));
        const key = pendingKey(entry.image);
        if (key) await deletePending([key]).catch(() => undefined);
        report.delivered.push({ entry, reminder: null });
        await reportDelivered(entry);
        continue;
      }
      if (error.status === 401) {
        // Not a verdict on the reminder: it waits, still owned, for the next sign-in.
        await sessionEnded();
        break;
      }
      if (error.retryable) {
        const attempts = entry.attempts + 1;
        await updateOutbox((all) =>
          all.map((e) =>
            sameEntry(e, entry)
              ? {
                  ...e,
                  owner,
                  attempts,
                  nextAttemptAt: Date.now() + backoffMs(attempts),
                  lastError: { code: error.code, message: error.message },
                }
              : e,
          ),
        );
        // The server is down: the remaining entries would fail the same way.
        if (error.kind === 'unreachable') break;
        continue;
      }
      const failed: OutboxEntry = {
        ...entry,
        owner,
        status: 'failed',
        attempts: entry.attempts + 1,
        lastError: { code: error.code, message: error.message },
      };
      let replaced = true;
      await updateOutbox((all) =>
        all.map((e) => {
          if (!sameEntry(e, entry)) return e;
          replaced = false;
          return failed;
        }),
      );
      // A change the person has since replaced by a newer one is not worth a word.
      if (replaced) continue;
      report.refused.push(failed);
      await reportRefused(failed);
    }
  }
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
    key = gone ? pendingKey(gone.image) : null;
    return all.filter((e) => e !== gone);
  });
  if (key) await deletePending([key]).catch(() => undefined);
}

/** Bytes no entry names for this long were stored by a page whose save never arrived. */
const ORPHAN_AFTER_MS = 60 * 60_000;

/** Removes image bytes that no outbox entry names (a popup closed mid-save, a crash). */
export async function sweepPendingBytes(now = Date.now()): Promise<number> {
  const named = new Set((await outboxItem.getValue()).map((e) => pendingKey(e.image)));
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
