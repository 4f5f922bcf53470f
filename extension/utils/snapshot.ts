import { ownerOf, sameOwner } from './account';
import type { ExtensionState, LatestItem } from './messages';
import { lastSaveItem, mirrorItem, outboxItem, serverUrlItem, sessionItem, syncStatusItem } from './storage';

/** What the popup and options page show, assembled from storage in one answer. */
export async function readState(): Promise<ExtensionState> {
  const [serverUrl, session, lastSave, sync, outbox] = await Promise.all([
    serverUrlItem.getValue(),
    sessionItem.getValue(),
    lastSaveItem.getValue(),
    syncStatusItem.getValue(),
    outboxItem.getValue(),
  ]);
  return {
    serverUrl,
    user: session?.user ?? null,
    sessionExpiresAt: session?.expiresAt ?? null,
    lastSave,
    sync,
    outbox: {
      pending: outbox.filter((e) => e.status === 'pending').length,
      failed: outbox.filter((e) => e.status === 'failed').length,
    },
  };
}

/**
 * Newest first: unsent saves (they are the newest, and the person needs to see that they
 * are waiting or why they failed) followed by the synced reminders.
 */
export async function listLatest(limit: number): Promise<LatestItem[]> {
  const [session, mirror, outbox] = await Promise.all([
    sessionItem.getValue(),
    mirrorItem.getValue(),
    outboxItem.getValue(),
  ]);
  const owner = session ? ownerOf(session) : null;
  const unsent: LatestItem[] = outbox
    .filter((e) => !e.owner || !owner || sameOwner(e.owner, owner))
    .map((e) => ({
      id: e.id,
      text: e.input.text,
      author: e.input.author ?? null,
      sourceUrl: e.input.sourceUrl ?? null,
      sourceTitle: e.input.sourceTitle ?? null,
      createdAt: e.createdAt,
      status: e.status,
      reason:
        e.status === 'failed'
          ? (e.lastError?.message ?? 'The server refused it.')
          : owner
            ? (e.lastError?.message ?? null)
            : 'Sign in to sync it.',
    }))
    .reverse();
  const unsentIds = new Set(unsent.map((u) => u.id));
  const synced: LatestItem[] =
    owner && sameOwner(mirror.owner, owner)
      ? Object.values(mirror.reminders)
          .filter((r) => !r.deletedAt && !unsentIds.has(r.id))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
          .slice(0, limit)
          .map((r) => ({
            id: r.id,
            text: r.text,
            author: r.author,
            sourceUrl: r.sourceUrl,
            sourceTitle: r.sourceTitle,
            createdAt: r.createdAt,
            status: 'synced' as const,
            reason: null,
          }))
      : [];
  return [...unsent, ...synced].slice(0, Math.max(limit, unsent.length));
}
