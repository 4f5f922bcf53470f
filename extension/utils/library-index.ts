import type { Reminder } from '../../shared/schemas/reminders';
import { ownerOf, sameOwner } from './account';
import { libraryGeneration } from './library-changes';
import { edited, fieldsOf, fieldsOfCreate, isHidden, overlayOf, type Overlay } from './library-overlay';
import { matches, parseLocalQuery, SearchCache, type Searchable } from './library-search';
import type { LibraryFilter, LibraryItem } from './messages';
import { imageChangeOf, thumbnail } from './snapshot';
import { readMirror } from './mirror-store';
import {
  outboxItem,
  sessionItem,
  type CreateEntry,
  type Owner,
  type ReminderFields,
  type RestoreEntry,
  type SetImageEntry,
  type UpdateEntry,
} from './storage';

/**
 * The library as the popup browses it: every reminder of mine, newest first, with what the
 * outbox has not sent yet applied — built in the background's memory from the mirror and
 * kept until either changes (library-changes.ts), so scrolling and typing never read the
 * whole collection from storage again. Pages ask for a window (`offset`, `limit`) of the
 * filtered list: a virtual list shows 10,000 rows by drawing the thirty on screen.
 */

interface Row {
  id: string;
  createdAt: string;
  fields: ReminderFields;
  search: Searchable;
  /** The server's copy (from the mirror, a restore's snapshot or a server search). */
  reminder: Reminder | null;
  create: CreateEntry | null;
  edits: UpdateEntry[];
  restore: RestoreEntry | null;
  image: SetImageEntry | null;
}

interface Library {
  generation: number;
  owner: Owner;
  rows: Row[];
  ids: Set<string>;
  overlay: Overlay;
  synced: boolean;
  results: Map<string, Row[]>;
}

const searchCache = new SearchCache();
let library: Library | null = null;
/** Server search results for one query, merged into that query's local results. */
let extras: { key: string; reminders: Reminder[] } | null = null;

const newestFirst = (a: Row, b: Row) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

function row(
  id: string,
  createdAt: string,
  base: ReminderFields,
  overlay: Overlay,
  parts: Partial<Row>,
): Row {
  const edits = overlay.edits.get(id) ?? [];
  const fields = edited(base, edits);
  const search = searchCache.get(id, [fields.text, fields.note, fields.author, fields.sourceTitle]);
  const removal = overlay.lastRemoval.get(id);
  return {
    id,
    createdAt,
    fields,
    search,
    reminder: null,
    create: null,
    edits,
    restore: removal?.kind === 'restore' ? removal : null,
    image: overlay.images.get(id) ?? null,
    ...parts,
  };
}

const fromReminder = (r: Reminder, overlay: Overlay) =>
  row(r.id, r.createdAt, fieldsOf(r), overlay, { reminder: r });

async function build(): Promise<Library | null> {
  const generation = libraryGeneration();
  const session = await sessionItem.getValue();
  if (!session) return null;
  const owner = ownerOf(session);
  const [mirror, outbox] = await Promise.all([readMirror(), outboxItem.getValue()]);
  const overlay = overlayOf(outbox.filter((e) => !e.owner || sameOwner(e.owner, owner)));
  const reminders = sameOwner(mirror.owner, owner) ? mirror.reminders : {};
  const rows: Row[] = [];
  for (const r of Object.values(reminders)) {
    if (!r.deletedAt && !isHidden(overlay, r.id)) rows.push(fromReminder(r, overlay));
  }
  for (const [id, removal] of overlay.lastRemoval) {
    if (removal.kind === 'restore' && removal.snapshot && !reminders[id]) {
      rows.push(fromReminder({ ...removal.snapshot, deletedAt: null }, overlay));
    }
  }
  for (const create of overlay.creates) {
    if (reminders[create.id] || isHidden(overlay, create.id)) continue;
    rows.push(row(create.id, create.createdAt, fieldsOfCreate(create), overlay, { create }));
  }
  rows.sort(newestFirst);
  const ids = new Set(rows.map((r) => r.id));
  searchCache.keepOnly(ids);
  return { generation, owner, rows, ids, overlay, synced: mirror.cursor !== null, results: new Map() };
}

async function current(): Promise<Library | null> {
  if (library && library.generation === libraryGeneration()) {
    const session = await sessionItem.getValue();
    if (session && sameOwner(library.owner, ownerOf(session))) return library;
  }
  library = await build();
  return library;
}

