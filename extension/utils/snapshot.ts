import { ownerOf, sameOwner } from './account';
import type { Image } from '../../shared/schemas/images';
import type { ExtensionState, LatestImage, LatestItem } from './messages';
import {
  lastSaveItem,
  mirrorItem,
  outboxItem,
  serverUrlItem,
  sessionItem,
  syncStatusItem,
  type CreateEntry,
  type Owner,
  type SetImageEntry,
} from './storage';

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

/** A small size of a synced image for the list, unless its signed URL has expired. */
export function thumbnail(image: Image | null | undefined, now: number): LatestImage | null {
  if (!image || Date.parse(image.expiresAt) <= now) return null;
  const small = image.variants[0] ?? { width: image.width, url: image.url };
  return { url: small.url, width: image.width, height: image.height };
}

/** A waiting or refused change of a synced reminder's image, shown on its row. */
export function imageChangeOf(entry: SetImageEntry, owner: Owner | null): LatestItem['imageChange'] {
  return {
    entryId: entry.id,
    removing: entry.image === null,
    status: entry.status,
    reason:
      entry.status === 'failed'
        ? (entry.lastError?.message ?? 'The server refused it.')
        : owner
          ? (entry.lastError?.message ?? null)
          : 'Sign in to sync it.',
    blobKey: entry.image?.kind === 'bytes' ? entry.image.blobKey : null,
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
  const now = Date.now();
  const visible = outbox.filter((e) => !e.owner || !owner || sameOwner(e.owner, owner));
  const unsent: LatestItem[] = visible
    .filter((e): e is CreateEntry => e.kind === 'create')
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
      hasImage: !!e.image,
      image: null,
      imageChange: null,
      uploadKey: e.image?.kind === 'bytes' ? e.image.blobKey : null,
    }))
    .reverse();
  const changes = new Map(
    visible.filter((e): e is SetImageEntry => e.kind === 'setImage').map((e) => [e.reminderId, e]),
  );
  const unsentIds = new Set(unsent.map((u) => u.id));
  const synced: LatestItem[] =
    owner && sameOwner(mirror.owner, owner)
      ? Object.values(mirror.reminders)
          .filter((r) => !r.deletedAt && !unsentIds.has(r.id))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
          .slice(0, limit)
          .map((r) => {
            const change = changes.get(r.id);
            return {
              id: r.id,
              text: r.text,
              author: r.author,
              sourceUrl: r.sourceUrl,
              sourceTitle: r.sourceTitle,
              createdAt: r.createdAt,
              status: 'synced' as const,
              reason: null,
              hasImage: !!r.imageId,
              image: thumbnail(r.image, now),
              imageChange: change ? imageChangeOf(change, owner) : null,
              uploadKey: null,
            };
          })
      : [];
  return [...unsent, ...synced].slice(0, Math.max(limit, unsent.length));
}
