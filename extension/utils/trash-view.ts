import { LIBRARY } from '../../shared/limits';
import type { Reminder } from '../../shared/schemas/reminders';
import { ApiError } from './api';
import { failureOf, ownerOf, sameOwner, sessionEnded, signedInClient, type Failure } from './account';
import { listTrash } from './library-api';
import type { TrashItem } from './messages';
import { outboxItem, type DeleteEntry, type RestoreEntry } from './storage';

/**
 * The trash as the person sees it: what the server keeps (LIBRARY.trashDays), with this
 * device's unsent deletes on top and unsent restores marked. Online only for the server's
 * part; offline it still lists what this device deleted and has not sent.
 */

/** Copies of the reminders last listed, so a restore can show one before the server answers. */
const seen = new Map<string, Reminder>();

export const trashSnapshot = (id: string): Reminder | null => seen.get(id) ?? null;

const purgeAt = (deletedAt: string) => new Date(Date.parse(deletedAt) + LIBRARY.trashMs).toISOString();

function itemOf(r: Reminder, deletedAt: string, pending: TrashItem['pending']): TrashItem {
  return { id: r.id, text: r.text, author: r.author, deletedAt, purgeAt: purgeAt(deletedAt), pending };
}

export async function trashPage(
  cursor: string | undefined,
): Promise<
  | { ok: true; items: TrashItem[]; nextCursor: string | null; offline: boolean }
  | { ok: false; error: Failure }
> {
  const client = await signedInClient();
  if (!client)
    return { ok: false, error: { code: 'unauthorized', message: 'Sign in to see your trash.', fields: {} } };
  const owner = ownerOf(client.session);
  const latest = new Map<string, DeleteEntry | RestoreEntry>();
  for (const e of await outboxItem.getValue()) {
    if ((e.kind === 'delete' || e.kind === 'restore') && (!e.owner || sameOwner(e.owner, owner)))
      latest.set(e.reminderId, e);
  }
  const unsent = [...latest.values()].filter((e): e is DeleteEntry => e.kind === 'delete').reverse();
  const mine: TrashItem[] = cursor
    ? []
    : unsent.flatMap((e) => (e.snapshot ? [itemOf(e.snapshot, e.createdAt, 'delete')] : []));
  try {
    const page = await listTrash(client.api, cursor);
    for (const r of page.items) seen.set(r.id, r);
    const server = page.items
      .filter((r) => latest.get(r.id)?.kind !== 'delete')
      .map((r) =>
        itemOf(r, r.deletedAt ?? r.updatedAt, latest.get(r.id)?.kind === 'restore' ? 'restore' : null),
      );
    return { ok: true, items: [...mine, ...server], nextCursor: page.nextCursor, offline: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    if (error instanceof ApiError && error.retryable)
      return { ok: true, items: mine, nextCursor: null, offline: true };
    return { ok: false, error: failureOf(error) };
  }
}
