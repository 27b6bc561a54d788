/**
 * Lines of many sources merged in time order straight from their columnar index blocks. A block is
 * filtered (and sorted, when its file order is not time order) only once the merge reaches its
 * first stamp, so asking for the first N lines of a wide window costs about N lines, not the
 * window's every line.
 */
import { CONTINUATION, LEVEL_MASK } from './line-index';
import type { BlockMeta, LineBlock } from './model';

export interface WindowLine {
  sourceId: string;
  ts: number;
  offset: number;
  length: number;
  level: number;
  continuation: boolean;
}

/** Merged lines as columns (an index, not objects: a wide window can hold 100k lines). */
export interface LineColumns {
  count: number;
  /** Source ids, sorted; `source[i]` indexes them. */
  sourceIds: string[];
  source: Uint32Array;
  /** Stamps on the common axis (the source's shift applied). */
  ts: Float64Array;
  offset: Float64Array;
  length: Uint32Array;
  /** As stored: level, with CONTINUATION set on continuation lines. */
  level: Uint8Array;
}

export function lineAt(c: LineColumns, i: number): WindowLine {
  const raw = c.level[i]!;
  return { sourceId: c.sourceIds[c.source[i]!]!, ts: c.ts[i]!, offset: c.offset[i]!, length: c.length[i]!, level: raw & LEVEL_MASK, continuation: (raw & CONTINUATION) !== 0 };
}

export function linesOf(c: LineColumns): WindowLine[] {
  return Array.from({ length: c.count }, (_, i) => lineAt(c, i));
}

/** A line's place in the merged order: time, then source id, then byte offset. */
export interface LineKey {
  ts: number;
  sourceId: string;
  offset: number;
}

/** One source: its block metadata and the shift that moves its stamps onto the common axis. */
export interface MergeLane {
  sourceId: string;
  shift: number;
  blocks: BlockMeta[];
}

export interface MergeQuery {
  /** Window on the common axis, inclusive; lines without a stamp are never in it. */
  from: number;
  to: number;
  minLevel: number;
  recordsOnly?: boolean;
  /** 1: forward in time order; -1: backward (nearest first). */
  dir: 1 | -1;
  /** Only lines strictly past this key in the direction of travel. */
  past?: LineKey | null;
  limit: number;
}

export type ReadBlocks = (keys: [sourceId: string, block: number][]) => Promise<(LineBlock | undefined)[]>;

/** Blocks read per request: few round trips, bounded memory. */
const READ_AHEAD = 8;

/** A block of one source and, once opened, the position of its current line. */
interface Cursor {
  lane: MergeLane;
  rank: number;
  block: number;
  /** The block's earliest (dir 1) or latest (dir -1) stamp: no line of it comes before this. */
  edge: number;
  data: LineBlock | undefined | null;
  /**
   * The kept lines in travel order when the block's file order is not time order; null when it is:
   * then `pos` walks the block itself, so only the lines reached are looked at.
   */
  order: Uint32Array | null;
  pos: number;
  // The current line: its index in the block and its sort key.
  line: number;
  ts: number;
  offset: number;
}

type PastKey = { ts: number; rank: number; offset: number };

/** Up to `limit` lines of the lanes in merged order (nearest first when dir = -1). */
export async function mergeLines(lanes: MergeLane[], read: ReadBlocks, q: MergeQuery): Promise<LineColumns> {
  const m = new Merge(lanes, q);
  // The merge is synchronous and stops only when the next block to open has not been read yet:
  // blocks already in memory cost no await, and reads are batched.
  for (let need = m.run(); need >= 0; need = m.run()) {
    const batch = m.pending.slice(need, need + READ_AHEAD).filter((c) => c.data === null);
    const blocks = await read(batch.map((c) => [c.lane.sourceId, c.block]));
    batch.forEach((c, i) => { c.data = blocks[i]; });
  }
  return m.result();
}

