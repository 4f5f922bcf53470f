import * as v from 'valibot';
import { UpdateReminderInputSchema } from '../../shared/schemas/reminders';
import { describeIssues } from '../../shared/validation';
import { ownerOf, sameOwner, type Failure } from './account';
import { previewOf, refreshBadge } from './feedback';
import { libraryRow } from './library-index';
import { fieldsOf } from './library-overlay';
import type { ChangeState } from './messages';
import { recomputeNextUp } from './next-up';
import { dismissFailed, flushOutbox } from './outbox';
import { sameEntry, updateOutbox } from './outbox-store';
import { readMirror } from './mirror-store';
import {
  outboxItem,
  reminderIdOf,
  sessionItem,
  type OutboxEntry,
  type Owner,
  type ReminderFields,
  type ReminderPatch,
  type UpdateEntry,
} from './storage';
import { upsertReminder } from './sync';
import { trashSnapshot } from './trash-view';

/**
 * Edits, deletes and restores from the library. Each becomes an outbox entry first — so
 * it survives going offline, the worker stopping and the browser closing — and is then
 * sent in order with everything else (outbox-send.ts). The library shows it at once
 * (library-overlay.ts), whatever the network does.
 */

type Answer<T> = ({ ok: true } & T) | { ok: false; error: Failure };
type Outcome = Answer<{ state: ChangeState | 'conflict'; message: string }>;

const no = (code: string, message: string, fields: Record<string, string> = {}) =>
  ({ ok: false, error: { code, message, fields } }) as const;

async function owner(): Promise<Owner | null> {
  const session = await sessionItem.getValue();
  return session ? ownerOf(session) : null;
}

const ours = (e: OutboxEntry, who: Owner) => !e.owner || sameOwner(e.owner, who);
const ORDERED = new Set(['create', 'update', 'delete', 'restore']);

/** The latest change of a reminder still in the outbox (image changes aside). */
function lastChange(all: readonly OutboxEntry[], id: string, who: Owner): number {
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i];
    if (e && ORDERED.has(e.kind) && reminderIdOf(e) === id && ours(e, who)) return i;
  }
  return -1;
}

const fresh = (who: Owner) => ({
  owner: who,
  createdAt: new Date().toISOString(),
  status: 'pending' as const,
  attempts: 0,
  nextAttemptAt: 0,
  lastError: null,
});

/** Sends now if it can, and says what became of `entryId`. */
async function settle(entryId: string, saved: string, queued: string): Promise<Outcome> {
  await flushOutbox({ force: true });
  const after = (await outboxItem.getValue()).find((e) => e.id === entryId);
  await recomputeNextUp();
  await refreshBadge();
  if (!after) return { ok: true, state: 'saved', message: saved };
  if (after.kind === 'update' && after.theirs) {
    return { ok: true, state: 'conflict', message: after.lastError?.message ?? 'Changed on another device.' };
  }
  if (after.status === 'failed') {
    return no(after.lastError?.code ?? 'refused', after.lastError?.message ?? 'The server refused it.');
  }
  return { ok: true, state: 'queued', message: queued };
}

const QUEUED = 'Saved on this device; it will be sent when your RemindMe server can be reached.';

export async function editReminder(
  id: string,
  baseVersion: number | null,
  base: ReminderPatch,
  patch: ReminderPatch,
): Promise<Outcome> {
  const who = await owner();
  if (!who) return no('unauthorized', 'Sign in to edit your reminders.');
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => base[key as keyof ReminderFields] !== value),
  ) as ReminderPatch;
  if (Object.keys(changed).length === 0) return { ok: true, state: 'saved', message: 'Nothing changed.' };
  const parsed = v.safeParse(UpdateReminderInputSchema, changed);
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.issues);
    return no('validation_failed', message, fields);
  }
  const item = await libraryRow(id);
  if (!item) return no('not_found', 'This reminder is not in your library any more.');
  const preview = previewOf(changed.text ?? item.text);
  let entryId: string = crypto.randomUUID();
  await updateOutbox((all) => {
    const at = lastChange(all, id, who);
    const last = all[at];
    if (last?.kind === 'update') {
      // One edit waiting per reminder: the newer one joins it (a new createdAt, so an
      // attempt of the older one still in flight cannot remove or fail the merged one).
      entryId = last.id;
      const merged: UpdateEntry = {
        ...last,
        ...fresh(who),
        patch: { ...last.patch, ...changed },
        base: { ...base, ...last.base },
        preview,
        status: last.theirs ? 'failed' : 'pending',
        lastError: last.theirs ? last.lastError : null,
      };
      return all.map((e, i) => (i === at ? merged : e));
    }
    if (last?.kind === 'create' && last.status === 'failed') {
      // Refused and never sent: the edit goes into the save itself, which is tried again.
      entryId = last.id;
      const input = { ...last.input, ...changed };
      return all.map((e, i) => (i === at ? { ...last, ...fresh(who), createdAt: last.createdAt, input } : e));
    }
    const entry: UpdateEntry = {
      kind: 'update',
      id: entryId,
      reminderId: id,
      patch: changed,
      base,
      // Waiting for its create: based on the version that create makes.
      baseVersion: last?.kind === 'create' ? null : baseVersion,
      preview,
      ...fresh(who),
    };
    return [...all, entry];
  });
  return settle(entryId, 'Saved.', QUEUED);
}

