import { describe, expect, it } from 'vitest';
import { batchInputs } from './pool';
import type { JobInput } from './protocol';

const MB = 1 << 20;
const input = (path: string, bytes: number): JobInput => ({ kind: 'stored', path, fileId: path, rawKey: 'k', rawOffset: 0, rawBytes: bytes, formatId: 'plain' });
const sizes = (batches: JobInput[][]) => batches.map((b) => b.map((i) => (i.kind === 'stored' ? i.rawBytes : 0)));

describe('batchInputs', () => {
  it('gives big files a job each and packs small files together, largest first', () => {
    const batches = batchInputs([input('a', 40 * MB), input('b', 55 * MB), input('c', 300_000), input('d', 600_000), input('e', 9_000)], 2);
    expect(sizes(batches)).toEqual([[55 * MB], [40 * MB], [600_000, 300_000, 9_000]]);
  });

  it('splits a small bundle so that every worker gets work', () => {
    // 10 MB: one 16 MB job would leave the second worker idle.
    const batches = batchInputs([input('kubelet', 5 * MB), input('containerd', 3.5 * MB), ...Array.from({ length: 8 }, (_, i) => input(`m${i}`, 200_000))], 2);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(sizes(batches)[0]).toEqual([5 * MB]);
    expect(sizes(batches)[1]).toEqual([3.5 * MB]);
    expect(batches.flat()).toHaveLength(10);
  });

  it('deals the small files of a bundle over the workers (they cost more per byte than logs)', () => {
    const small = [1.47, 0.67, 0.58, 0.38, 0.37, 0.36, 0.009, 0.009].map((mb, k) => input(`m${k}`, Math.round(mb * MB)));
    const batches = batchInputs([input('kubelet', 55 * MB), input('containerd', 40 * MB), ...small], 2);
    expect(sizes(batches).slice(0, 2)).toEqual([[55 * MB], [40 * MB]]);
    expect(batches.length).toBe(4);
    const bytes = batches.slice(2).map((b) => sizes([b])[0]!.reduce((n, x) => n + x, 0));
    expect(Math.max(...bytes) / Math.min(...bytes)).toBeLessThan(1.5);
    expect(batches.flat()).toHaveLength(10);
  });

  it('keeps thousands of tiny files in few jobs', () => {
    const tiny = Array.from({ length: 10_000 }, (_, i) => input(`f${i}`, 100));
    const batches = batchInputs(tiny, 2);
    expect(batches).toHaveLength(20); // 500 files per job
    expect(batches.flat()).toHaveLength(10_000);
  });
});
