import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RELAY_MIN_BYTES, RelaySender } from './relay';

const ports = (n: number) => Array.from({ length: n }, () => new MessageChannel().port1);

describe('RelaySender.takerOf', () => {
  it('keeps small and unknown-size members with share 0, which expands the archive', () => {
    const relay = new RelaySender(ports(1));
    expect(relay.takerOf(RELAY_MIN_BYTES - 1)).toBe(0);
    expect(relay.takerOf(null)).toBe(0);
    expect(relay.takerOf(0)).toBe(0);
  });

  it('gives the first big member to another share: share 0 inflates it either way', () => {
    const relay = new RelaySender(ports(1));
    expect(relay.takerOf(575 << 20)).toBe(1);
    expect(relay.takerOf(416 << 20)).toBe(0);
  });

  it('balances the work of big members: no share ends with far more than its part', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: RELAY_MIN_BYTES, max: 600 << 20 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3 }), (sizes, others) => {
      const relay = new RelaySender(ports(others));
      const parsed = new Array<number>(others + 1).fill(0);
      for (const size of sizes) parsed[relay.takerOf(size)]! += size;
      const total = sizes.reduce((a, b) => a + b, 0);
      // Work: share 0 inflates everything (0.3 per byte) and parses its own; the others parse theirs.
      const work = parsed.map((p, i) => (i === 0 ? p + 0.3 * total : p));
      const fair = (1.3 * total) / (others + 1);
      // Greedy on the least load: none exceeds a fair share by more than the biggest member's work.
      expect(Math.max(...work)).toBeLessThanOrEqual(fair + 1.3 * Math.max(...sizes) + 1);
    }));
  });
});
