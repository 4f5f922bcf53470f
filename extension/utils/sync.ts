import { LIMITS } from '../../shared/limits';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError } from './api';
import { failureOf, ownerOf, sameOwner, sessionEnded, signedInClient, type Failure } from './account';
import { libraryChanged } from './library-changes';
import { createSerialQueue, createSingleFlight } from './serial';
import { readMirror, writeMirror } from './mirror-store';
import { sessionItem, syncStatusItem, type Mirror, type Owner } from './storage';

/**
 * Pull-only sync into the local mirror. The server is the source of truth; the mirror is a
 * cache for offline picks and the popup list. Changes are applied by id, a tombstone
 * removes the reminder, and a change never replaces a copy with a higher version (a page
 * fetched before a save was delivered must not undo it).
 */

/** Applies server changes to a copy of the mirror's reminders. */
export function applyChanges(
  reminders: Readonly<Record<string, Reminder>>,
  changes: readonly Reminder[],
): { reminders: Record<string, Reminder>; changed: number } {
  const next = { ...reminders };
  let changed = 0;
  for (const change of changes) {
    const current = next[change.id];
    if (current && current.version > change.version) continue;
    if (change.deletedAt) {
      if (current) {
        delete next[change.id];
        changed++;
      }
      continue;
    }
    if (!current || current.version !== change.version || current.updatedAt !== change.updatedAt) {
      changed++;
    }
    next[change.id] = change;
  }
  return { reminders: next, changed };
}

const mutateMirror = createSerialQueue();

/** Reads the mirror as `owner`'s: another person's (or nobody's) copy counts as empty. */
function mirrorFor(mirror: Mirror, owner: Owner): Mirror {
  return sameOwner(mirror.owner, owner) ? mirror : { owner, cursor: null, reminders: {} };
}

/** A sign-out may land while a request is in flight: its answer must not be written back. */
async function stillSignedInAs(owner: Owner): Promise<boolean> {
  const session = await sessionItem.getValue();
  return !!session && sameOwner(ownerOf(session), owner);
}

/** Records a reminder the server just confirmed, without waiting for the next sync. */
export function upsertReminder(owner: Owner, reminder: Reminder): Promise<void> {
  return mutateMirror(async () => {
    if (!(await stillSignedInAs(owner))) return;
    const mirror = mirrorFor(await readMirror(), owner);
    const { reminders } = applyChanges(mirror.reminders, [reminder]);
    await writeMirror({ ...mirror, reminders });
    libraryChanged();
  });
}

/** A reminder the server has just put in its trash leaves the mirror at once. */
export function removeFromMirror(owner: Owner, id: string): Promise<void> {
  return mutateMirror(async () => {
    if (!(await stillSignedInAs(owner))) return;
    const mirror = mirrorFor(await readMirror(), owner);
    if (!mirror.reminders[id]) return;
    const reminders = { ...mirror.reminders };
    delete reminders[id];
    await writeMirror({ ...mirror, reminders });
    libraryChanged();
  });
}

export type SyncResult = { ok: true; changed: number } | { ok: false; error: Failure };

/** Upper bound on pages per run, so a server that always says `hasMore` cannot spin us. */
const MAX_PAGES = 1_000;

async function pullChanges(): Promise<SyncResult> {
  const client = await signedInClient();
  if (!client) {
    return {
      ok: false,
      error: { code: 'unauthorized', message: 'Sign in to sync your reminders.', fields: {} },
    };
  }
  const owner = ownerOf(client.session);
  let changed = 0;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const { cursor } = mirrorFor(await readMirror(), owner);
      const response = await client.api.sync({ since: cursor, limit: LIMITS.syncPageSizeMax });
      // The cursor moves together with the changes it covers, in one write.
      const written = await mutateMirror(async () => {
        if (!(await stillSignedInAs(owner))) return false;
        const mirror = mirrorFor(await readMirror(), owner);
        const applied = applyChanges(mirror.reminders, response.changes);
        changed += applied.changed;
        // Nothing new: the stored copy is already right, and writing megabytes is not free.
        if (applied.changed === 0 && response.cursor === mirror.cursor && mirror.owner) return true;
        await writeMirror({ owner, cursor: response.cursor, reminders: applied.reminders });
        if (applied.changed > 0) libraryChanged();
        return true;
      });
      if (!written || !response.hasMore) break;
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    const failure = failureOf(error);
    await syncStatusItem.setValue({
      lastSyncedAt: (await syncStatusItem.getValue()).lastSyncedAt,
      lastError: failure.message,
    });
    return { ok: false, error: failure };
  }
  await syncStatusItem.setValue({ lastSyncedAt: new Date().toISOString(), lastError: null });
  return { ok: true, changed };
}

/** One sync at a time; a request made during a run gets a fresh run afterwards. */
export const syncNow = createSingleFlight(pullChanges);

/** Syncs unless the last successful sync is recent (used when the worker wakes up). */
export async function syncIfStale(maxAgeMs: number): Promise<boolean> {
  const { lastSyncedAt } = await syncStatusItem.getValue();
  if (lastSyncedAt && Date.now() - Date.parse(lastSyncedAt) < maxAgeMs) return false;
  return (await syncNow()).ok;
}
