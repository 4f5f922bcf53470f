/**
 * Image bytes, kept in IndexedDB rather than `storage.local`: Chrome's storage.local holds
 * JSON only (a 25 MB photo would become a 33 MB base64 string read with every outbox read),
 * while IndexedDB stores binary data, is shared by every page of the extension (popup,
 * new tab, offscreen document, background) and lives under `unlimitedStorage`.
 *
 * Two kinds of bytes, in separate stores so that clearing one can never touch the other:
 * - `pending`: what the person saved and the server does not have yet (outbox images).
 *   Removed only once the server has it or the person discards the save.
 * - `cache`: sized copies of server images for the new tab, keyed by image id and width
 *   (never by a signed URL, whose query string changes as it expires). Disposable.
 *   Metadata sits in its own store so eviction can look at sizes without reading bytes.
 */

const DB_NAME = 'remindme-images';
const DB_VERSION = 1;
const PENDING = 'pending';
const CACHE_DATA = 'cacheData';
const CACHE_META = 'cacheMeta';

export interface StoredBytes {
  data: ArrayBuffer;
  mime: string;
}

export interface PendingBytes extends StoredBytes {
  createdAt: number;
}

export interface CacheMeta {
  key: string;
  imageId: string;
  width: number;
  height: number;
  size: number;
  storedAt: number;
  usedAt: number;
}

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of [PENDING, CACHE_DATA, CACHE_META]) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another version elsewhere (an update) asks us to let go; reopen on next use.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

async function get<T>(store: string, key: string): Promise<T | undefined> {
  const db = await open();
  return (await result(db.transaction(store, 'readonly').objectStore(store).get(key))) as T | undefined;
}

// ---- pending (outbox) bytes ----

export async function putPending(key: string, bytes: StoredBytes): Promise<void> {
  const db = await open();
  const tx = db.transaction(PENDING, 'readwrite');
  const value: PendingBytes = { ...bytes, createdAt: Date.now() };
  tx.objectStore(PENDING).put(value, key);
  await done(tx);
}

export function getPending(key: string): Promise<PendingBytes | undefined> {
  return get<PendingBytes>(PENDING, key);
}

export async function hasPending(key: string): Promise<boolean> {
  const db = await open();
  return (await result(db.transaction(PENDING, 'readonly').objectStore(PENDING).count(key))) > 0;
}

export async function deletePending(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const db = await open();
  const tx = db.transaction(PENDING, 'readwrite');
  for (const key of keys) tx.objectStore(PENDING).delete(key);
  await done(tx);
}

/** Keys only: reading values would load every queued image into memory. */
export async function listPendingKeys(): Promise<string[]> {
  const db = await open();
  return (await result(db.transaction(PENDING, 'readonly').objectStore(PENDING).getAllKeys())) as string[];
}

// ---- new-tab cache ----

export const cacheKey = (imageId: string, width: number) => `${imageId}@${width}`;

export function getCached(key: string): Promise<StoredBytes | undefined> {
  return get<StoredBytes>(CACHE_DATA, key);
}

export function getCacheMeta(key: string): Promise<CacheMeta | undefined> {
  return get<CacheMeta>(CACHE_META, key);
}

export async function putCached(meta: CacheMeta, bytes: StoredBytes): Promise<void> {
  const db = await open();
  const tx = db.transaction([CACHE_DATA, CACHE_META], 'readwrite');
  tx.objectStore(CACHE_DATA).put(bytes, meta.key);
  tx.objectStore(CACHE_META).put(meta, meta.key);
  await done(tx);
}

export async function touchCached(key: string, at = Date.now()): Promise<void> {
  const meta = await getCacheMeta(key);
  if (!meta) return;
  const db = await open();
  const tx = db.transaction(CACHE_META, 'readwrite');
  tx.objectStore(CACHE_META).put({ ...meta, usedAt: at }, key);
  await done(tx);
}

export async function listCacheMeta(): Promise<CacheMeta[]> {
  const db = await open();
  return (await result(
    db.transaction(CACHE_META, 'readonly').objectStore(CACHE_META).getAll(),
  )) as CacheMeta[];
}

export async function deleteCached(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const db = await open();
  const tx = db.transaction([CACHE_DATA, CACHE_META], 'readwrite');
  for (const key of keys) {
    tx.objectStore(CACHE_DATA).delete(key);
    tx.objectStore(CACHE_META).delete(key);
  }
  await done(tx);
}

/** Everything cached for the new tab; pending saves are untouched (sign-out). */
export async function clearCache(): Promise<void> {
  const db = await open();
  const tx = db.transaction([CACHE_DATA, CACHE_META], 'readwrite');
  tx.objectStore(CACHE_DATA).clear();
  tx.objectStore(CACHE_META).clear();
  await done(tx);
}
