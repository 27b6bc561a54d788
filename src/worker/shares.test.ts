import { describe, expect, it } from 'vitest';
import { ByteShares, sharesFor } from './shares';
import type { JobInput } from './protocol';

const MB = 1 << 20;

describe('ByteShares', () => {
  it('deals every member to exactly one share, the same way in every worker, balancing bytes', () => {
    const sizes = [55 * MB, 40 * MB, 1.5 * MB, null, 600_000, 380_000, 9_000, 0, 3 * MB];
    for (const of of [2, 3, 4]) {
      const shares = Array.from({ length: of }, (_, index) => new ByteShares({ index, of }));
      const owners = sizes.map((s) => shares.map((sh) => sh.takes(s)).flatMap((took, i) => (took ? [i] : [])));
      for (const o of owners) expect(o).toHaveLength(1);
      if (of === 2) expect(owners.map((o) => o[0])).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    }
  });
});

describe('sharesFor', () => {
  const file = (path: string, bytes: number): JobInput => ({ kind: 'file', path, file: { size: bytes } as File });
  it('shares one big multi-member archive with every worker, nothing else', () => {
    expect(sharesFor([file('bundle.tar.gz', 12 * MB)], 2)).toBe(2);
    expect(sharesFor([file('logs.zip', 9 * MB)], 4)).toBe(4);
    expect(sharesFor([file('bundle.tar.gz', 2 * MB)], 2)).toBe(1);
    expect(sharesFor([file('kubelet.log.gz', 30 * MB)], 2)).toBe(1);
    expect(sharesFor([file('kubelet.log', 30 * MB)], 2)).toBe(1);
    expect(sharesFor([file('a.tar', 9 * MB), file('b.tar', 9 * MB)], 2)).toBe(1);
    expect(sharesFor([file('bundle.tar.gz', 12 * MB)], 1)).toBe(1);
  });
});
