import { browser } from 'wxt/browser';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError, type ApiClient } from './api';
import { ownerOf, sameOwner, sessionEnded, signedInClient } from './account';
import { reportDelivered, reportRefused } from './feedback';
import { createSerialQueue, createSingleFlight } from './serial';
import { outboxItem, type OutboxEntry, type Owner } from './storage';
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
  if (client && owner) await sendDue(client.api, owner, { force, mine, report });
  const left = (await outboxItem.getValue()).filter(mine);
  report.waiting = left.length;
  await scheduleRetry(client ? left : []);
  return report;
}

async function sendDue(
  api: ApiClient,
  owner: Owner,
  { force, mine, report }: { force: boolean; mine: (e: OutboxEntry) => boolean; report: FlushReport },
): Promise<void> {
  const now = Date.now();
  for (const entry of await outboxItem.getValue()) {
    if (!mine(entry)) continue;
    if (!force && entry.nextAttemptAt > now) continue;
    try {
      const { reminder } = await api.createReminder(entry.input);
      await upsertReminder(owner, reminder);
      await updateOutbox((all) => all.filter((e) => e.id !== entry.id));
      report.delivered.push({ entry, reminder });
      await reportDelivered(entry);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'id_conflict') {
        // Our own id already exists on the server: an earlier attempt got through.
        await updateOutbox((all) => all.filter((e) => e.id !== entry.id));
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
            e.id === entry.id
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
      await updateOutbox((all) => all.map((e) => (e.id === entry.id ? failed : e)));
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

export async function dismissFailed(id: string): Promise<void> {
  await updateOutbox((all) => all.filter((e) => !(e.id === id && e.status === 'failed')));
}
