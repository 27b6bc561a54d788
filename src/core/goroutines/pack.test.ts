import { describe, expect, it } from 'vitest';
import type { Goroutine } from '../formats/types';
import { packGoroutines, unpackGoroutines } from './pack';
import { incidentDump } from './test-helpers';

const goroutine = (over: Partial<Goroutine>): Goroutine => ({
  id: 1, state: 'running', waitMinutes: 0, lockedToThread: false, frames: [], createdBy: null, createdByGoroutine: null, stackKey: 'k', line: 0, ...over,
});

describe('packGoroutines', () => {
  it.each([3, 17, 2024])('round-trips the containerd dump of generated incident %i exactly', (seed) => {
    const { goroutines } = incidentDump(seed);
    expect(goroutines.length).toBeGreaterThan(50);
    expect(unpackGoroutines(packGoroutines(goroutines))).toEqual(goroutines);
  });

  it('keeps what a hand-written dump can hold: no frames, no args, an empty arg, nulls, orphans, any text', () => {
    const goroutines = [
      goroutine({}),
      goroutine({ id: -1, state: 'unknown', line: 9, frames: [{ fn: '', args: [], file: '', line: 0 }] }),
      goroutine({
        id: 2, state: 'semacquire', waitMinutes: 42, lockedToThread: true, createdBy: 'main.main', createdByGoroutine: 0, stackKey: 'ab',
        frames: [
          { fn: 'pkg.(*T).m', args: ['0xc000010000', '{0x1, 0x2}', '...'], file: '/src/a.go', line: 10 },
          { fn: 'pkg.f', args: [''], file: '/src/a.go', line: 11 },
          { fn: 'pkg.g', args: ['', ''], file: 'ünïcödé/路径.go', line: 12 },
        ],
      }),
    ];
    expect(unpackGoroutines(packGoroutines(goroutines))).toEqual(goroutines);
    expect(unpackGoroutines(packGoroutines([]))).toEqual([]);
  });

  it('stores each repeated text once', () => {
    const frame = { fn: 'sync.(*Mutex).Lock', args: ['0x1'], file: '/go/src/sync/mutex.go', line: 81 };
    const many = Array.from({ length: 1000 }, (_, i) => goroutine({ id: i, state: 'semacquire', frames: [frame, frame], stackKey: 'same' }));
    const packed = packGoroutines(many);
    expect(packed.strings).toEqual(['semacquire', 'same', 'sync.(*Mutex).Lock', '/go/src/sync/mutex.go']);
    expect(packed.fn).toHaveLength(2000);
  });
});
