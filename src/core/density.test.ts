import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASS_COUNT, addBlock, bucketRange, decimate, densityClass, densityGrid, emptyCounts, histogram, levelBucketUs, pickLevel, pyramidOf, recordsIn, timeClusters,
} from './density';
import { CONTINUATION } from './line-index';
import { Level } from './model';

const line = fc.record({
  ts: fc.oneof(fc.integer({ min: 0, max: 3_600_000_000 }), fc.constant(NaN)),
  level: fc.integer({ min: 0, max: 6 }),
  continuation: fc.boolean(),
});

function columns(lines: { ts: number; level: number; continuation: boolean }[]) {
  return {
    ts: Float64Array.from(lines, (l) => l.ts),
    level: Uint8Array.from(lines, (l) => l.level | (l.continuation ? CONTINUATION : 0)),
  };
}

describe('density pyramid', () => {
  it('counts by level class at every resolution equal the raw record counts', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 400 }), fc.integer({ min: -5_000_000, max: 5_000_000 }), (lines, shift) => {
      const grid = densityGrid(shift, 3_600_000_000 + shift, 1 << 8);
      const counts = emptyCounts(grid);
      const { ts, level } = columns(lines);
      const added = addBlock(counts, grid, ts, level, lines.length, shift);
      const records = lines.filter((l) => !l.continuation && l.ts === l.ts);
      expect(added).toBe(records.length);
      const want = [0, 0, 0, 0];
      for (const r of records) want[densityClass(r.level)]!++;
      const p = pyramidOf(counts, grid);
      expect(p.total).toBe(records.length);
      expect(p.levels.length).toBe(3); // 256, 128, 64 buckets
      p.levels.forEach((lv, k) => {
        expect(lv.length).toBe((grid.buckets >> k) * CLASS_COUNT);
        const got = [0, 0, 0, 0];
        lv.forEach((v, i) => { got[i % CLASS_COUNT]! += v; });
        expect(got).toEqual(want);
      });
    }));
  });

  it('puts each record in the bucket holding its shifted stamp, at every level', () => {
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 50 }), (lines) => {
      const grid = densityGrid(0, 3_600_000_000, 1 << 7);
      const counts = emptyCounts(grid);
      const { ts, level } = columns(lines);
      addBlock(counts, grid, ts, level, lines.length, 0);
      const p = pyramidOf(counts, grid);
      p.levels.forEach((lv, k) => {
        const width = levelBucketUs(grid, k);
        const want = new Uint32Array(lv.length);
        for (const l of lines) {
          if (l.continuation || l.ts !== l.ts) continue;
          const b = Math.min((grid.buckets >> k) - 1, Math.floor(l.ts / width));
          want[b * CLASS_COUNT + densityClass(l.level)]!++;
        }
        expect(Array.from(lv)).toEqual(Array.from(want));
      });
    }));
  });

  it('maps levels to error, warn, info and other', () => {
    expect([Level.fatal, Level.error, Level.warn, Level.info, Level.debug, Level.trace, Level.unknown].map(densityClass)).toEqual([0, 0, 1, 2, 3, 3, 3]);
  });

  it('picks the finest level that fits the window, and finds the buckets in view', () => {
    const grid = densityGrid(0, 16_384e6);
    const levels = pyramidOf(emptyCounts(grid), grid).levels.length;
    expect(grid.bucketUs).toBe(1e6);
    expect(pickLevel(grid, levels, 0, 300e6, 400)).toBe(0);
    expect(pickLevel(grid, levels, 0, 16_384e6, 400)).toBe(6); // 256 buckets of 64 s
    expect(pickLevel(grid, levels, 0, 1e12, 400)).toBe(levels - 1);
    expect(bucketRange(grid, 0, 10.5e6, 12.5e6)).toEqual([10, 13]);
    expect(bucketRange(grid, 1, -5e6, 3e6)).toEqual([0, 2]);
  });

  it('bounds the records in view from the finest level', () => {
    const grid = densityGrid(0, 100e6, 1 << 7);
    const counts = emptyCounts(grid);
    const ts = Float64Array.from({ length: 1000 }, (_, i) => i * 1e5);
    addBlock(counts, grid, ts, new Uint8Array(1000).fill(Level.info), 1000, 0);
    const p = pyramidOf(counts, grid);
    const inView = recordsIn(p, 20e6, 30e6);
    expect(inView).toBeGreaterThanOrEqual(101);
    expect(inView).toBeLessThan(120);
    expect(recordsIn(p, 0, 100e6)).toBe(1000);
  });

  it('makes a histogram of stamps', () => {
    expect(Array.from(histogram([0, 1, 5, 9.9, 10, -1], 0, 5, 2))).toEqual([2, 2]);
  });
});