class Merge {
  private readonly ids: string[];
  private readonly past: PastKey | null;
  /** Blocks not opened yet, in the order the merge reaches them. */
  readonly pending: Cursor[] = [];
  private next = 0;
  private readonly heap: Heap<Cursor>;
  private readonly out: { source: Uint32Array; ts: Float64Array; offset: Float64Array; length: Uint32Array; level: Uint8Array };
  private n = 0;

  constructor(lanes: MergeLane[], private readonly q: MergeQuery) {
    const dir = q.dir;
    // Source ids ranked once, so that ties compare numbers.
    this.ids = lanes.map((l) => l.sourceId).sort();
    const rankOf = new Map(this.ids.map((id, i) => [id, i]));
    const past = q.past ? { ts: q.past.ts, rank: rankAmong(this.ids, q.past.sourceId), offset: q.past.offset } : null;
    this.past = past;
    let candidates = 0;
    for (const lane of lanes) {
      lane.blocks.forEach(([first, last, count], block) => {
        const lo = first + lane.shift;
        const hi = last + lane.shift;
        if (!(lo <= q.to && hi >= q.from)) return;
        if (past && !(dir === 1 ? hi >= past.ts : lo <= past.ts)) return;
        candidates += count;
        this.pending.push({ lane, rank: rankOf.get(lane.sourceId)!, block, edge: dir === 1 ? lo : hi, data: null, order: null, pos: 0, line: 0, ts: 0, offset: 0 });
      });
    }
    this.pending.sort((a, b) => dir * (a.edge - b.edge) || a.rank - b.rank);
    this.heap = new Heap<Cursor>((a, b) => dir * (a.ts - b.ts || a.rank - b.rank || a.offset - b.offset) < 0);
    const cap = Math.min(q.limit, candidates);
    this.out = { source: new Uint32Array(cap), ts: new Float64Array(cap), offset: new Float64Array(cap), length: new Uint32Array(cap), level: new Uint8Array(cap) };
  }

  /** Merges until the limit or the end (-1), or until pending[i] must be read first (i). */
  run(): number {
    const { q, heap, out, pending } = this;
    const cap = out.ts.length;
    let n = this.n;
    while (n < cap) {
      const top = heap.peek();
      const p = pending[this.next];
      // A block's edge sorts before its own lines: open it before the first line at or past its edge.
      if (p && (!top || q.dir * (p.edge - top.ts || p.rank - top.rank) <= 0)) {
        if (p.data === null) {
          this.n = n;
          return this.next;
        }
        this.next++;
        if (open(p, q, this.past)) heap.push(p);
        continue;
      }
      if (!top) break;
      const b = top.data!;
      const i = top.line;
      out.source[n] = top.rank;
      out.ts[n] = top.ts;
      out.offset[n] = top.offset;
      out.length[n] = b.length[i]!;
      out.level[n] = b.level[i]!;
      n++;
      top.pos += top.order ? 1 : q.dir;
      if (advance(top, q)) heap.siftDown();
      else heap.pop();
    }
    this.n = n;
    return -1;
  }

  result(): LineColumns {
    const { out, n } = this;
    return { count: n, sourceIds: this.ids, source: out.source.subarray(0, n), ts: out.ts.subarray(0, n), offset: out.offset.subarray(0, n), length: out.length.subarray(0, n), level: out.level.subarray(0, n) };
  }
}

/** The rank a source id would have among the sorted ids (fractional when it is none of them). */
function rankAmong(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return ids[lo] === id ? lo : lo - 0.5;
}

/** Positions a block's cursor on its first line that passes the query; false if none does. */
function open(c: Cursor, q: MergeQuery, past: PastKey | null): boolean {
  const b = c.data;
  if (!b) return false;
  if (inTimeOrder(b.ts, b.count)) {
    c.order = null;
    c.pos = past ? firstPast(c, b, q.dir, past) : q.dir === 1 ? 0 : b.count - 1;
  } else {
    c.order = sortedLines(c, b, q, past);
    c.pos = 0;
  }
  return advance(c, q);
}

