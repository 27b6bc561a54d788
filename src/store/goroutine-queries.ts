import { dumpTakenAtUs } from '../core/align';
import type { Goroutine } from '../core/formats/types';
import type { Source } from '../core/model';
import { db } from './db';
import { readDump, type StoredDumpHead } from './stored-dumps';

/** A goroutine dump as the goroutine view lists it; the capture time is on the bundle's axis. */
export interface DumpSummary {
  id: string;
  fileId: string;
  /** The file's path in the bundle. */
  file: string;
  process: string;
  pid: number | null;
  /** Capture time (µs UTC, moved by its source's shift); null when unknown or not placeable. */
  takenAt: number | null;
  takenAtSource: string;
  goroutines: number;
  truncated: boolean;
  /** 0-based line of the dump in its file. */
  line: number;
}

export interface DumpWithGoroutines extends DumpSummary {
  goroutineList: Goroutine[];
}

function summarize(d: StoredDumpHead, path: string | undefined, source: Source | undefined): DumpSummary {
  const takenAt = dumpTakenAtUs(d, source);
  return {
    id: d.id, fileId: d.fileId, file: path ?? d.fileId, process: d.process, pid: d.pid,
    takenAt, takenAtSource: d.takenAtSource, goroutines: d.goroutines, truncated: d.truncated, line: d.line,
  };
}

/** Every dump of a bundle, without goroutines, by capture time (unknown times last), then file. */
export async function listDumps(bundleId: string): Promise<DumpSummary[]> {
  const [files, sources] = await Promise.all([
    db().files.where('bundleId').equals(bundleId).toArray(),
    db().sources.where('bundleId').equals(bundleId).toArray(),
  ]);
  const pathOf = new Map(files.map((f) => [f.id, f.path]));
  const sourceOf = new Map(sources.map((s) => [s.id, s]));
  const heads = await db().dumpHeads.where('bundleId').equals(bundleId).toArray();
  const out = heads.map((d) => summarize(d, pathOf.get(d.fileId), sourceOf.get(d.sourceId)));
  return out.sort((a, b) => (a.takenAt ?? Infinity) - (b.takenAt ?? Infinity) || a.file.localeCompare(b.file) || a.line - b.line);
}

/** One dump with its goroutines (a dump can hold 10k: read only the one the view shows). */
export async function loadDump(bundleId: string, dumpId: string): Promise<DumpWithGoroutines | null> {
  const [row, head] = await Promise.all([db().dumps.get(dumpId), db().dumpHeads.get(dumpId)]);
  if (!row || !head || row.bundleId !== bundleId) return null;
  const [file, source] = await Promise.all([db().files.get(row.fileId), db().sources.get(row.sourceId)]);
  return { ...summarize(head, file?.path, source), goroutineList: readDump(row).goroutines };
}
