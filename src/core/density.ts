// Event density of the timeline lanes: record counts per time bucket and level class, computed
// once per bundle at a fine resolution and summed pairwise into coarser levels (a pyramid), so
// any zoom draws a few hundred buckets per lane instead of millions of lines.
import { CONTINUATION, LEVEL_MASK } from './line-index';
import { Level } from './model';

/** Level classes drawn as the stacked bars of a lane, most severe first. */
export const DENSITY_CLASSES = ['error', 'warn', 'info', 'other'] as const;
export const CLASS_COUNT = DENSITY_CLASSES.length;

export function densityClass(level: number): number {
  if (level >= Level.error) return 0;
  if (level === Level.warn) return 1;
  return level === Level.info ? 2 : 3;
}

/** The bucket grid every lane of a bundle shares, so the lanes' buckets line up. */
export interface DensityGrid {
  from: number;
  /** Width of one bucket at the finest level (µs). */
  bucketUs: number;
  /** Buckets at the finest level (a power of two). */
  buckets: number;
}

export const FINE_BUCKETS = 1 << 14;
/** The coarsest level still has this many buckets over the whole range. */
const COARSEST_BUCKETS = 64;

export function densityGrid(from: number, to: number, buckets = FINE_BUCKETS): DensityGrid {
  // A range of one instant still gets a width, so every stamp falls in a bucket.
  const span = Math.max(to - from, 1e6);
  return { from, bucketUs: span / buckets, buckets };
}

/** Counts of one lane at the finest level: `counts[bucket * CLASS_COUNT + class]`. */
export function emptyCounts(grid: DensityGrid): Uint32Array {
  return new Uint32Array(grid.buckets * CLASS_COUNT);
}

/**
 * Adds the records of one index block (continuation lines follow their record and are not
 * counted; lines without time are skipped). `shift` places the stored stamps on the common
 * axis. Returns how many records were counted.
 */
export function addBlock(
  counts: Uint32Array, grid: DensityGrid,
  ts: ArrayLike<number>, level: ArrayLike<number>, count: number, shift: number,
): number {
  const last = grid.buckets - 1;
  let added = 0;
  for (let i = 0; i < count; i++) {
    const raw = level[i]!;
    if (raw & CONTINUATION) continue;
    const t = ts[i]! + shift;
    if (t !== t) continue;
    const b = Math.min(last, Math.max(0, Math.floor((t - grid.from) / grid.bucketUs)));
    counts[b * CLASS_COUNT + densityClass(raw & LEVEL_MASK)]!++;
    added++;
  }
  return added;
}

export interface DensityPyramid {
  grid: DensityGrid;
  /** Level 0 is the finest; level k has `grid.buckets >> k` buckets of `grid.bucketUs << k`. */
  levels: Uint32Array[];
  /** Records counted. */
  total: number;
}

/** Derives the coarser levels from the finest counts, each bucket the sum of two below it. */
export function pyramidOf(fine: Uint32Array, grid: DensityGrid): DensityPyramid {
  const levels = [fine];
  let total = 0;
  for (const c of fine) total += c;
  for (let n = grid.buckets >> 1; n >= COARSEST_BUCKETS; n >>= 1) {
    const below = levels[levels.length - 1]!;
    const up = new Uint32Array(n * CLASS_COUNT);
    for (let b = 0; b < n; b++) {
      for (let c = 0; c < CLASS_COUNT; c++) {
        up[b * CLASS_COUNT + c] = below[2 * b * CLASS_COUNT + c]! + below[(2 * b + 1) * CLASS_COUNT + c]!;
      }
    }
    levels.push(up);
  }
  return { grid, levels, total };
}

export function levelBucketUs(grid: DensityGrid, level: number): number {
  return grid.bucketUs * 2 ** level;
}

/** The finest level that shows the window [from, to] in at most `maxBuckets` buckets. */
export function pickLevel(grid: DensityGrid, levelCount: number, from: number, to: number, maxBuckets: number): number {
  for (let level = 0; level < levelCount; level++) {
    if ((to - from) / levelBucketUs(grid, level) <= maxBuckets) return level;
  }
  return levelCount - 1;
}

/** Index range [start, end) of the buckets of a level overlapping [from, to]. */
export function bucketRange(grid: DensityGrid, level: number, from: number, to: number): [number, number] {
  const width = levelBucketUs(grid, level);
  const n = grid.buckets >> level;
  const start = Math.max(0, Math.floor((from - grid.from) / width));
  const end = Math.min(n, Math.floor((to - grid.from) / width) + 1);
  return [start, Math.max(start, end)];
}

