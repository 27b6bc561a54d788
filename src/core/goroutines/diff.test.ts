import { describe, expect, it } from 'vitest';
import type { Goroutine } from '../formats/types';
import { diffDumps, diffSummary, functionKey } from './diff';
import { groupGoroutines } from './group';
import { goroutine, incidentDump } from './test-helpers';

describe('diffDumps on hand-made dumps', () => {
  const a = ['example.com/a.Wait'];
  const b = ['example.com/b.Loop'];
  const c = ['example.com/c.Gone'];
  const d = ['example.com/d.New'];

  it('reports grown, shrunk, vanished and appeared groups, changes first', () => {
    const before = [goroutine(1, 'select', 0, a), goroutine(2, 'select', 0, b), goroutine(3, 'select', 0, b), goroutine(4, 'select', 0, c)];
    const after = [goroutine(1, 'select', 1, a), goroutine(5, 'select', 0, a), goroutine(2, 'select', 0, b), goroutine(6, 'running', 0, d)];
    const diff = diffDumps(before, after);
    expect(diff.map((x) => [x.status, x.group.topFunction, x.before, x.after])).toEqual([
      ['appeared', d[0], 0, 1],
      ['grew', a[0], 1, 2],
      ['vanished', c[0], 1, 0],
      ['shrank', b[0], 2, 1],
    ]);
    expect(diffSummary(diff)).toMatchObject({ before: 4, after: 4, appeared: 1, grew: 1, vanished: 1, shrank: 1, same: 0 });
  });
});

/** The same goroutine with every frame line moved (a rebuilt binary), keyed by its new lines. */
function moved(g: Goroutine, by: number): Goroutine {
  const frames = g.frames.map((f) => ({ ...f, line: f.line + by }));
  return { ...g, frames, stackKey: `${g.stackKey}+${by}` };
}

describe('diffDumps on generated incident dumps', () => {
  for (const seed of [8, 31]) {
    const { goroutines, truth } = incidentDump(seed);

    it(`seed ${seed}: a dump against itself is unchanged`, () => {
      const diff = diffDumps(goroutines, goroutines);
      expect(diff.every((x) => x.status === 'same' && x.matchedBy === 'stack')).toBe(true);
      expect(diff).toHaveLength(groupGoroutines(goroutines).length);
    });

    it(`seed ${seed}: a later dump where the waiters piled up, the holder finished and lines moved`, () => {
      const holder = truth.lockHolderGoroutine!;
      const waiterGroupKey = goroutines.find((g) => g.id === truth.lockWaiterGoroutine)!.stackKey;
      const waiters = goroutines.filter((g) => g.stackKey === waiterGroupKey);
      const biggest = groupGoroutines(goroutines).reduce((m, g) => (g.goroutines.length > m.goroutines.length ? g : m));
      const maxId = Math.max(...goroutines.map((g) => g.id));
      const after = goroutines
        .filter((g) => g.id !== holder)
        .map((g) => (g.stackKey === biggest.key && biggest.key !== waiterGroupKey ? moved(g, 3) : g))
        .concat(waiters.map((g, i) => ({ ...g, id: maxId + 1 + i })));
      const diff = diffDumps(goroutines, after);
      const find = (key: string) => diff.find((x) => x.group.key === key || x.group.key === `${key}+3`)!;
      const holderKey = goroutines.find((g) => g.id === holder)!.stackKey;
      const holderAlone = goroutines.filter((g) => g.stackKey === holderKey).length === 1;
      if (holderAlone) expect(find(holderKey)).toMatchObject({ status: 'vanished', before: 1, after: 0 });
      expect(find(waiterGroupKey)).toMatchObject({ status: 'grew', before: waiters.length, after: 2 * waiters.length, matchedBy: 'stack' });
      if (biggest.key !== waiterGroupKey && biggest.key !== holderKey) {
        expect(find(biggest.key)).toMatchObject({ status: 'same', matchedBy: 'functions', before: biggest.goroutines.length });
      }
      expect(diff.some((x) => x.status === 'appeared')).toBe(false);
      expect(diffSummary(diff)).toMatchObject({ before: goroutines.length, after: after.length });
      expect(functionKey(moved(goroutines[0]!, 3))).toBe(functionKey(goroutines[0]!));
    });
  }
});
