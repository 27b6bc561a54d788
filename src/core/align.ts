import type { EntryResult, SourceResult } from './ingest';
import { middleReading, zoneFromAnchors } from './ingest';
import { ownZone, zoneSourceText, type EntryBoot, type EntryZone } from './entry-time';
import type { Source, TimeAssumptions } from './model';

/** What the bundle as a whole says about the node's clock. */
export interface BundleTime {
  zoneOffsetMin: number;
  zoneSource: TimeAssumptions['zoneSource'];
  /** Boot time (µs UTC) for stamps relative to boot, null when nothing in the bundle tells it. */
  bootUs: number | null;
  /** 'wall-clock': read from klog stamps beside uptime stamps, placed with the bundle's zone. */
  bootSource: 'inferred' | 'wall-clock' | 'user' | null;
  /** Range of absolutely stamped lines (µs UTC), the yardstick for placing year-less sources. */
  absoluteFrom: number;
  absoluteTo: number;
}

export interface UserTime {
  zoneOffsetMin: number | null;
  bootUs: number | null;
}

export function resolveBundleTime(entries: EntryResult[], user: UserTime = { zoneOffsetMin: null, bootUs: null }): BundleTime {
  const anchors = entries.flatMap((e) => e.anchors);
  const inferred = zoneFromAnchors(anchors);
  const boots = anchors.map((a) => a.bootUs).filter((b): b is number => b !== undefined && b === b);
  const zoneOffsetMin = user.zoneOffsetMin ?? inferred ?? 0;
  // Without a boot told in UTC, one read on the wall clock (klog beside uptime) is placed in the zone.
  const wallBoots = entries.map((e) => e.wallBootUs).filter((b): b is number => b !== undefined && b === b);
  const wallBoot = wallBoots.length ? middleReading(wallBoots) - zoneOffsetMin * 60e6 : null;
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
  const inferredBoot = boots.length ? middleReading(boots) : wallBoot === null ? null : wallBoot + nearestYearShift(wallBoot, from, to);
  return {
    zoneOffsetMin,
    zoneSource: user.zoneOffsetMin !== null ? 'user' : inferred !== null ? 'inferred' : 'assumed-utc',
    bootUs: user.bootUs ?? inferredBoot,
    bootSource: user.bootUs !== null ? 'user' : boots.length ? 'inferred' : inferredBoot !== null ? 'wall-clock' : null,
    absoluteFrom: from,
    absoluteTo: to,
  };
}

/**
 * The whole-year move that brings a time read in an assumed year (klog's, which has none) nearest
 * to the bundle's dated range; 0 when nothing is dated.
 */
function nearestYearShift(us: number, from: number, to: number): number {
  if (!(from <= to)) return 0;
  const at = new Date(us / 1000);
  let best = 0;
  let bestDist = Infinity;
  for (let y = new Date(from / 1000).getUTCFullYear() - 1; y <= new Date(to / 1000).getUTCFullYear() + 1; y++) {
    const moved = new Date(at.getTime());
    moved.setUTCFullYear(y);
    const shift = (moved.getTime() - at.getTime()) * 1000;
    const dist = Math.max(0, from - (us + shift), us + shift - to);
    if (dist < bestDist) {
      bestDist = dist;
      best = shift;
    }
  }
  return best;
}

/** How most of a source's lines were stamped. */
export function basisOf(s: SourceResult): TimeAssumptions['basis'] {
  const { localStamped: l, absoluteStamped: a, relativeStamped: r } = s;
  if (l === 0 && a === 0 && r === 0) return 'none';
  if (r > l && r > a) return 'relative';
  return l > a ? 'local' : 'utc';
}

/**
 * Year correction for a source parsed with an assumed year: the whole-year move that brings it
 * nearest to the bundle's absolutely stamped lines (the smallest such move). 0 when nothing in the
 * bundle carries a year.
 */
export function yearShiftFor(s: SourceResult, parsedYear: number, bt: BundleTime): number {
  if (basisOf(s) !== 'local' || !(bt.absoluteFrom <= bt.absoluteTo) || s.firstTs !== s.firstTs) return 0;
  const first = new Date(s.firstTs / 1000);
  // Stamps placed in another year than the assumed one (or the one before, for a Dec→Jan
  // rollover) carried their own year: only year-less sources are moved.
  const firstYear = first.getUTCFullYear();
  if (firstYear !== parsedYear && firstYear !== parsedYear - 1) return 0;
  const targetYear = new Date(bt.absoluteFrom / 1000).getUTCFullYear();
  let best = 0;
  let bestDist = Infinity;
  for (const y of [targetYear - 1, targetYear, targetYear + 1]) {
    const moved = new Date(first.getTime());
    moved.setUTCFullYear(first.getUTCFullYear() + (y - parsedYear));
    const shift = (moved.getTime() - first.getTime()) * 1000;
    const dist = Math.max(0, bt.absoluteFrom - (s.lastTs + shift), s.firstTs + shift - bt.absoluteTo);
    // Several years can fit a range that spans more than one (an old rotated log beside today's):
    // then the stamps stay where they were parsed, not in the earliest year that fits.
    if (dist < bestDist || (dist === bestDist && Math.abs(shift) < Math.abs(best))) {
      bestDist = dist;
      best = shift;
    }
  }
  return best;
}