/** Records in the finest buckets overlapping [from, to]: an upper bound of the records in view. */
export function recordsIn(p: DensityPyramid, from: number, to: number): number {
  const [start, end] = bucketRange(p.grid, 0, from, to);
  const fine = p.levels[0]!;
  let sum = 0;
  for (let i = start * CLASS_COUNT; i < end * CLASS_COUNT; i++) sum += fine[i]!;
  return sum;
}

/** Counts of stamps (e.g. search matches) per bucket of `bucketUs` from `from`: `n` buckets. */
export function histogram(ts: ArrayLike<number>, from: number, bucketUs: number, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < ts.length; i++) {
    const b = Math.floor((ts[i]! - from) / bucketUs);
    if (b >= 0 && b < n) out[b]!++;
  }
  return out;
}

/** First index whose stamp is ≥ t (stamps sorted). */
export function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The samples of a series worth drawing in [from, to] at `buckets` columns: all of them when few,
 * else the lowest and highest of each column in time order (peaks survive, unlike averaging).
 * One sample beyond each edge is kept so the line reaches the border. Stamps must be sorted.
 */
export function decimate(ts: ArrayLike<number>, value: ArrayLike<number>, from: number, to: number, buckets: number): [number, number][] {
  const start = Math.max(0, lowerBound(ts, from) - 1);
  const end = Math.min(ts.length, lowerBound(ts, to) + 1);
  const out: [number, number][] = [];
  if (end - start <= 2 * buckets) {
    for (let i = start; i < end; i++) out.push([ts[i]!, value[i]!]);
    return out;
  }
  const width = (to - from) / buckets;
  let i = start;
  while (i < end) {
    const column = Math.floor((ts[i]! - from) / width);
    let lo = i;
    let hi = i;
    let j = i + 1;
    for (; j < end && Math.floor((ts[j]! - from) / width) === column; j++) {
      const v = value[j]!;
      if (v < value[lo]! || value[lo]! !== value[lo]!) lo = j;
      if (v > value[hi]! || value[hi]! !== value[hi]!) hi = j;
    }
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    out.push([ts[a]!, value[a]!]);
    if (b !== a) out.push([ts[b]!, value[b]!]);
    i = j;
  }
  return out;
}

/** A period of the bundle with lines in it. */
export interface TimeCluster {
  from: number;
  to: number;
  records: number;
}

/**
 * The periods a bundle's lines fall in, split at empty stretches longer than `minGapShare` of its
 * whole range. A rotated log from last month, or a node whose clock was wrong, stretches the range
 * until the incident is a sliver of the timeline; these periods let the user jump to each.
 * All pyramids share one grid (the bundle's extent); the finest level is read. `samples` are
 * further stamps to count (metric samples).
 */
export function timeClusters(pyramids: DensityPyramid[], samples: ArrayLike<number>[] = [], minGapShare = 0.1): TimeCluster[] {
  if (pyramids.length === 0) return [];
  const grid = pyramids[0]!.grid;
  const perBucket = new Float64Array(grid.buckets);
  // Metric samples (PSI, iostat, vmstat) are charts, not lanes, but they place the bundle in time too.
  for (const ts of samples) {
    for (let i = 0; i < ts.length; i++) {
      const b = Math.floor((ts[i]! - grid.from) / grid.bucketUs);
      if (b >= 0 && b < grid.buckets) perBucket[b]!++;
      else if (b === grid.buckets) perBucket[b - 1]!++;
    }
  }
  for (const p of pyramids) {
    const fine = p.levels[0]!;
    for (let b = 0; b < grid.buckets; b++) {
      let n = 0;
      for (let c = 0; c < CLASS_COUNT; c++) n += fine[b * CLASS_COUNT + c]!;
      perBucket[b]! += n;
    }
  }
  const minGap = Math.max(1, Math.ceil(grid.buckets * minGapShare));
  const out: TimeCluster[] = [];
  let start = -1;
  let last = -1;
  let records = 0;
  const close = () => {
    if (start >= 0) out.push({ from: grid.from + start * grid.bucketUs, to: grid.from + (last + 1) * grid.bucketUs, records });
  };
  for (let b = 0; b < grid.buckets; b++) {
    const n = perBucket[b]!;
    if (n === 0) continue;
    if (start >= 0 && b - last - 1 >= minGap) {
      close();
      start = -1;
      records = 0;
    }
    if (start < 0) start = b;
    last = b;
    records += n;
  }
  close();
  return out;
}
