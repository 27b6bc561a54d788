import { describe, expect, it } from 'vitest';
import type { Goroutine } from '../core/formats/types';
import type { StoredDump } from './db';
import { dumpHead } from './stored-dumps';

const g = (id: number, state: string, waitMinutes: number): Goroutine => ({
  id, state, waitMinutes, lockedToThread: false, frames: [], createdBy: null, createdByGoroutine: null, stackKey: '', line: id,
});

describe('dumpHead', () => {
  it('keeps every field but the goroutines, counts them and groups the waiting ones by state, most first', () => {
    const dump: StoredDump = {
      id: 'f1:d0', bundleId: 'b', fileId: 'f1', sourceId: 'f1:goroutines', process: 'containerd', pid: 1862,
      takenAt: 5, takenAtSource: 'log-line', basis: 'utc', truncated: false, line: 3,
      goroutines: [g(1, 'running', 0), g(2, 'semacquire', 12), g(3, 'semacquire', 3), g(4, 'IO wait', 7), g(5, 'semacquire', 40)],
    };
    const head = dumpHead(dump);
    expect(head).toEqual({
      id: 'f1:d0', bundleId: 'b', fileId: 'f1', sourceId: 'f1:goroutines', process: 'containerd', pid: 1862,
      takenAt: 5, takenAtSource: 'log-line', basis: 'utc', truncated: false, line: 3, goroutines: 5,
      waits: [
        { state: 'semacquire', count: 3, minMinutes: 3, maxMinutes: 40 },
        { state: 'IO wait', count: 1, minMinutes: 7, maxMinutes: 7 },
      ],
    });
    // The dump itself is left whole.
    expect(dump.goroutines).toHaveLength(5);
  });
});
