import * as v from 'valibot';
import { VersionMismatchBodySchema } from '../../shared/schemas/library';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError, type ApiClient } from './api';
import { fieldsOf } from './library-overlay';
import type { LibraryEntry, ReminderFields, ReminderPatch, UpdateEntry } from './storage';

/**
 * Delivers edits, deletes and restores. Each is safe to repeat, which is what makes the
 * outbox exactly-once when an answer is lost:
 * - an edit names the version it was based on (If-Match). If the server has moved on, its
 *   current copy comes back with the 412 and is compared with what the edit was based on:
 *   fields already as wanted are done (our own earlier attempt got through), fields nobody
 *   else touched are sent again on the new version, and a field changed on both sides is a
 *   conflict the person decides (ConflictError) — never overwritten silently;
 * - a delete of a reminder already in the trash, or already purged, is done;
 * - a restore of a reminder that is not in the trash answers with the reminder.
 */

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(readonly theirs: Reminder) {
    super('This reminder was changed on another device. Choose which version to keep.');
  }
}

export type Delivered = { reminder: Reminder | null; removedId?: string };

type Plan =
  { kind: 'done' } | { kind: 'send'; patch: ReminderPatch; base: ReminderPatch } | { kind: 'conflict' };

/** What is left to send of `patch`, made on `base`, now that the server has `theirs`. */
export function planMerge(base: ReminderPatch, patch: ReminderPatch, theirs: ReminderFields): Plan {
  const remaining: Record<string, unknown> = {};
  const remainingBase: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof ReminderFields)[]) {
    const mine = patch[key];
    const current = theirs[key];
    if (current === mine) continue;
    if (!(key in base) || base[key] !== current) return { kind: 'conflict' };
    remaining[key] = mine;
    remainingBase[key] = current;
  }
  if (Object.keys(remaining).length === 0) return { kind: 'done' };
  return { kind: 'send', patch: remaining as ReminderPatch, base: remainingBase as ReminderPatch };
}

/** The current copy a 412 carries (or, from an older server, one fetched). */
async function currentCopy(api: ApiClient, error: ApiError, id: string): Promise<Reminder> {
  const parsed = v.safeParse(VersionMismatchBodySchema, error.body);
  return parsed.success ? parsed.output.reminder : (await api.getReminder(id)).reminder;
}

/** Rounds of "the server moved on again" before waiting for a later flush. */
const MAX_ROUNDS = 3;

async function deliverUpdate(api: ApiClient, entry: UpdateEntry): Promise<Reminder> {
  let { patch, base } = entry;
  let version = entry.baseVersion;
  let theirs: Reminder | null = null;
  // Based on a reminder that was still in the outbox: its first server copy is the base.
  if (version === null) theirs = (await api.getReminder(entry.reminderId)).reminder;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (theirs) {
      const plan = planMerge(base, patch, fieldsOf(theirs));
      if (plan.kind === 'done') return theirs;
      if (plan.kind === 'conflict') throw new ConflictError(theirs);
      ({ patch, base } = plan);
      version = theirs.version;
    }
    try {
      return (await api.updateReminder(entry.reminderId, patch, version ?? 0)).reminder;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 412) throw error;
      theirs = await currentCopy(api, error, entry.reminderId);
    }
  }
  throw new ApiError(
    'unreachable',
    412,
    'busy',
    'This reminder keeps changing on the server; trying again later.',
  );
}

export async function deliverLibrary(api: ApiClient, entry: LibraryEntry): Promise<Delivered> {
  switch (entry.kind) {
    case 'update':
      return { reminder: await deliverUpdate(api, entry) };
    case 'delete':
      try {
        await api.deleteReminder(entry.reminderId);
      } catch (error) {
        // Purged already (or never synced there): what the person wanted is true.
        if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
      }
      return { reminder: null, removedId: entry.reminderId };
    case 'restore':
      return { reminder: (await api.restoreReminder(entry.reminderId)).reminder };
  }
}