/** Stamps never going back; a missing one (NaN) compares false and counts as out of order too. */
function inTimeOrder(ts: Float64Array, count: number): boolean {
  for (let i = 1; i < count; i++) if (!(ts[i]! >= ts[i - 1]!)) return false;
  return true;
}

/** In a block in time order: where the lines past the key start, in the direction of travel. */
function firstPast(c: Cursor, b: LineBlock, dir: 1 | -1, past: PastKey): number {
  // Lines sort by (time, file order), and file order is offset order: the comparison to the key is monotonic.
  const cmp = (i: number) => b.ts[i]! + c.lane.shift - past.ts || c.rank - past.rank || b.offset[i]! - past.offset;
  let lo = 0;
  let hi = b.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dir === 1 ? cmp(mid) > 0 : cmp(mid) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return dir === 1 ? lo : lo - 1;
}

/** A block out of time order: the lines the query keeps, sorted (file order breaks ties), in travel order. */
function sortedLines(c: Cursor, b: LineBlock, q: MergeQuery, past: PastKey | null): Uint32Array {
  const shift = c.lane.shift;
  const keep = new Uint32Array(b.count);
  let n = 0;
  for (let i = 0; i < b.count; i++) {
    const ts = b.ts[i]! + shift;
    if (!(ts >= q.from && ts <= q.to)) continue;
    const raw = b.level[i]!;
    if ((raw & LEVEL_MASK) < q.minLevel || (q.recordsOnly && raw & CONTINUATION)) continue;
    if (past && q.dir * (ts - past.ts || c.rank - past.rank || b.offset[i]! - past.offset) <= 0) continue;
    keep[n++] = i;
  }
  let order = keep.subarray(0, n);
  if (!insertionSort(order, b.ts, 4 * n)) order = Uint32Array.from(Array.from(order).sort((x, y) => b.ts[x]! - b.ts[y]! || x - y));
  return q.dir === 1 ? order : order.reverse();
}

/**
 * Sorts line indices (ascending) by stamp, keeping file order for equal stamps, in place. Linear
 * for the usual disorder (klog from several goroutines: a stamp a few lines early); false, with
 * the indices in some order, once more than `budget` moves were needed.
 */
function insertionSort(order: Uint32Array, ts: Float64Array, budget: number): boolean {
  for (let i = 1; i < order.length; i++) {
    const x = order[i]!;
    const t = ts[x]!;
    let j = i - 1;
    for (; j >= 0 && ts[order[j]!]! > t; j--) {
      order[j + 1] = order[j]!;
      if (--budget < 0) {
        order[j] = x;
        return false;
      }
    }
    order[j + 1] = x;
  }
  return true;
}

/** Moves the cursor to the first kept line from `pos` on; false when the block has none left. */
function advance(c: Cursor, q: MergeQuery): boolean {
  const b = c.data!;
  const shift = c.lane.shift;
  if (c.order) {
    if (c.pos >= c.order.length) return false;
    c.line = c.order[c.pos]!;
  } else {
    let i = c.pos;
    for (; i >= 0 && i < b.count; i += q.dir) {
      const ts = b.ts[i]! + shift;
      // In time order: past the window's far end no line of the block can follow.
      if (q.dir === 1 ? ts > q.to : ts < q.from) return false;
      if (!(ts >= q.from && ts <= q.to)) continue;
      const raw = b.level[i]!;
      if ((raw & LEVEL_MASK) < q.minLevel || (q.recordsOnly && raw & CONTINUATION)) continue;
      break;
    }
    if (i < 0 || i >= b.count) return false;
    c.pos = i;
    c.line = i;
  }
  c.ts = b.ts[c.line]! + shift;
  c.offset = b.offset[c.line]!;
  return true;
}

/** A binary min-heap under `before`. */
class Heap<T> {
  private items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    let i = a.push(x) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length) {
      this.items[0] = last;
      this.siftDown();
    }
  }

  /** Restores the order after the top's key grew. */
  siftDown(): void {
    const a = this.items;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
      if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}
