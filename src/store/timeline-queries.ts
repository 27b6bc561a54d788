// What the timeline and its charts draw, read once per bundle from the stored outlines (the index
// blocks of small sources): per-lane density pyramids, error markers, goroutine dumps with their
// waits, and the metric series, all moved onto the common axis by their source's shift.
import { dumpTakenAtUs, sourceShiftUs } from '../core/align';
import { addBlock, densityGrid, emptyCounts, pyramidOf, type DensityPyramid } from '../core/density';
import { CONTINUATION, LEVEL_MASK } from '../core/line-index';
import { addOutline } from '../core/outline';
import { Level, type MetricSeries, type Source } from '../core/model';
import { getBlocks } from './block-cache';
import { db } from './db';
import type { StoredDumpHead, WaitGroup } from './stored-dumps';

export interface TimelineLane {
  sourceId: string;
  fileId: string;
  origin: string;
  path: string;
  /** Origin and short file name: "kubelet · kubelet.log". */
  label: string;
  pyramid: DensityPyramid;
  /** A lane merging many small files of one origin lists them here (`sourceId` is the first). */
  memberIds?: string[];
}

/**
 * More lanes than this and the smallest files of each origin share one lane: 10,000 pod logs must not
 * become 10,000 rows (nor 10,000 density pyramids in memory).
 */
export const MAX_LANES = 40;

/** Lines at error level or above, in time order (typed columns: there may be many). */
export interface ErrorMarkers {
  ts: Float64Array;
  offset: Float64Array;
  /** Index into `lanes`. */
  lane: Uint16Array;
  /** Index into `TimelineData.sourceIds`: the line's own source (a merged lane holds several). */
  source: Uint32Array;
}

export interface DumpMark {
  id: string;
  fileId: string;
  process: string;
  pid: number | null;
  /** Capture time on the common axis; null when unknown (not drawn). */
  takenAt: number | null;
  goroutines: number;
  waits: WaitGroup[];
}

export interface TimelineMetric {
  sourceId: string;
  path: string;
  series: string;
  unit?: string;
  /** Stamps on the common axis (µs UTC). */
  ts: Float64Array;
  value: Float64Array;
}

export interface TimelineData {
  /** The range of everything drawn (µs UTC). */
  extent: { from: number; to: number };
  lanes: TimelineLane[];
  /** Sources referenced by `errors.source`. */
  sourceIds: string[];
  errors: ErrorMarkers;
  dumps: DumpMark[];
  metrics: TimelineMetric[];
}