/**
 * The µs to add to stored stamps of a source (or of a metric series, dump or event of its file,
 * which may have its own basis) to place them on the common axis. NaN when they cannot be
 * placed (relative to boot, boot time unknown).
 */
export function sourceShiftUs(s: Pick<Source, 'time' | 'zoneOffsetMin' | 'clockOffsetUs'>, basis = s.time.basis): number {
  switch (basis) {
    case 'local':
      return s.time.yearShiftUs + (s.time.parsedZoneOffsetMin - s.zoneOffsetMin) * 60e6 + s.clockOffsetUs;
    case 'relative':
      return s.time.bootUs === null ? NaN : s.time.bootUs + s.clockOffsetUs;
    case 'utc':
      return s.clockOffsetUs;
    case 'none':
      return 0;
  }
}

/**
 * A goroutine dump's capture time on the common axis, or null when it cannot be placed. A time the
 * user typed is already UTC on that axis; one read from the logs is in its file's stamp basis.
 */
export function dumpTakenAtUs(
  d: { takenAt: number | null; takenAtSource: string; basis: 'utc' | 'local' | 'relative' },
  source: Pick<Source, 'time' | 'zoneOffsetMin' | 'clockOffsetUs'> | undefined,
): number | null {
  if (d.takenAt === null) return null;
  const shift = d.takenAtSource === 'user' ? 0 : source ? sourceShiftUs(source, d.basis) : d.basis === 'utc' ? 0 : NaN;
  const at = d.takenAt + shift;
  return at === at ? at : null;
}

/** Builds the stored Source rows of one parsed entry, aligned to the bundle's time. */
export function sourcesOf(entry: EntryResult, bundleId: string, fileId: string, bt: BundleTime, yearSource: TimeAssumptions['yearSource'],
  zone: EntryZone = ownZone(entry, bt) ?? bt, boot: EntryBoot = bt): Source[] {
  return entry.sources.map((s) => {
    const basis = basisOf(s);
    const yearShiftUs = yearShiftFor(s, entry.parsedYear, bt);
    const notes: string[] = [];
    const { zoneOffsetMin, zoneSource } = basis === 'local' ? zone : bt;
    if (basis === 'local') {
      notes.push(`wall-clock stamps placed in UTC${fmtZone(zoneOffsetMin)} (${zoneSourceText(zoneSource)})`);
      if (yearShiftUs !== 0) notes.push('year taken from dated lines elsewhere in the bundle');
    }
    if (basis === 'relative') {
      notes.push(boot.bootUs === null ? 'stamps are seconds since boot and the boot time is unknown: set it to place them' : `seconds since boot, boot at ${new Date(boot.bootUs / 1000).toISOString()} (${boot.bootSource === 'wall-clock' ? `read from klog's wall clock, in UTC${fmtZone(bt.zoneOffsetMin)}` : boot.bootSource})`);
    }
    if (basis === 'none') notes.push('no timestamps: lines kept without time');
    const time: TimeAssumptions = {
      basis,
      parsedZoneOffsetMin: entry.parsedZoneOffsetMin,
      zoneSource: basis === 'utc' ? 'stamp' : zoneSource,
      year: basis === 'local' ? new Date((s.firstTs + yearShiftUs) / 1000).getUTCFullYear() : null,
      // A file with dated lines in its head took its year from them (ingest), not from its date.
      yearSource: basis === 'local' ? (yearShiftUs !== 0 ? 'bundle' : entry.anchors.length > 0 ? 'stamp' : yearSource) : basis === 'utc' ? 'stamp' : null,
      yearShiftUs,
      bootUs: boot.bootUs,
      notes,
    };
    return {
      id: s.id, bundleId, fileId, path: entry.path, format: entry.format, origin: s.origin,
      lines: s.lines, records: s.records, firstTs: s.firstTs, lastTs: s.lastTs, time,
      zoneOffsetMin,
      clockOffsetUs: 0, levelCounts: s.levelCounts, blocks: s.blocks,
      metrics: s.id === entry.extrasSourceId ? entry.metrics : [],
      goroutines: s.id === entry.extrasSourceId ? entry.goroutines : 0,
      events: s.id === entry.extrasSourceId ? entry.events : 0,
    };
  });
}

export function fmtZone(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