describe('decimate', () => {
  const sorted = fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.float({ noNaN: true, min: -1e6, max: 1e6 })), { maxLength: 500 })
    .map((pts) => pts.sort((a, b) => a[0] - b[0]));

  it('keeps every column\'s lowest and highest sample in the window, in time order, and nothing else', () => {
    fc.assert(fc.property(sorted, fc.integer({ min: 1, max: 40 }), (pts, buckets) => {
      const ts = Float64Array.from(pts, (p) => p[0]);
      const value = Float64Array.from(pts, (p) => p[1]);
      const from = 200_000;
      const to = 800_000;
      const got = decimate(ts, value, from, to, buckets);
      const inside = pts.filter(([t]) => t >= from && t < to);
      expect(got.length).toBeLessThanOrEqual(2 * buckets + 2);
      for (let i = 1; i < got.length; i++) expect(got[i]![0]).toBeGreaterThanOrEqual(got[i - 1]![0]);
      const width = (to - from) / buckets;
      for (let c = 0; c < buckets; c++) {
        const col = inside.filter(([t]) => Math.floor((t - from) / width) === c).map((p) => p[1]);
        if (!col.length) continue;
        const kept = got.filter(([t]) => t >= from && t < to && Math.floor((t - from) / width) === c).map((p) => p[1]);
        expect(kept).toContain(Math.max(...col));
        expect(kept).toContain(Math.min(...col));
      }
    }));
  });

  it('returns the raw samples (plus one beyond each edge) when few are in the window', () => {
    const ts = [0, 10, 20, 30, 40];
    const value = [5, 6, 7, 8, 9];
    expect(decimate(ts, value, 15, 25, 10)).toEqual([[10, 6], [20, 7], [30, 8]]);
    expect(decimate(ts, value, 100, 200, 10)).toEqual([[40, 9]]);
  });
});

describe('timeClusters', () => {
  const HOUR = 3_600_000_000;
  const pyramid = (from: number, to: number, stamps: number[]) => {
    const grid = densityGrid(from, to);
    const counts = emptyCounts(grid);
    addBlock(counts, grid, Float64Array.from(stamps), new Uint8Array(stamps.length).fill(Level.info), stamps.length, 0);
    return pyramidOf(counts, grid);
  };

  it('splits at long empty stretches and counts each period, over every lane', () => {
    const from = 0;
    const to = 1000 * HOUR;
    // An old rotated log at the start, the incident hour at the end (in two lanes).
    const old = pyramid(from, to, [0, HOUR, 2 * HOUR]);
    const kubelet = pyramid(from, to, Array.from({ length: 500 }, (_, i) => 999 * HOUR + i * 7_000_000));
    const containerd = pyramid(from, to, [999.5 * HOUR, to]);
    const got = timeClusters([old, kubelet, containerd]);
    expect(got.map((c) => c.records)).toEqual([3, 502]);
    expect(got[0]!.from).toBe(0);
    expect(got[0]!.to).toBeGreaterThan(2 * HOUR);
    expect(got[0]!.to).toBeLessThan(2.2 * HOUR);
    expect(got[1]!.from).toBeLessThanOrEqual(999 * HOUR);
    expect(got[1]!.to).toBeGreaterThanOrEqual(to);
  });

  it('counts metric samples too (charts, not lanes)', () => {
    const got = timeClusters([pyramid(0, 100 * HOUR, [0, HOUR])], [Float64Array.from([98 * HOUR, 99 * HOUR, 100 * HOUR])]);
    expect(got.map((c) => c.records)).toEqual([2, 3]);
  });

  it('keeps one period when the gaps are short, and none without lines', () => {
    const stamps = Array.from({ length: 50 }, (_, i) => i * 0.09 * 100 * HOUR); // gaps of 9% of the range
    expect(timeClusters([pyramid(0, 441 * HOUR, stamps)])).toHaveLength(1);
    expect(timeClusters([pyramid(0, HOUR, [])])).toEqual([]);
    expect(timeClusters([])).toEqual([]);
  });
});
