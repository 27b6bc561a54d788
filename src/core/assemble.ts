import { resolveBundleTime, sourcesOf, type BundleTime, type UserTime } from './align';
import { entryBoots, entryZones } from './entry-time';
import type { EntryResult } from './ingest';
import type { Source, SourceFile, TimeAssumptions } from './model';

export interface ParsedEntry {
  fileId: string;
  result: EntryResult;
  rawKey: string;
  rawOffset: number;
  size: number | null;
  archive?: string;
  lastModified?: number;
  formatChosenByUser: boolean;
  yearSource: TimeAssumptions['yearSource'];
}

/** Turns parsed entries into the stored rows, with every source aligned to the bundle's time. */
export function assembleBundle(bundleId: string, entries: ParsedEntry[], user: UserTime = { zoneOffsetMin: null, bootUs: null }): {
  files: SourceFile[];
  sources: Source[];
  time: BundleTime;
} {
  const time = resolveBundleTime(entries.map((e) => e.result), user);
  const files: SourceFile[] = [];
  const sources: Source[] = [];
  const results = entries.map((e) => e.result);
  const zones = entryZones(results, time);
  const boots = entryBoots(results, time);
  for (const [n, e] of entries.entries()) {
    const r = e.result;
    files.push({
      id: e.fileId, bundleId, path: r.path, size: e.size ?? r.bytes, format: r.format,
      detectedFormat: r.detectedFormat, formatChosenByUser: e.formatChosenByUser, digest: r.digest,
      status: r.status === 'done' || r.status === 'skipped' ? r.status : 'failed',
      lines: r.lines, rawKey: e.rawKey, rawOffset: e.rawOffset, rawBytes: r.status === 'skipped' ? 0 : r.bytes,
      errors: r.errors, notes: r.notes, archive: e.archive, lastModified: e.lastModified,
    });
    sources.push(...sourcesOf(r, bundleId, e.fileId, time, e.yearSource, zones[n], boots[n]));
  }
  return { files, sources, time };
}
