import { describe, expect, it } from 'vitest';
import { goroutineBlocks } from '../scenarios/test-helpers';
import { groupGoroutines } from './group';
import { argParts, indexPointers, normalizePointer, pointersIn } from './pointers';
import { goroutine, incidentDump } from './test-helpers';

describe('pointer words', () => {
  it('keeps addresses, drops small integers and normalises case and zeros', () => {
    expect(normalizePointer('0xC0001E92D0')).toBe('0xc0001e92d0');
    expect(normalizePointer('0x0000c0001e92d0')).toBe('0xc0001e92d0');
    expect(normalizePointer('0x10000')).toBe('0x10000');
    expect(normalizePointer('0xffff')).toBeNull();
    expect(normalizePointer('0x47')).toBeNull();
    expect(normalizePointer('0x0')).toBeNull();
    expect(pointersIn('{0x56190174ac08, 0xc000ae0180}')).toEqual(['0x56190174ac08', '0xc000ae0180']);
    expect(pointersIn('{0xc001476780, 0x47}')).toEqual(['0xc001476780']);
    expect(pointersIn('...')).toEqual([]);
  });

  it('splits an argument into text and pointers that join back to it', () => {
    const arg = '{{{0xc0013aaa40, 0x40}, {0xc000dfd7a0, 0x52}, 0x1, ...}, ...}';
    const parts = argParts(arg);
    expect(parts.filter((p) => 'pointer' in p)).toEqual([{ pointer: '0xc0013aaa40' }, { pointer: '0xc000dfd7a0' }]);
    expect(parts.map((p) => ('pointer' in p ? p.pointer : p.text)).join('')).toBe(arg);
  });
});

describe('indexPointers', () => {
  it('names pointers in order of first appearance in the sorted groups', () => {
    const groups = groupGoroutines([
      goroutine(1, 'running', 0, ['example.com/a.Idle'], [['0xc000100000']]),
      goroutine(2, 'semacquire', 9, ['example.com/a.Lock', 'example.com/a.Caller'], [['0xc000200000', '0x8'], ['0xc000100000', '0xc000200000']]),
    ]);
    const idx = indexPointers(groups);
    // Goroutine 2 waits longest, so its pointers are named first.
    expect([...idx.names]).toEqual([['0xc000200000', 1], ['0xc000100000', 2]]);
    expect(idx.uses.get('0xc000100000')!.map((u) => [u.goroutine.id, u.frame])).toEqual([[2, 1], [1, 0]]);
    expect(idx.passing.get('0xc000200000')).toBe(1);
    expect(idx.passing.get('0xc000100000')).toBe(2);
    expect(idx.uses.get('0xc000200000')).toHaveLength(2);
    // Twice in one frame is one use of that frame.
    const twice = indexPointers(groupGoroutines([goroutine(3, 'select', 0, ['example.com/a.B'], [['0xc000300000', '{0xC000300000, 0x1}']])]));
    expect(twice.uses.get('0xc000300000')).toHaveLength(1);
  });

  for (const seed of [5, 23, 4242]) {
    const { text, goroutines, truth } = incidentDump(seed);
    const groups = groupGoroutines(goroutines);
    const idx = indexPointers(groups);

    it(`seed ${seed}: the metadata.(*DB) pointer links the fsync holder and every bbolt waiter, as the dump text says`, () => {
      const db = truth.dbPointer!;
      expect(idx.names.has(db)).toBe(true);
      const passing = new Set(idx.uses.get(db)!.map((u) => u.goroutine.id));
      // Independently: every goroutine block of the text that mentions the pointer.
      const fromText = new Set(goroutineBlocks(text).filter((b) => b.includes(db)).map((b) => Number(/^goroutine (\d+)/.exec(b)![1])));
      expect(passing).toEqual(fromText);
      expect(idx.passing.get(db)).toBe(fromText.size);
      for (const id of [truth.lockHolderGoroutine!, truth.lockWaiterGoroutine!, ...truth.bboltWaiterGoroutines]) expect(passing.has(id), `goroutine ${id}`).toBe(true);
      const updateFrames = idx.uses.get(db)!.filter((u) => u.goroutine.frames[u.frame]!.fn.endsWith('metadata.(*DB).Update'));
      expect(new Set(updateFrames.map((u) => u.goroutine.id))).toEqual(fromText);
    });

    it(`seed ${seed}: names are 1..n whatever the input order`, () => {
      expect([...idx.names.values()]).toEqual(Array.from({ length: idx.names.size }, (_, i) => i + 1));
      const first = groups[0]!.goroutines[0]!.frames.flatMap((f) => f.args.flatMap(pointersIn))[0];
      if (first) expect(idx.names.get(first)).toBe(1);
      const again = indexPointers(groupGoroutines([...goroutines].reverse()));
      expect(again.names).toEqual(idx.names);
    });
  }
});