/** Lanes of the node's daemons first, in the order an SRE reads them; metric files last. */
const ORIGIN_ORDER = ['kubelet', 'containerd', 'shim', 'docker', 'kernel', 'systemd'];
function originRank(origin: string): number {
  const i = ORIGIN_ORDER.indexOf(origin);
  if (i >= 0) return i;
  return origin === 'metrics' ? ORIGIN_ORDER.length + 1 : ORIGIN_ORDER.length;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Files whose lines are samples or stacks: drawn as charts and dump markers, not as lanes. */
const CHART_FORMATS = new Set(['psi', 'iostat', 'vmstat', 'goroutines']);

/** Lines of index read per IndexedDB request (8 full blocks): few enough to keep memory flat on big bundles. */
const READ_LINES = 8 * 65_536;

interface BlockRead {
  key: [string, number];
  lines: number;
  shift: number;
  laneIndex: number;
  sourceIndex: number;
}

export async function timelineData(bundleId: string): Promise<TimelineData | null> {
  const [sources, storedMetrics, storedDumps, outlines] = await Promise.all([
    db().sources.where('bundleId').equals(bundleId).toArray(),
    db().metrics.where('bundleId').equals(bundleId).toArray(),
    db().dumpHeads.where('bundleId').equals(bundleId).toArray(),
    db().outlines.where('bundleId').equals(bundleId).toArray(),
  ]);
  if (!sources.length) return null;
  const byId = new Map(sources.map((s) => [s.id, s]));
  const placed = sources
    .filter((s) => s.lines > 0 && s.firstTs === s.firstTs && Number.isFinite(sourceShiftUs(s)) && !CHART_FORMATS.has(s.format))
    .sort((a, b) => originRank(a.origin) - originRank(b.origin) || a.path.localeCompare(b.path) || a.origin.localeCompare(b.origin));

  const metrics = alignMetrics(storedMetrics, byId);
  const dumps = storedDumps.map((d) => dumpMark(d, byId.get(d.sourceId))).sort((a, b) => (a.takenAt ?? 0) - (b.takenAt ?? 0));
  const extent = extentOf(placed, metrics);
  if (!extent) return null;

  const grid = densityGrid(extent.from, extent.to);
  const groups = laneGroups(placed);
  const lanes: TimelineLane[] = [];
  const sourceIds: string[] = [];
  const errors = { ts: [] as number[], offset: [] as number[], lane: [] as number[], source: [] as number[] };
  const addError = (ts: number, offset: number, lane: number, source: number) => {
    errors.ts.push(ts);
    errors.offset.push(offset);
    errors.lane.push(lane);
    errors.source.push(source);
  };
  // A big source is drawn from its outline. The blocks of the others (small ones, and any stored
  // before outlines existed) are read once, in reads of up to READ_LINES lines across sources:
  // 10,000 one-line pod logs made 10,000 IndexedDB requests when each source was read on its own.
  const outlineOf = new Map(outlines.map((o) => [o.sourceId, o]));
  const reads: BlockRead[] = [];
  const laneCounts = groups.map(() => emptyCounts(grid));
  groups.forEach((members, laneIndex) => {
    for (const s of members) {
      const shift = sourceShiftUs(s);
      const sourceIndex = sourceIds.push(s.id) - 1;
      const outline = outlineOf.get(s.id);
      if (!outline) {
        s.blocks.forEach(([, , count], b) => reads.push({ key: [s.id, b], lines: count, shift, laneIndex, sourceIndex }));
        continue;
      }
      addOutline(laneCounts[laneIndex]!, grid, outline, shift);
      for (let j = 0; j < outline.errorTs.length; j++) addError(outline.errorTs[j]! + shift, outline.errorOffset[j]!, laneIndex, sourceIndex);
    }
  });
  for (let at = 0; at < reads.length;) {
    let end = at;
    for (let lines = 0; end < reads.length && (end === at || lines + reads[end]!.lines <= READ_LINES); end++) lines += reads[end]!.lines;
    const batch = reads.slice(at, end);
    const blocks = await getBlocks(batch.map((r) => r.key));
    blocks.forEach((block, k) => {
      if (!block) return;
      const { shift, laneIndex, sourceIndex } = batch[k]!;
      addBlock(laneCounts[laneIndex]!, grid, block.ts, block.level, block.count, shift);
      for (let j = 0; j < block.count; j++) {
        const raw = block.level[j]!;
        if ((raw & LEVEL_MASK) >= Level.error && !(raw & CONTINUATION) && block.ts[j] === block.ts[j]) addError(block.ts[j]! + shift, block.offset[j]!, laneIndex, sourceIndex);
      }
    });
    at = end;
  }
  for (const [laneIndex, members] of groups.entries()) {
    const counts = laneCounts[laneIndex]!;
    const s = members[0]!;
    if (members.length === 1) {
      lanes.push({ sourceId: s.id, fileId: s.fileId, origin: s.origin, path: s.path, label: `${s.origin} · ${baseName(s.path)}`, pyramid: pyramidOf(counts, grid) });
    } else {
      lanes.push({
        sourceId: s.id, fileId: s.fileId, origin: s.origin, path: `${members.length} files`, label: `${s.origin} · ${members.length.toLocaleString('en')} more files`,
        pyramid: pyramidOf(counts, grid), memberIds: members.map((m) => m.id),
      });
    }
  }
  return { extent, lanes, sourceIds, errors: sortErrors(errors), dumps, metrics };
}

function alignMetrics(stored: MetricSeries[], byId: Map<string, Source>): TimelineMetric[] {
  const out: TimelineMetric[] = [];
  for (const m of stored) {
    const s = byId.get(m.sourceId);
    const shift = s ? sourceShiftUs(s, m.basis) : NaN;
    if (!Number.isFinite(shift) || !m.ts.length) continue;
    const ts = new Float64Array(m.ts.length);
    for (let i = 0; i < ts.length; i++) ts[i] = m.ts[i]! + shift;
    out.push({ sourceId: m.sourceId, path: s!.path, series: m.series, unit: m.unit, ts, value: m.value });
  }
  return out;
}

function dumpMark(d: StoredDumpHead, s: Source | undefined): DumpMark {
  return { id: d.id, fileId: d.fileId, process: d.process, pid: d.pid, takenAt: dumpTakenAtUs(d, s), goroutines: d.goroutines, waits: d.waits };
}

/**
 * The range of the lanes and metrics. Dumps are left out: a capture time taken from a file's
 * modification time can be days away from the logs and would squeeze everything else.
 */
function extentOf(lanes: Source[], metrics: TimelineMetric[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const s of lanes) {
    const shift = sourceShiftUs(s);
    from = Math.min(from, s.firstTs + shift);
    to = Math.max(to, (s.lastTs === s.lastTs ? s.lastTs : s.firstTs) + shift);
  }
  for (const m of metrics) {
    for (const t of m.ts) {
      if (t < from) from = t;
      if (t > to) to = t;
    }
  }
  return from <= to ? { from, to: Math.max(to, from + 1e6) } : null;
}

function sortErrors(e: { ts: number[]; offset: number[]; lane: number[]; source: number[] }): ErrorMarkers {
  const order = e.ts.map((_, i) => i).sort((a, b) => e.ts[a]! - e.ts[b]!);
  return {
    ts: Float64Array.from(order, (i) => e.ts[i]!),
    offset: Float64Array.from(order, (i) => e.offset[i]!),
    lane: Uint16Array.from(order, (i) => e.lane[i]!),
    source: Uint32Array.from(order, (i) => e.source[i]!),
  };
}

/**
 * One lane per source while they fit; beyond MAX_LANES the biggest sources keep their own lane and
 * the rest of each origin share one (in the sources' reading order).
 */
export function laneGroups(placed: Source[]): Source[][] {
  if (placed.length <= MAX_LANES) return placed.map((s) => [s]);
  const origins = [...new Set(placed.map((s) => s.origin))];
  const own = new Set([...placed].sort((a, b) => b.lines - a.lines).slice(0, Math.max(0, MAX_LANES - origins.length)).map((s) => s.id));
  const groups: Source[][] = [];
  const merged = new Map<string, Source[]>();
  for (const s of placed) {
    if (own.has(s.id)) { groups.push([s]); continue; }
    let g = merged.get(s.origin);
    if (!g) { g = []; merged.set(s.origin, g); groups.push(g); }
    g.push(s);
  }
  return groups;
}
