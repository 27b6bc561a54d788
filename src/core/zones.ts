// Which zone a file's wall-clock stamps are read in. A bundle can hold nodes of several zones (a
// folder per node, an rsyslog file from another site), while the bundle's zone is one vote over
// all of them: so a file's own lines decide first, then the files beside it, then the bundle.
import type { BundleTime } from './align';
import { zoneVotes, type EntryResult } from './ingest';
import type { TimeAssumptions } from './model';

export interface EntryZone {
  zoneOffsetMin: number;
  zoneSource: TimeAssumptions['zoneSource'];
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

/** The zone a file's own lines prove (several of them, nearly all agreeing), else the bundle's. */
export function ownZone(entry: EntryResult, bt: BundleTime): EntryZone {
  if (bt.zoneSource === 'user') return bt;
  const v = zoneVotes(entry.anchors);
  if (v === null || v.votes < 2 || v.votes * 3 < v.cast * 2) return bt;
  return { zoneOffsetMin: v.zoneOffsetMin, zoneSource: v.zoneOffsetMin === bt.zoneOffsetMin ? bt.zoneSource : 'file' };
}

/** `a.tar.gz!/node-b/var/log/kubelet.log` → `a.tar.gz`, `a.tar.gz/node-b`, `a.tar.gz/node-b/var`, … (nearest last). */
function foldersOf(path: string): string[] {
  const parts = path.replace(/!\//g, '/').split('/');
  const out: string[] = [];
  for (let n = 1; n < parts.length; n++) out.push(parts.slice(0, n).join('/'));
  return out;
}

/**
 * Each entry's zone: its own lines' when they prove one; else the vote of the files sharing its
 * nearest folder that holds any vote (a node's raw kubelet.log beside its journal); else the bundle's.
 */
export function entryZones(entries: EntryResult[], bt: BundleTime): EntryZone[] {
  if (bt.zoneSource === 'user') return entries.map(() => bt);
  const byFolder = new Map<string, EntryResult['anchors']>();
  for (const e of entries) {
    if (!e.anchors.some((a) => a.localAsUtcUs !== null)) continue;
    for (const f of foldersOf(e.path)) {
      const list = byFolder.get(f);
      if (list) list.push(...e.anchors);
      else byFolder.set(f, [...e.anchors]);
    }
  }
  return entries.map((e) => {
    const own = ownZone(e, bt);
    if (own !== bt) return own;
    const folders = foldersOf(e.path);
    for (let i = folders.length - 1; i >= 0; i--) {
      const v = zoneVotes(byFolder.get(folders[i]!) ?? []);
      if (v === null) continue;
      return v.zoneOffsetMin === bt.zoneOffsetMin ? bt : { zoneOffsetMin: v.zoneOffsetMin, zoneSource: 'folder' as const };
    }
    return bt;
  });
}
