import { describe, expect, it } from 'vitest';
import { LineIndexBuilder } from './line-index';
import { linesOf, mergeLines, type LineKey, type MergeLane, type MergeQuery, type WindowLine } from './line-merge';
import type { LineBlock } from './model';
import { compareLines } from './search';
import { rng as mulberry32 } from './formats/test-helpers';

interface Fixture {
  lanes: MergeLane[];
  blocks: Map<string, LineBlock>;
  all: WindowLine[];
}

/**
 * Sources written through the real index builder: in time order (one with runs of equal stamps, one
 * starting with unstamped lines), one with stamps out of place, one in no order; equal stamps across
 * sources, continuations, levels.
 */
function fixture(seed: number): Fixture {
  const rnd = mulberry32(seed);
  const lanes: MergeLane[] = [];
  const blocks = new Map<string, LineBlock>();
  const all: WindowLine[] = [];
  for (let s = 0; s < 5; s++) {
    const sourceId = `src-${(s * 7) % 5}`;
    const shift = s === 2 ? 3_000 : 0;
    const b = new LineIndexBuilder(sourceId, (blk) => blocks.set(`${sourceId}#${blk.block}`, blk), 64);
    const shuffled = s === 4;
    let t = 1_000;
    for (let i = 0; i < 400; i++) {
      t += Math.floor(rnd() * 3);
      const jitter = s === 2 && rnd() < 0.1 ? Math.floor(rnd() * 5) : 0;
      let ts = i < 3 && s === 1 ? NaN : shuffled ? Math.floor(rnd() * 1200) + 1_000 : t - jitter;
      if (s === 3) ts = Math.round(ts / 10) * 10;
      const level = Math.floor(rnd() * 6);
      const continuation = rnd() < 0.15;
      b.add(ts, i * 100, 50 + i, level, continuation);
      if (ts === ts) all.push({ sourceId, ts: ts + shift, offset: i * 100, length: 50 + i, level, continuation });
    }
    b.flush();
    lanes.push({ sourceId, shift, blocks: b.blockMeta });
  }
  all.sort(compareLines);
  return { lanes, blocks, all };
}

function reader(f: Fixture, log: string[] = []) {
  return async (keys: [string, number][]) => keys.map(([s, i]) => {
    log.push(`${s}#${i}`);
    return f.blocks.get(`${s}#${i}`);
  });
}

function naive(f: Fixture, q: MergeQuery): WindowLine[] {
  const past = q.past;
  const kept = f.all.filter((l) => l.ts >= q.from && l.ts <= q.to && l.level >= q.minLevel && !(q.recordsOnly && l.continuation)
    && (!past || q.dir * compareLines(l, past) > 0));
  if (q.dir === -1) kept.reverse();
  return kept.slice(0, q.limit);
}

describe('mergeLines', () => {
  it('gives the lines of a window in merged order (time, source, offset), forward and backward, from any key', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const f = fixture(seed);
      const rnd = mulberry32(seed * 99);
      for (let k = 0; k < 20; k++) {
        const from = k % 4 === 0 ? -Infinity : 900 + Math.floor(rnd() * 600);
        const to = k % 5 === 0 ? Infinity : from + Math.floor(rnd() * 900);
        const pick = f.all[Math.floor(rnd() * f.all.length)]!;
        const past: LineKey | null = k % 3 === 0 ? null : k % 3 === 1 ? pick : { ts: pick.ts, sourceId: 'src-2x', offset: -1 };
        const q: MergeQuery = { from, to, minLevel: k % 2 ? 0 : 2, recordsOnly: k % 7 === 0, dir: k % 2 ? 1 : -1, past, limit: k % 4 === 1 ? 1e9 : 1 + Math.floor(rnd() * 300) };
        expect(linesOf(await mergeLines(f.lanes, reader(f), q)), `seed ${seed} query ${k}`).toEqual(naive(f, q));
      }
    }
  });

  it('reads only the blocks the limit reaches, in batches', async () => {
    const f = fixture(7);
    const log: string[] = [];
    const lines = await mergeLines(f.lanes, reader(f, log), { from: -Infinity, to: Infinity, minLevel: 0, dir: 1, limit: 10 });
    expect(linesOf(lines)).toEqual(f.all.slice(0, 10));
    // 5 sources of 7 blocks: the first block of each source (and the shuffled source's others) suffice.
    expect(log.length).toBeLessThan(16);
    expect(log.length).toBeGreaterThan(0);
  });
});
