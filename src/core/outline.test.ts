import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBlock, CLASS_COUNT, densityGrid, emptyCounts, type DensityGrid } from './density';
import { CONTINUATION } from './line-index';
import { Level } from './model';
import { addOutline, OUTLINE_BUCKETS, OutlineBuilder, type OutlineBlock } from './outline';

interface Line { ts: number; level: number; continuation: boolean }

const BASE = Date.UTC(2024, 7, 23) * 1000;

function blocksOf(lines: Line[], size: number): OutlineBlock[] {
  const out: OutlineBlock[] = [];
  for (let at = 0; at < lines.length; at += size) {
    const part = lines.slice(at, at + size);
    out.push({
      count: part.length,
      ts: Float64Array.from(part, (l) => l.ts),
      level: Uint8Array.from(part, (l) => (l.continuation ? l.level | CONTINUATION : l.level)),
      offset: Float64Array.from(part, (_, i) => (at + i) * 100),
    });
  }
  return out;
}

function outlineOf(lines: Line[], blockSize = 50) {
  const b = new OutlineBuilder('s');
  for (const block of blocksOf(lines, blockSize)) b.add(block);
  return b.finish();
}

/**
 * Each class's running totals: every record moved by at most one bucket keeps them interleaved.
 * Returns the first bucket where they are not (-1 when they all are), and checks the totals.
 */
function firstMisplaced(got: Uint32Array, exact: Uint32Array, grid: DensityGrid): number {
  for (let c = 0; c < CLASS_COUNT; c++) {
    let sumGot = 0;
    let sumExact = 0;
    let prevGot = 0;
    let prevExact = 0;
    for (let b = 0; b < grid.buckets; b++) {
      sumGot += got[b * CLASS_COUNT + c]!;
      sumExact += exact[b * CLASS_COUNT + c]!;
      if (prevGot > sumExact || prevExact > sumGot) return b;
      prevGot = sumGot;
      prevExact = sumExact;
    }
    if (sumGot !== sumExact) return grid.buckets;
  }
  return -1;
}

const line = (spanUs: number) => fc.record({
  ts: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: spanUs }).map((t) => BASE + t) }, { weight: 1, arbitrary: fc.constant(NaN) }),
  level: fc.integer({ min: 0, max: 6 }),
  continuation: fc.boolean(),
});

describe('source outline', () => {
  it('draws every record within one bucket of where its stamp falls, at any span, order and shift', () => {
    const span = fc.constantFrom(1_000, 60e6, 3600e6, 86_400e6 * 40, 86_400e6 * 365 * 30);
    fc.assert(fc.property(span.chain((s) => fc.tuple(fc.array(line(s), { minLength: 1, maxLength: 600 }), fc.integer({ min: -7200e6, max: 7200e6 }))), ([lines, shift]) => {
      const outline = outlineOf(lines);
      const timed = lines.filter((l) => l.ts === l.ts).map((l) => l.ts + shift);
      // The bundle's grid covers at least the source's own range, often more (other files).
      const from = timed.length ? Math.min(...timed) : BASE;
      const to = timed.length ? Math.max(...timed) : BASE;
      for (const grid of [densityGrid(from, to), densityGrid(from - (to - from), to + 3 * (to - from) + 5e6)]) {
        const exact = emptyCounts(grid);
        let exactRecords = 0;
        for (const b of blocksOf(lines, 50)) exactRecords += addBlock(exact, grid, b.ts, b.level, b.count, shift);
        const got = emptyCounts(grid);
        expect(addOutline(got, grid, outline, shift)).toBe(exactRecords);
        expect(firstMisplaced(got, exact, grid)).toBe(-1);
      }
    }), { numRuns: 60 });
  });

  it('keeps its buckets finer than the bundle grid needs however far the stamps spread, either way', () => {
    const b = new OutlineBuilder('s');
    // Starts mid-range, then goes back years and forward days: the width doubles both ways.
    const stamps = [BASE, BASE + 5e6, BASE - 2 * 365 * 86_400e6, BASE + 3 * 86_400e6, BASE + 1];
    b.add({ count: stamps.length, ts: stamps, level: stamps.map(() => Level.info), offset: stamps.map((_, i) => i) });
    const o = b.finish();
    const span = Math.max(...stamps) - Math.min(...stamps);
    expect(o.bucketUs).toBeLessThan((2 * span) / OUTLINE_BUCKETS);
    expect(o.counts.length / CLASS_COUNT).toBeLessThanOrEqual(OUTLINE_BUCKETS);
    expect(o.records).toBe(5);
  });

  it('lists the error records with their offsets and skips continuations, untimed and infinite stamps', () => {
    const lines: Line[] = [
      { ts: BASE, level: Level.info, continuation: false },
      { ts: BASE + 10, level: Level.error, continuation: false },
      { ts: BASE + 11, level: Level.error, continuation: true },
      { ts: NaN, level: Level.error, continuation: false },
      { ts: Infinity, level: Level.error, continuation: false },
      { ts: BASE + 20, level: Level.fatal, continuation: false },
      { ts: BASE + 30, level: Level.warn, continuation: false },
    ];
    const o = outlineOf(lines, 3);
    expect(Array.from(o.errorTs)).toEqual([BASE + 10, BASE + 20]);
    expect(Array.from(o.errorOffset)).toEqual([100, 500]);
    expect(o.records).toBe(4);
    const sums = [0, 0, 0, 0];
    o.counts.forEach((n, i) => (sums[i % CLASS_COUNT]! += n));
    expect(sums).toEqual([2, 1, 1, 0]);
  });

  it('is empty for a source without a timed record', () => {
    const o = outlineOf([{ ts: NaN, level: Level.info, continuation: false }]);
    expect(o.records).toBe(0);
    expect(o.counts.length).toBe(0);
    const grid = densityGrid(BASE, BASE + 1e6);
    const counts = emptyCounts(grid);
    expect(addOutline(counts, grid, o, 0)).toBe(0);
    expect(counts.every((n) => n === 0)).toBe(true);
  });
});
