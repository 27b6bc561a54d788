import { BLOCK_LINES, type BlockMeta, type LineBlock } from './model';

/** Bit set in `level` for a line that continues the record above it. */
export const CONTINUATION = 0x80;
export const LEVEL_MASK = 0x7f;
const INITIAL_CAPACITY = 1024;

/**
 * Accumulates one source's line index in typed arrays and hands out full blocks, so a file of
 * any size holds at most one block of index in memory.
 */
export class LineIndexBuilder {
  // Arrays start small and double up to a block: a tiny file must not cost a full block's memory.
  private cap = INITIAL_CAPACITY;
  private ts = new Float64Array(INITIAL_CAPACITY);
  private offset = new Float64Array(INITIAL_CAPACITY);
  private length = new Uint32Array(INITIAL_CAPACITY);
  private level = new Uint8Array(INITIAL_CAPACITY);
  private n = 0;
  private block = 0;
  private minTs = Infinity;
  private maxTs = -Infinity;
  lines = 0;
  records = 0;
  firstTs = NaN;
  lastTs = NaN;
  readonly levelCounts = [0, 0, 0, 0, 0, 0, 0];
  readonly blockMeta: BlockMeta[] = [];

  constructor(
    readonly sourceId: string,
    private readonly emit: (block: LineBlock) => void,
    private readonly blockLines = BLOCK_LINES,
  ) {}

  add(ts: number, offset: number, length: number, level: number, continuation: boolean): void {
    const i = this.n;
    if (i === this.cap) this.grow();
    this.ts[i] = ts;
    this.offset[i] = offset;
    this.length[i] = length;
    this.level[i] = continuation ? level | CONTINUATION : level;
    if (ts === ts) {
      if (ts < this.minTs) this.minTs = ts;
      if (ts > this.maxTs) this.maxTs = ts;
    }
    if (!continuation) {
      this.records++;
      this.levelCounts[level] = (this.levelCounts[level] ?? 0) + 1;
    }
    this.lines++;
    this.n = i + 1;
    if (this.n === this.blockLines) this.flush();
  }

  private grow(): void {
    const cap = Math.min(this.cap * 2, this.blockLines);
    const ts = new Float64Array(cap);
    ts.set(this.ts);
    const offset = new Float64Array(cap);
    offset.set(this.offset);
    const length = new Uint32Array(cap);
    length.set(this.length);
    const level = new Uint8Array(cap);
    level.set(this.level);
    Object.assign(this, { cap, ts, offset, length, level });
  }

  /** Emits the partial last block; call once at the end. */
  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const full = n === this.blockLines && this.cap === this.blockLines;
    const block: LineBlock = {
      sourceId: this.sourceId,
      block: this.block++,
      firstTs: this.minTs === Infinity ? NaN : this.minTs,
      lastTs: this.maxTs === -Infinity ? NaN : this.maxTs,
      count: n,
      ts: full ? this.ts : this.ts.slice(0, n),
      offset: full ? this.offset : this.offset.slice(0, n),
      length: full ? this.length : this.length.slice(0, n),
      level: full ? this.level : this.level.slice(0, n),
    };
    if (this.minTs !== Infinity) {
      if (!(this.firstTs <= this.minTs)) this.firstTs = this.minTs;
      if (!(this.lastTs >= this.maxTs)) this.lastTs = this.maxTs;
    }
    if (full) {
      // The full arrays were handed over (they may be transferred); start fresh ones of the same size.
      this.ts = new Float64Array(this.cap);
      this.offset = new Float64Array(this.cap);
      this.length = new Uint32Array(this.cap);
      this.level = new Uint8Array(this.cap);
    }
    this.blockMeta.push([block.firstTs, block.lastTs, n]);
    this.n = 0;
    this.minTs = Infinity;
    this.maxTs = -Infinity;
    this.emit(block);
  }

}
