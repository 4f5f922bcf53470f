import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError, type ApiClient } from './api';
import { sessionEnded } from './account';
import { reportConflict, reportDelivered, reportRefused } from './feedback';
import { deletePending } from './image-db';
import { deliver, entryImageKey } from './outbox-deliver';
import { ConflictError, type Delivered } from './outbox-library';
import { backoffMs, sameEntry, updateOutbox } from './outbox-store';
import { outboxItem, reminderIdOf, type OutboxEntry, type Owner, type Session } from './storage';
import { removeFromMirror, upsertReminder } from './sync';

/**
 * One pass over the outbox, oldest first. Changes of one reminder go in the order they were
 * made: while an earlier one still waits (backing off, or a create the server refused), the
 * later ones wait behind it — a delete must not overtake the edit before it, nor an edit
 * the create it is about. Image changes re-read the reminder and need no such order.
 */

export interface FlushReport {
  delivered: Array<{ entry: OutboxEntry; reminder: Reminder | null }>;
  refused: OutboxEntry[];
  /** Still waiting: the server could not be reached, or nobody is signed in. */
  waiting: number;
}

export interface SendOptions {
  force: boolean;
  /** Entries this account may send: its own and those saved while signed out. */
  ours: (e: OutboxEntry) => boolean;
  report: FlushReport;
}

const rememberUpload = (entry: OutboxEntry) => (_id: string, uploadedImageId: string | null) =>
  updateOutbox((all) => all.map((e) => (sameEntry(e, entry) ? { ...e, uploadedImageId } : e))).then(
    () => undefined,
  );

const ordered = (e: OutboxEntry) => e.kind !== 'setImage';

export async function sendDue(
  api: ApiClient,
  session: Session,
  owner: Owner,
  { force, ours, report }: SendOptions,
): Promise<void> {
  const now = Date.now();
  const held = new Set<string>();
  for (const queued of await outboxItem.getValue()) {
    if (!ours(queued)) continue;
    const rid = reminderIdOf(queued);
    if (ordered(queued) && held.has(rid)) continue;
    if (queued.status !== 'pending') {
      if (queued.kind === 'create') held.add(rid);
      continue;
    }
    if (!force && queued.nextAttemptAt > now) {
      if (ordered(queued)) held.add(rid);
      continue;
    }
    // Re-read: an upload earlier in this run may have changed the entry (uploadedImageId).
    const entry = (await outboxItem.getValue()).find((e) => e.id === queued.id);
    if (!entry || !ours(entry) || entry.status !== 'pending') continue;
    try {
      await delivered(owner, entry, await deliver(api, session, entry, rememberUpload(entry)), report);
    } catch (error) {
      if (error instanceof ConflictError) {
        await conflicted(owner, entry, error, report);
        continue;
      }
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'id_conflict' && entry.kind === 'create') {
        // Our own id already exists on the server: an earlier attempt got through.
        await delivered(owner, entry, { reminder: null }, report);
        continue;
      }
      if (error.status === 401) {
        // Not a verdict on the reminder: it waits, still owned, for the next sign-in.
        await sessionEnded();
        break;
      }
      if (ordered(entry)) held.add(rid);
      if (error.retryable) {
        await retryLater(owner, entry, error);
        // The server is down: the remaining entries would fail the same way.
        if (error.kind === 'unreachable') break;
        continue;
      }
      await refused(owner, entry, error, report);
    }
  }
}

async function delivered(owner: Owner, entry: OutboxEntry, result: Delivered, report: FlushReport) {
  const { reminder, removedId } = result;
  if (reminder) await upsertReminder(owner, reminder);
  if (removedId) await removeFromMirror(owner, removedId);
  await updateOutbox((all) =>
    rebase(
      all.filter((e) => !sameEntry(e, entry)),
      entry,
      reminder,
    ),
  );
  const key = entryImageKey(entry);
  if (key && !reminder) await deletePending([key]).catch(() => undefined);
  report.delivered.push({ entry, reminder });
  await reportDelivered(entry);
}

/**
 * Edits queued on top of a change that just arrived are based on its result: on a create
 * (they waited for its first version), or on an edit that went straight through (the new
 * version is exactly the old one plus that edit). After an edit that had to be merged with
 * one made elsewhere they keep their base, so their own fields are checked again.
 */
function rebase(all: OutboxEntry[], done: OutboxEntry, reminder: Reminder | null): OutboxEntry[] {
  if (!reminder || (done.kind !== 'create' && done.kind !== 'update')) return all;
  const straight =
    done.kind === 'update' && done.baseVersion !== null && reminder.version === done.baseVersion + 1;
  return all.map((e) => {
    if (e.kind !== 'update' || e.reminderId !== reminder.id) return e;
    const onIt =
      e.baseVersion === null || (straight && done.kind === 'update' && e.baseVersion === done.baseVersion);
    return onIt ? { ...e, baseVersion: reminder.version } : e;
  });
}

async function retryLater(owner: Owner, entry: OutboxEntry, error: ApiError) {
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
}

/** Marks the entry failed; false when the person has since replaced it with a newer one. */
async function markFailed(entry: OutboxEntry, failed: OutboxEntry): Promise<boolean> {
  let found = false;
  await updateOutbox((all) =>
    all.map((e) => {
      if (!sameEntry(e, entry)) return e;
      found = true;
      return failed;
    }),
  );
  return found;
}

async function refused(owner: Owner, entry: OutboxEntry, error: ApiError, report: FlushReport) {
  const failed: OutboxEntry = {
    ...entry,
    owner,
    status: 'failed',
    attempts: entry.attempts + 1,
    lastError: { code: error.code, message: error.message },
  };
  // A change the person has since replaced by a newer one is not worth a word.
  if (!(await markFailed(entry, failed))) return;
  report.refused.push(failed);
  await reportRefused(failed);
}

/** The person decides; until then the edit stays, with the server's copy beside it. */
async function conflicted(owner: Owner, entry: OutboxEntry, error: ConflictError, report: FlushReport) {
  if (entry.kind !== 'update') return;
  const failed: OutboxEntry = {
    ...entry,
    owner,
    status: 'failed',
    attempts: entry.attempts + 1,
    theirs: error.theirs,
    lastError: { code: 'version_mismatch', message: error.message },
  };
  if (!(await markFailed(entry, failed))) return;
  // The mirror learns the server's copy now: the library shows both sides from it.
  await upsertReminder(owner, error.theirs);
  report.refused.push(failed);
  await reportConflict(failed);
}
