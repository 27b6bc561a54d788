import type { EntryResult, SourceResult } from './ingest';
import { zoneFromAnchors } from './ingest';
import type { Source, TimeAssumptions } from './model';

/** What the bundle as a whole says about the node's clock. */
export interface BundleTime {
  zoneOffsetMin: number;
  zoneSource: TimeAssumptions['zoneSource'];
  /** Range of absolutely stamped lines (µs UTC), the yardstick for placing year-less sources. */
  absoluteFrom: number;
  absoluteTo: number;
}

export function resolveBundleTime(entries: EntryResult[], userZone: number | null = null): BundleTime {
  const inferred = zoneFromAnchors(entries.flatMap((e) => e.anchors));
  let from = Infinity;
  let to = -Infinity;
  for (const e of entries) {
    for (const a of e.anchors) {
      from = Math.min(from, a.utcUs);
      to = Math.max(to, a.utcUs);
    }
    for (const s of e.sources) {
      if (basisOf(s) !== 'utc') continue;
      if (s.firstTs === s.firstTs) from = Math.min(from, s.firstTs);
      if (s.lastTs === s.lastTs) to = Math.max(to, s.lastTs);
    }
  }
  return {
    zoneOffsetMin: userZone ?? inferred ?? 0,
    zoneSource: userZone !== null ? 'user' : inferred !== null ? 'inferred' : 'assumed-utc',
    absoluteFrom: from,
    absoluteTo: to,
  };
}

export function basisOf(s: SourceResult): TimeAssumptions['basis'] {
  if (s.localStamped === 0 && s.absoluteStamped === 0) return 'none';
  return s.localStamped > s.absoluteStamped ? 'local' : 'utc';
}

/**
 * Year correction for a source parsed with an assumed year: the whole-year move that brings it
 * nearest to the bundle's absolutely stamped lines. 0 when nothing in the bundle carries a year.
 */
export function yearShiftFor(s: SourceResult, parsedYear: number, bt: BundleTime): number {
  if (basisOf(s) !== 'local' || !(bt.absoluteFrom <= bt.absoluteTo) || s.firstTs !== s.firstTs) return 0;
  const first = new Date(s.firstTs / 1000);
  const targetYear = new Date(bt.absoluteFrom / 1000).getUTCFullYear();
  let best = 0;
  let bestDist = Infinity;
  for (const y of [targetYear - 1, targetYear, targetYear + 1]) {
    const moved = new Date(first.getTime());
    moved.setUTCFullYear(first.getUTCFullYear() + (y - parsedYear));
    const shift = (moved.getTime() - first.getTime()) * 1000;
    const a = s.firstTs + shift;
    const b = s.lastTs + shift;
    const dist = Math.max(0, bt.absoluteFrom - b, a - bt.absoluteTo);
    if (dist < bestDist) { bestDist = dist; best = shift; }
  }
  return best;
}

/** The µs to add to a source's stored stamps to place them on the common axis. */
export function sourceShiftUs(s: Pick<Source, 'time' | 'zoneOffsetMin' | 'clockOffsetUs'>): number {
  const zoneMove = s.time.basis === 'local' ? (s.time.parsedZoneOffsetMin - s.zoneOffsetMin) * 60e6 : 0;
  return s.time.yearShiftUs + zoneMove + s.clockOffsetUs;
}

/** Builds the stored Source rows of one parsed entry, aligned to the bundle's time. */
export function sourcesOf(entry: EntryResult, bundleId: string, fileId: string, bt: BundleTime, yearSource: TimeAssumptions['yearSource']): Source[] {
  return entry.sources.map((s) => {
    const basis = basisOf(s);
    const yearShiftUs = yearShiftFor(s, entry.parsedYear, bt);
    const notes: string[] = [];
    if (basis === 'local') {
      notes.push(`wall-clock stamps placed in UTC${fmtZone(bt.zoneOffsetMin)} (${bt.zoneSource})`);
      if (yearShiftUs !== 0) notes.push('year taken from dated lines elsewhere in the bundle');
    }
    if (basis === 'none') notes.push('no timestamps: lines kept without time');
    const time: TimeAssumptions = {
      basis,
      parsedZoneOffsetMin: entry.parsedZoneOffsetMin,
      zoneSource: basis === 'utc' ? 'stamp' : bt.zoneSource,
      year: basis === 'local' ? new Date((s.firstTs + yearShiftUs) / 1000).getUTCFullYear() : null,
      yearSource: basis === 'local' ? (yearShiftUs !== 0 ? 'bundle' : yearSource) : basis === 'utc' ? 'stamp' : null,
      yearShiftUs,
      notes,
    };
    return {
      id: s.id, bundleId, fileId, path: entry.path, format: entry.format, origin: s.origin,
      lines: s.lines, records: s.records, firstTs: s.firstTs, lastTs: s.lastTs, time,
      zoneOffsetMin: basis === 'local' ? bt.zoneOffsetMin : 0,
      clockOffsetUs: 0, levelCounts: s.levelCounts, blocks: s.blocks,
    };
  });
}

export function fmtZone(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
