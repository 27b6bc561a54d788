import { describe, expect, it } from 'vitest';
import { generateScenario } from './index';
import { goroutineBlocks, materialize } from './test-helpers';

const HEADER = /^goroutine (\d+) \[([^\]]+)\]:$/;
const STATE = /^[a-zA-Z][a-zA-Z. ()]*(, [1-9]\d* minutes)?(, locked to thread)?$/;
const FUNC = /^[\w./\-*()]+\((.*)\)$/;
const FILE = /^\t\/\S+\.(go|s):\d+( \+0x[0-9a-f]+)?$/;
const CREATED = /^created by [\w./\-*()]+$/;

function checkDump(dump: string): number[] {
  expect(dump.endsWith('\n')).toBe(true);
  expect(dump).not.toContain('\n\n\n');
  const ids: number[] = [];
  for (const block of goroutineBlocks(dump)) {
    const lines = block.split('\n');
    const head = HEADER.exec(lines[0] ?? '');
    expect(head, lines[0]).not.toBeNull();
    expect(head?.[2]).toMatch(STATE);
    ids.push(Number(head?.[1]));
    expect(lines.length % 2, block).toBe(1);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < lines.length; i += 2) {
      const fn = lines[i] ?? '';
      const file = lines[i + 1] ?? '';
      if (fn.startsWith('created by ')) {
        expect(fn).toMatch(CREATED);
        expect(i).toBe(lines.length - 2);
        expect(file).toMatch(/ \+0x[0-9a-f]+$/);
      } else {
        expect(fn, fn).toMatch(FUNC);
        const inlined = FUNC.exec(fn)?.[1] === '...';
        // Inlined frames print `(...)` and no PC offset.
        if (inlined) expect(file, `${fn}\n${file}`).not.toContain('+0x');
      }
      expect(file, `${fn}\n${file}`).toMatch(FILE);
    }
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

describe('goroutine dumps', () => {
  for (const scenario of ['io-storm-umount-bbolt', 'healthy'] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${scenario} seed ${seed}: containerd and shim dumps follow the runtime format`, () => {
        const g = generateScenario({ scenario, seed, targetBytes: 1_048_576 });
        const files = materialize(g);
        const cd = files.get(g.truth.paths.containerdStacks) ?? '';
        const ids = checkDump(cd);
        expect(ids.length).toBe(g.truth.containerdDump.goroutines);
        expect(ids.length).toBeGreaterThan(100);
        expect(cd.startsWith('goroutine ')).toBe(true);
        expect(cd.split('\n')[1]).toBe('github.com/containerd/containerd/cmd/containerd/command.dumpStacks(0x1)');
        const shim = files.get(g.truth.paths.shimStacks) ?? '';
        expect(checkDump(shim).length).toBe(g.truth.shimDump.goroutines);
        expect(shim).toContain('main.main()');
      });
    }
  }

  it('goroutine ids and pointers vary with the seed', () => {
    const a = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 21, targetBytes: 1_048_576 }).truth;
    const b = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 22, targetBytes: 1_048_576 }).truth;
    expect([a.lockHolderGoroutine, a.lockWaiterGoroutine, a.dbPointer]).not.toEqual([b.lockHolderGoroutine, b.lockWaiterGoroutine, b.dbPointer]);
    expect(a.dbPointer).toMatch(/^0xc0[0-9a-f]{8}$/);
  });
});
