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

  it('keeps thousands of tiny files in few jobs', () => {
    const tiny = Array.from({ length: 10_000 }, (_, i) => input(`f${i}`, 100));
    const batches = batchInputs(tiny, 2);
    expect(batches).toHaveLength(20); // 500 files per job
    expect(batches.flat()).toHaveLength(10_000);
  });
});
