// Which zone a file's wall-clock stamps are read in, and which boot its uptime stamps count from.
// A bundle can hold several nodes (a folder per node, an rsyslog file from another site), while
// the bundle's zone and boot are one vote over all of them: so a file's own lines decide first,
// then the files beside it, then the bundle.
import type { BundleTime } from './align';
import { middleReading, zoneVotes, type EntryResult } from './ingest';
import type { TimeAssumptions } from './model';

export interface EntryZone {
  zoneOffsetMin: number;
  zoneSource: TimeAssumptions['zoneSource'];
}

export interface EntryBoot {
  bootUs: number | null;
  bootSource: BundleTime['bootSource'];
}

/** Where an inferred zone came from, for the file list and notes. */
export function zoneSourceText(source: TimeAssumptions['zoneSource']): string {
  switch (source) {
    case 'file': return "read from this file's lines";
    case 'folder': return 'read from files in the same folder';
    case 'inferred': return 'inferred from the bundle';
    case 'assumed-utc': return 'assumed: nothing in the bundle tells the zone';
    case 'user': return 'set by you';
    case 'stamp': return 'stamps carry their offset';
  }
}

/** The zone a file's own lines prove (several of them, nearly all agreeing); null when they prove none or the user set one. */
export function ownZone(entry: EntryResult, bt: BundleTime): EntryZone | null {
  if (bt.zoneSource === 'user') return null;
  const v = zoneVotes(entry.anchors);
  if (v === null || v.votes < 2 || v.votes * 3 < v.cast * 2) return null;
  return { zoneOffsetMin: v.zoneOffsetMin, zoneSource: v.zoneOffsetMin === bt.zoneOffsetMin ? bt.zoneSource : 'file' };
}

/** `a.tar.gz!/node-b/var/log/kubelet.log` → `a.tar.gz`, `a.tar.gz/node-b`, `a.tar.gz/node-b/var`, … (nearest last). */
function foldersOf(path: string): string[] {
  const parts = path.replace(/!\//g, '/').split('/');
  const out: string[] = [];
  for (let n = 1; n < parts.length; n++) out.push(parts.slice(0, n).join('/'));
  return out;
}

/** Each file's folders that hold a value of `valuesOf`, with every value found under them. */
function valuesByFolder<T>(entries: EntryResult[], valuesOf: (e: EntryResult) => T[]): Map<string, T[]> {
  const byFolder = new Map<string, T[]>();
  for (const e of entries) {
    const values = valuesOf(e);
    if (values.length === 0) continue;
    for (const f of foldersOf(e.path)) {
      const list = byFolder.get(f);
      if (list) list.push(...values);
      else byFolder.set(f, [...values]);
    }
  }
  return byFolder;
}

/** The values under the entry's nearest folder that holds any; null when none does. */
function nearest<T>(e: EntryResult, byFolder: Map<string, T[]>): T[] | null {
  const folders = foldersOf(e.path);
  for (let i = folders.length - 1; i >= 0; i--) {
    const values = byFolder.get(folders[i]!);
    if (values) return values;
  }
  return null;
}

/**
 * Each entry's zone: its own lines' when they prove one; else the vote of the files sharing its
 * nearest folder that holds any vote (a node's raw kubelet.log beside its journal); else the bundle's.
 */
export function entryZones(entries: EntryResult[], bt: BundleTime): EntryZone[] {
  if (bt.zoneSource === 'user') return entries.map(() => bt);
  const byFolder = valuesByFolder(entries, (e) => e.anchors.filter((a) => a.localAsUtcUs !== null));
  return entries.map((e) => {
    const own = ownZone(e, bt);
    if (own) return own;
    const v = zoneVotes(nearest(e, byFolder) ?? []);
    if (v === null || v.zoneOffsetMin === bt.zoneOffsetMin) return bt;
    return { zoneOffsetMin: v.zoneOffsetMin, zoneSource: 'folder' };
  });
}

/**
 * Each entry's boot time (for its uptime stamps): the median of the boot anchors under its nearest
 * folder that holds any (its own file first: the nearest folder of all is the file itself), else
 * the bundle's. Two nodes' raw dmesg in one bundle then count from their own boots.
 */
export function entryBoots(entries: EntryResult[], bt: BundleTime): EntryBoot[] {
  if (bt.bootSource === 'user') return entries.map(() => bt);
  const bootsOf = (e: EntryResult) => e.anchors.map((a) => a.bootUs).filter((b): b is number => b !== undefined && b === b);
  const byFolder = valuesByFolder(entries, bootsOf);
  return entries.map((e) => {
    const own = bootsOf(e);
    const boots = own.length > 0 ? own : nearest(e, byFolder);
    if (!boots) return bt;
    return { bootUs: middleReading(boots), bootSource: 'inferred' };
  });
}