export async function deleteReminder(
  id: string,
): Promise<Answer<{ state: ChangeState; message: string; undoable: boolean }>> {
  const who = await owner();
  if (!who) return no('unauthorized', 'Sign in to delete reminders.');
  const item = await libraryRow(id);
  if (!item) return no('not_found', 'This reminder is not in your library any more.');
  const outbox = await outboxItem.getValue();
  const unsent = outbox.find((e) => e.kind === 'create' && e.id === id);
  if (unsent?.status === 'failed') {
    // Never reached the server: there is nothing to put in a trash.
    await dismissFailed(id);
    return { ok: true, state: 'saved', message: 'Removed from this device.', undoable: false };
  }
  const snapshot = (await readMirror()).reminders[id] ?? null;
  const entryId = crypto.randomUUID();
  await updateOutbox((all) => [
    ...all,
    { kind: 'delete', id: entryId, reminderId: id, preview: previewOf(item.text), snapshot, ...fresh(who) },
  ]);
  // The person sees it gone and an Undo at once; the server hears of it right after.
  void flushOutbox({ force: true })
    .then(() => Promise.all([recomputeNextUp(), refreshBadge()]))
    .catch(() => undefined);
  return { ok: true, state: 'queued', message: 'Moved to the trash.', undoable: true };
}

export async function restoreReminder(id: string): Promise<Answer<{ state: ChangeState; message: string }>> {
  const who = await owner();
  if (!who) return no('unauthorized', 'Sign in to restore reminders.');
  const outbox = await outboxItem.getValue();
  const removal = [...outbox].reverse().find((e) => e.kind === 'delete' && e.reminderId === id);
  const snapshot =
    (removal?.kind === 'delete' ? removal.snapshot : null) ??
    (await readMirror()).reminders[id] ??
    trashSnapshot(id);
  const entryId = crypto.randomUUID();
  await updateOutbox((all) => [
    ...all,
    {
      kind: 'restore',
      id: entryId,
      reminderId: id,
      preview: previewOf(snapshot?.text ?? ''),
      snapshot,
      ...fresh(who),
    },
  ]);
  const outcome = await settle(entryId, 'Restored.', QUEUED);
  return outcome.ok ? { ...outcome, state: outcome.state === 'saved' ? 'saved' : 'queued' } : outcome;
}

/** After a conflict: send my version on top of theirs, or take theirs and drop my edit. */
export async function resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<Outcome> {
  const entry = (await outboxItem.getValue()).find((e) => e.id === entryId);
  if (entry?.kind !== 'update' || !entry.theirs)
    return no('not_found', 'There is nothing to choose any more.');
  const theirs = entry.theirs;
  if (keep === 'theirs') {
    await updateOutbox((all) => all.filter((e) => !sameEntry(e, entry)));
    const who = await owner();
    if (who) await upsertReminder(who, theirs);
    await recomputeNextUp();
    await refreshBadge();
    return { ok: true, state: 'saved', message: 'Kept the version from the other device.' };
  }
  const now = fieldsOf(theirs);
  const base = Object.fromEntries(Object.keys(entry.patch).map((k) => [k, now[k as keyof ReminderFields]]));
  await updateOutbox((all) =>
    all.map((e) =>
      sameEntry(e, entry)
        ? {
            ...entry,
            base,
            baseVersion: theirs.version,
            theirs: null,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: 0,
            lastError: null,
          }
        : e,
    ),
  );
  return settle(entryId, 'Kept your version.', QUEUED);
}
