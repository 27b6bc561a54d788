import { sourceShiftUs } from '../core/align';
import { mergeLines, type LineColumns } from '../core/line-merge';
import type { Bundle, Source, SourceFile } from '../core/model';
import { clearBlockCache, getBlocks } from './block-cache';
import { db } from './db';
import { deleteRaw } from './raw-store';
import { deleteDumps } from './stored-dumps';

export async function listBundles(): Promise<Bundle[]> {
  return db().bundles.orderBy('createdAt').reverse().toArray();
}

export interface BundleDetail {
  bundle: Bundle;
  files: SourceFile[];
  sources: Source[];
  dumps: DumpInfo[];
}

/** A goroutine dump without its goroutines: what the file list shows and lets the user re-time. */
export interface DumpInfo {
  id: string;
  fileId: string;
  process: string;
  pid: number | null;
  takenAt: number | null;
  takenAtSource: string;
  goroutines: number;
}

export async function bundleDetail(bundleId: string): Promise<BundleDetail | null> {
  const bundle = await db().bundles.get(bundleId);
  if (!bundle) return null;
  const [files, sources, dumps] = await Promise.all([
    db().files.where('bundleId').equals(bundleId).toArray(),
    db().sources.where('bundleId').equals(bundleId).toArray(),
    dumpInfos(bundleId),
  ]);
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { bundle, files, sources, dumps };
}

async function dumpInfos(bundleId: string): Promise<DumpInfo[]> {
  const heads = await db().dumpHeads.where('bundleId').equals(bundleId).toArray();
  return heads.map((d) => ({ id: d.id, fileId: d.fileId, process: d.process, pid: d.pid, takenAt: d.takenAt, takenAtSource: d.takenAtSource, goroutines: d.goroutines }));
}

/** The user's capture time for the dumps of a file (µs UTC). */
export async function setDumpTime(fileId: string, takenAt: number): Promise<void> {
  const d = db();
  const time = { takenAt, basis: 'utc', takenAtSource: 'user' } as const;
  await d.transaction('rw', [d.dumps, d.dumpHeads], async () => {
    await d.dumps.where('fileId').equals(fileId).modify(time);
    await d.dumpHeads.where('fileId').equals(fileId).modify(time);
  });
}

/** A probable duplicate (same names, sizes, head and tail bytes) among the finished bundles. */
export async function findDuplicate(probeKey: string): Promise<Bundle | null> {
  const found = await db().bundles.where('probeKey').equals(probeKey).toArray();
  return found.find((b) => b.status === 'ready') ?? null;
}

export async function deleteBundle(bundleId: string): Promise<void> {
  const d = db();
  await d.transaction('rw', [d.bundles, d.files, d.sources, d.blocks, d.outlines, d.metrics, d.entries, d.dumps, d.dumpHeads, d.events, d.notes], async () => {
    await d.notes.where('bundleId').equals(bundleId).delete();
    await d.blocks.where('bundleId').equals(bundleId).delete();
    await d.outlines.where('bundleId').equals(bundleId).delete();
    await deleteDumps('bundleId', bundleId);
    await d.events.where('bundleId').equals(bundleId).delete();
    await d.metrics.where('bundleId').equals(bundleId).delete();
    await d.sources.where('bundleId').equals(bundleId).delete();
    await d.files.where('bundleId').equals(bundleId).delete();
    await d.entries.where('bundleId').equals(bundleId).delete();
    await d.bundles.delete(bundleId);
  });
  clearBlockCache();
  await deleteRaw(bundleId);
}

/** A bundle left 'ingesting' by a closed tab or a crash becomes 'incomplete' (Resume or Delete). */
export async function markInterruptedBundles(activeBundleId: string | null): Promise<number> {
  const stuck = await db().bundles.where('status').equals('ingesting').toArray();
  const toMark = stuck.filter((b) => b.id !== activeBundleId);
  for (const b of toMark) {
    await db().bundles.update(b.id, { status: 'incomplete', errors: [...b.errors, 'ingest interrupted (tab closed or crashed): Resume by dropping the same files, or Delete'] });
  }
  return toMark.length;
}

export interface WindowQuery {
  from: number;
  to: number;
  sourceIds?: string[];
  /** Lowest level kept (Level values); continuations follow their record's level. */
  minLevel?: number;
  limit?: number;
}

export type { LineColumns, WindowLine } from '../core/line-merge';

/**
 * Lines of a time window across sources, in time order, answered from the columnar blocks:
 * only blocks whose range overlaps the window are read (and only as far as the limit reaches),
 * and stamps are moved by each source's alignment shift (zone, year, clock offset) at query time.
 */
export async function queryWindow(bundleId: string, q: WindowQuery, given?: Source[]): Promise<LineColumns> {
  // `given`: the bundle's sources when the caller holds them (an IndexedDB round trip is slow while other queries run).
  let sources = given ?? await db().sources.where('bundleId').equals(bundleId).toArray();
  if (q.sourceIds) {
    const want = new Set(q.sourceIds);
    sources = sources.filter((s) => want.has(s.id));
  }
  const lanes = sources.map((s) => ({ sourceId: s.id, shift: sourceShiftUs(s), blocks: s.blocks }));
  return mergeLines(lanes, getBlocks, { from: q.from, to: q.to, minLevel: q.minLevel ?? 0, dir: 1, limit: q.limit ?? 10_000 });
}

/** Re-aligns one source (zone and clock offset) without reading any file again. */
export async function setSourceTime(sourceId: string, patch: { zoneOffsetMin?: number; clockOffsetUs?: number }): Promise<void> {
  const s = await db().sources.get(sourceId);
  if (!s) return;
  const time = patch.zoneOffsetMin !== undefined ? { ...s.time, zoneSource: 'user' as const } : s.time;
  await db().sources.update(sourceId, { ...patch, time });
}

/** The stored, complete bundle with this SHA-256 fingerprint (a share link names its bundle this way). */
export async function findBundleByFingerprint(fingerprint: string): Promise<Bundle | null> {
  if (!fingerprint) return null;
  const found = await db().bundles.where('fingerprint').equals(fingerprint).toArray();
  return found.find((b) => b.status === 'ready') ?? null;
}
