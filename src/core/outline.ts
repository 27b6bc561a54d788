// A source's outline: its record counts per time bucket and level class, and its error lines,
// gathered while the source is indexed. Opening a bundle then draws its lanes from a few outlines
// instead of reading and binning every index block (the 1 GB bundle's ~940 ms timeline query).
//
// The buckets are the source's own and in its stored stamps (before the source's shift), so a new
// zone or clock offset re-bins the same outline. Their width doubles as stamps fall outside the
// range held, which keeps the width under 1/32768 of the source's span: at least twice as fine as
// the bundle's finest grid, whose 16384 buckets cover a range at least as wide as any source's.
import { CLASS_COUNT, densityClass, type DensityGrid } from './density';
import { CONTINUATION, LEVEL_MASK } from './line-index';
import { Level } from './model';

/** Buckets an outline holds at most while it is built. */
export const OUTLINE_BUCKETS = 1 << 16;
/**
 * The first width tried (µs): under half the finest bucket any bundle grid has (a grid spans at
 * least a second in 16384 buckets, ~61 µs each), so the lines of a short source keep their shape.
 */
const START_BUCKET_US = 16;

export interface SourceOutline {
  sourceId: string;
  /** Bucket k covers stored stamps [origin + k·bucketUs, origin + (k+1)·bucketUs). */
  origin: number;
  bucketUs: number;
  /** The bucket of `counts[0]` (may be negative: stamps before the first one seen). */
  firstBucket: number;
  /** `counts[(k − firstBucket) * CLASS_COUNT + class]`, only the buckets from the first to the last used. */
  counts: Uint32Array;
  /** Records counted (continuation lines and lines without time are not). */
  records: number;
  /** Stored stamp and byte offset of every record at error level or above, in file order. */
  errorTs: Float64Array;
  errorOffset: Float64Array;
}

/** The slice of a line-index block an outline reads. */
export interface OutlineBlock {
  count: number;
  ts: ArrayLike<number>;
  level: ArrayLike<number>;
  offset: ArrayLike<number>;
}

export class OutlineBuilder {
  private origin = NaN;
  private bucketUs = START_BUCKET_US;
  /** `counts[(k − low) * CLASS_COUNT + class]` for buckets k in [low, low + OUTLINE_BUCKETS). */
  private low = 0;
  private counts = new Uint32Array(OUTLINE_BUCKETS * CLASS_COUNT);
  private usedMin = Infinity;
  private usedMax = -Infinity;
  private records = 0;
  private errorTs: number[] = [];
  private errorOffset: number[] = [];

  constructor(readonly sourceId: string) {}

  add(block: OutlineBlock): void {
    for (let i = 0; i < block.count; i++) {
      const raw = block.level[i]!;
      if (raw & CONTINUATION) continue;
      const t = block.ts[i]!;
      // (No stamp, or one no width could hold.)
      if (t !== t || t === Infinity || t === -Infinity) continue;
      if (this.origin !== this.origin) this.origin = t;
      let k = Math.floor((t - this.origin) / this.bucketUs);
      if (k < this.low || k >= this.low + OUTLINE_BUCKETS) k = this.widenFor(t);
      const level = raw & LEVEL_MASK;
      this.counts[(k - this.low) * CLASS_COUNT + densityClass(level)]!++;
      if (k < this.usedMin) this.usedMin = k;
      if (k > this.usedMax) this.usedMax = k;
      this.records++;
      if (level >= Level.error) {
        this.errorTs.push(t);
        this.errorOffset.push(block.offset[i]!);
      }
    }
  }

  /** Doubles the width until `t` fits beside every bucket used so far; returns `t`'s bucket. */
  private widenFor(t: number): number {
    for (;;) {
      const next = new Uint32Array(this.counts.length);
      // Floor division keeps bucket k's stamps in bucket ⌊k/2⌋ of twice the width, negative k too.
      const usedMin = Math.floor(this.usedMin / 2);
      const usedMax = Math.floor(this.usedMax / 2);
      this.bucketUs *= 2;
      const k = Math.floor((t - this.origin) / this.bucketUs);
      const lo = Math.min(usedMin, k);
      const hi = Math.max(usedMax, k);
      const fits = hi - lo < OUTLINE_BUCKETS;
      // Room to spare goes below and above evenly, so growth either way costs few more doublings.
      // While `t` does not fit yet, the buckets used are placed alone (they always fit: halved).
      const low = fits ? lo - Math.floor((OUTLINE_BUCKETS - (hi - lo + 1)) / 2) : usedMin - Math.floor((OUTLINE_BUCKETS - (usedMax - usedMin + 1)) / 2);
      for (let old = this.usedMin; old <= this.usedMax; old++) {
        const from = (old - this.low) * CLASS_COUNT;
        const to = (Math.floor(old / 2) - low) * CLASS_COUNT;
        for (let c = 0; c < CLASS_COUNT; c++) next[to + c]! += this.counts[from + c]!;
      }
      this.counts = next;
      this.low = low;
      this.usedMin = usedMin;
      this.usedMax = usedMax;
      if (fits) return k;
    }
  }

  finish(): SourceOutline {
    const used = this.records > 0;
    const first = used ? this.usedMin : 0;
    const counts = used
      ? this.counts.slice((this.usedMin - this.low) * CLASS_COUNT, (this.usedMax - this.low + 1) * CLASS_COUNT)
      : new Uint32Array(0);
    return {
      sourceId: this.sourceId, origin: used ? this.origin : 0, bucketUs: this.bucketUs, firstBucket: first, counts,
      records: this.records, errorTs: Float64Array.from(this.errorTs), errorOffset: Float64Array.from(this.errorOffset),
    };
  }
}

/**
 * Adds an outline's counts to a lane's finest counts on `grid`, each bucket where its middle falls
 * once moved by `shift` (clamped to the grid, as the block path clamps stamps). Returns the records added.
 */
export function addOutline(laneCounts: Uint32Array, grid: DensityGrid, outline: SourceOutline, shift: number): number {
  const last = grid.buckets - 1;
  const n = outline.counts.length / CLASS_COUNT;
  for (let j = 0; j < n; j++) {
    const mid = outline.origin + (outline.firstBucket + j + 0.5) * outline.bucketUs + shift;
    const b = Math.min(last, Math.max(0, Math.floor((mid - grid.from) / grid.bucketUs)));
    for (let c = 0; c < CLASS_COUNT; c++) laneCounts[b * CLASS_COUNT + c]! += outline.counts[j * CLASS_COUNT + c]!;
  }
  return outline.records;
}