export const filterKey = (f: LibraryFilter) =>
  JSON.stringify([f.q?.trim() ?? '', f.visibility ?? '', f.favorite ?? '']);

function run(lib: Library, filter: LibraryFilter): Row[] {
  const query = parseLocalQuery(filter.q ?? '');
  const wanted = (r: Row) =>
    (!filter.visibility || r.fields.visibility === filter.visibility) &&
    (filter.favorite === undefined || r.fields.favorite === filter.favorite) &&
    (!query || matches(r.search, query));
  let rows = lib.rows.filter(wanted);
  const key = filterKey(filter);
  if (extras?.key === key) {
    const more = extras.reminders
      .filter((r) => !lib.ids.has(r.id) && !isHidden(lib.overlay, r.id))
      .map((r) => fromReminder(r, lib.overlay))
      .filter(wanted);
    if (more.length) rows = [...rows, ...more].sort(newestFirst);
  }
  return rows;
}

export async function queryLibrary(filter: LibraryFilter, offset: number, limit: number) {
  const lib = await current();
  if (!lib) return null;
  const key = filterKey(filter);
  let rows = lib.results.get(key);
  if (!rows) {
    rows = run(lib, filter);
    // Paging and scrolling ask for the same filter again and again; typing makes a few.
    if (lib.results.size >= 8) lib.results.clear();
    lib.results.set(key, rows);
  }
  const now = Date.now();
  return {
    items: rows.slice(offset, offset + limit).map((r) => itemOf(r, lib.owner, now)),
    total: rows.length,
    synced: lib.synced,
  };
}

/** Server search results for `filter`; returns how many were not in the local copy. */
export async function addServerResults(filter: LibraryFilter, reminders: Reminder[]): Promise<number> {
  const lib = await current();
  const key = filterKey(filter);
  extras = { key, reminders };
  lib?.results.delete(key);
  return lib ? reminders.filter((r) => !lib.ids.has(r.id)).length : 0;
}

/** One reminder as the library shows it, or null when it is not (or no longer) there. */
export async function libraryRow(id: string): Promise<LibraryItem | null> {
  const lib = await current();
  const found = lib?.rows.find((r) => r.id === id);
  return lib && found ? itemOf(found, lib.owner, Date.now()) : null;
}

function statusOf(r: Row): Pick<LibraryItem, 'status' | 'reason' | 'entryId' | 'conflict'> {
  const signedOutReason = (e: { owner: Owner | null }) => (e.owner ? null : 'Sign in to sync it.');
  if (r.create) {
    const e = r.create;
    if (e.status === 'failed')
      return {
        status: 'failed',
        reason: e.lastError?.message ?? 'The server refused it.',
        entryId: e.id,
        conflict: null,
      };
    return {
      status: 'pending',
      reason: e.lastError?.message ?? signedOutReason(e),
      entryId: e.id,
      conflict: null,
    };
  }
  const clash = r.edits.find((e) => e.theirs);
  if (clash?.theirs) {
    const mine = { ...clash.theirs, ...r.fields };
    return {
      status: 'conflict',
      reason: clash.lastError?.message ?? null,
      entryId: clash.id,
      conflict: { mine, theirs: clash.theirs },
    };
  }
  const refused = r.edits.find((e) => e.status === 'failed');
  if (refused)
    return {
      status: 'failed',
      reason: refused.lastError?.message ?? 'The server refused it.',
      entryId: refused.id,
      conflict: null,
    };
  const waiting = r.edits.find((e) => e.status === 'pending') ?? r.restore;
  if (waiting)
    return {
      status: 'pending',
      reason: waiting.lastError?.message ?? signedOutReason(waiting),
      entryId: waiting.id,
      conflict: null,
    };
  return { status: 'synced', reason: null, entryId: null, conflict: null };
}

function itemOf(r: Row, owner: Owner, now: number): LibraryItem {
  const f = r.fields;
  const image = r.create?.image;
  return {
    id: r.id,
    ...f,
    version: r.reminder?.version ?? null,
    createdAt: r.createdAt,
    updatedAt: r.reminder?.updatedAt ?? r.createdAt,
    ...statusOf(r),
    hasImage: r.create ? !!image : !!r.reminder?.imageId,
    image: thumbnail(r.reminder?.image, now),
    imageChange: r.image ? imageChangeOf(r.image, owner) : null,
    uploadKey: image?.kind === 'bytes' ? image.blobKey : null,
  };
}
