/**
 * Raw file bytes are kept in one of two places, named by the entry's raw key:
 * - a big dropped file is stored whole as a Blob in IndexedDB (key `blob-…`): the browser copies
 *   the file itself, in its own process (575 MB in ~0.3 s and ~0.3 core-s here), where writing it
 *   from the worker cost ~1.2 core-s on the worker's own core;
 * - everything else (archive members, generated samples, small files) is appended by a worker to a
 *   pack file in the Origin Private File System, one folder per bundle, through a sync access handle.
 * Any byte range of either is read back as a Blob slice (log view, search, re-parse).
 */
import { db } from './db';

/** Dropped files at least this big are stored as Blobs; smaller ones share a pack (10,000 tiny files must not make 10,000 blobs). */
export const RAW_BLOB_MIN_BYTES = 1 << 20;
const BLOB_KEY_PREFIX = 'blob-';

export const newBlobKey = (): string => `${BLOB_KEY_PREFIX}${crypto.randomUUID()}`;
const isBlobKey = (rawKey: string): boolean => rawKey.startsWith(BLOB_KEY_PREFIX);

/** Stores a dropped file's bytes as they are; resolves once committed. */
export async function storeRawBlob(bundleId: string, key: string, blob: Blob): Promise<void> {
  await db().rawBlobs.put({ key, bundleId, blob });
}

async function bundleDir(bundleId: string, create: boolean): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(`bundle-${bundleId}`, { create });
}

interface SyncAccessHandle {
  write(data: Uint8Array, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  close(): void;
}

export interface RawWriter {
  write(chunk: Uint8Array): void;
  close(): void;
  /** Truncates what was written (for a re-parse or a failed file). */
  abort(): void;
}

/** Worker only: `createSyncAccessHandle` is not available on the main thread. */
export async function openRawWriter(bundleId: string, rawKey: string): Promise<RawWriter> {
  const dir = await bundleDir(bundleId, true);
  const fh = await dir.getFileHandle(rawKey, { create: true });
  // The DOM typings lack the worker-only sync handle.
  const handle = await (fh as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();
  // Only a file with bytes in it is cut: on ext4 a truncate to 0 arms auto_da_alloc, and close()
  // then starts writing the whole pack out while the job waits (~130 ms per 400 MB, measured).
  // Packs have fresh names, so this is a resumed job's leftover at most.
  if (handle.getSize() > 0) handle.truncate(0);
  let at = 0;
  return {
    write(chunk) {
      let done = 0;
      while (done < chunk.length) {
        const n = handle.write(chunk.subarray(done), { at: at + done });
        if (n <= 0) throw new DOMException('storage refused the write', 'QuotaExceededError');
        done += n;
      }
      at += chunk.length;
    },
    close() {
      // close() makes the bytes visible to readers; an explicit flush() (an fsync) cost ~100 ms per pack.
      handle.close();
    },
    abort() {
      handle.truncate(0);
      handle.close();
    },
  };
}

export interface RawReader {
  readonly size: number;
  /** Reads into `into` from byte `at`; returns the bytes read (0 at the end). */
  read(into: Uint8Array, at: number): number;
  close(): void;
}

/**
 * Worker only: reads a raw file through a read-only sync access handle, in the worker's own thread.
 * Reading it as a Blob instead costs a round of work across the browser's processes per slice
 * (~3 core-s per GB here, docs/PERFORMANCE.md).
 */
export async function openRawReader(bundleId: string, rawKey: string): Promise<RawReader> {
  const dir = await bundleDir(bundleId, false);
  const fh = await dir.getFileHandle(rawKey);
  const handle = await (fh as unknown as { createSyncAccessHandle(o: { mode: string }): Promise<SyncAccessHandle & { read(b: Uint8Array, o: { at: number }): number }> })
    .createSyncAccessHandle({ mode: 'read-only' });
  return {
    size: handle.getSize(),
    read: (into, at) => handle.read(into, { at }),
    close: () => handle.close(),
  };
}

// A page (the log view) reads many small ranges; finding the bundle's folder took two round trips
// to the browser process each time (~8 ms, more under load). Its handle stays valid until deleteRaw.
const readDirs = new Map<string, Promise<FileSystemDirectoryHandle>>();

// The same for a pack's File (two more round trips per read) or a stored blob. A pack is not written
// after its job, so its File stays readable; one that was (a resumed job) fails to read and is fetched again.
const readFiles = new Map<string, Promise<Blob>>();

export async function readRaw(bundleId: string, rawKey: string, offset: number, length: number): Promise<Uint8Array> {
  const key = `${bundleId}/${rawKey}`;
  try {
    return await readSlice(await rawBlob(bundleId, rawKey), offset, length);
  } catch {
    readFiles.delete(key);
    return readSlice(await rawBlob(bundleId, rawKey), offset, length);
  }
}

async function readSlice(file: Blob, offset: number, length: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
}

/** The whole stored pack or blob a raw key names (slice it for a range); kept for the page's many small reads. */
function rawBlob(bundleId: string, rawKey: string): Promise<Blob> {
  const key = `${bundleId}/${rawKey}`;
  let file = readFiles.get(key);
  if (!file) {
    file = openRawBlob(bundleId, rawKey, packDir);
    readFiles.set(key, file);
    file.catch(() => readFiles.delete(key));
  }
  return file;
}

/**
 * The stored pack or blob a raw key names, fetched afresh (a worker's re-parse or search); the
 * page passes its cached folder lookup.
 */
export async function openRawBlob(bundleId: string, rawKey: string, dirOf = (id: string) => bundleDir(id, false)): Promise<Blob> {
  if (isBlobKey(rawKey)) {
    const row = await db().rawBlobs.get(rawKey);
    if (!row) throw new Error(`raw bytes ${rawKey} are not stored`);
    return row.blob;
  }
  return (await (await dirOf(bundleId)).getFileHandle(rawKey)).getFile();
}

function packDir(bundleId: string): Promise<FileSystemDirectoryHandle> {
  let dir = readDirs.get(bundleId);
  if (!dir) {
    dir = bundleDir(bundleId, false);
    readDirs.set(bundleId, dir);
    dir.catch(() => readDirs.delete(bundleId));
  }
  return dir;
}

export async function deleteRaw(bundleId: string): Promise<void> {
  readDirs.delete(bundleId);
  for (const key of [...readFiles.keys()]) if (key.startsWith(`${bundleId}/`)) readFiles.delete(key);
  await db().rawBlobs.where('bundleId').equals(bundleId).delete();
  if (!globalThis.navigator?.storage?.getDirectory) return;
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(`bundle-${bundleId}`, { recursive: true }).catch(() => undefined);
}

export async function rawBytesUsed(): Promise<number> {
  const est = await navigator.storage.estimate();
  return est.usage ?? 0;
}

/** Removes the bundle's packs and blobs that no stored entry points into (left by an interrupted ingest). */
export async function pruneRaw(bundleId: string, keep: Set<string>): Promise<void> {
  const blobs = await db().rawBlobs.where('bundleId').equals(bundleId).primaryKeys();
  await db().rawBlobs.bulkDelete(blobs.filter((k) => !keep.has(k)));
  if (!globalThis.navigator?.storage?.getDirectory) return;
  const dir = await bundleDir(bundleId, false).catch(() => null);
  if (!dir) return;
  const names: string[] = [];
  // The DOM typings lack the async iterator of a directory handle.
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  for (const name of names) if (!keep.has(name)) await dir.removeEntry(name).catch(() => undefined);
}
