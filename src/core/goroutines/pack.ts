// Goroutine dumps in a compact form for storage: a dump of a stuck daemon holds tens of thousands
// of goroutines and hundreds of thousands of frames, and IndexedDB clones an object graph one
// object at a time (a 16,000-goroutine dump: ~0.5 s to store, as long to read back). Packed, the
// repeated texts (states, functions, files) are stored once and the numbers sit in typed arrays.
import type { Goroutine, GoroutineFrame } from '../formats/types';

export interface PackedGoroutines {
  /** Every distinct text of the dump (states, functions, files, creators, stack keys), by index. */
  strings: string[];
  id: Float64Array;
  state: Uint32Array;
  waitMinutes: Float64Array;
  /** 1 = locked to its thread. */
  locked: Uint8Array;
  /** Index in `strings`, -1 for none. */
  createdBy: Int32Array;
  /** NaN for none. */
  createdByGoroutine: Float64Array;
  stackKey: Uint32Array;
  line: Float64Array;
  /** The frames of goroutine i are frameStart[i] .. frameStart[i + 1] - 1. */
  frameStart: Uint32Array;
  fn: Uint32Array;
  file: Uint32Array;
  frameLine: Float64Array;
  /** How many arguments each frame has, and their texts joined by newlines (a frame line never holds one). */
  argCount: Uint32Array;
  args: string[];
}

const ARG_SEPARATOR = '\n';

export function packGoroutines(goroutines: Goroutine[]): PackedGoroutines {
  const index = new Map<string, number>();
  const strings: string[] = [];
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const n = goroutines.length;
  let frames = 0;
  for (const g of goroutines) frames += g.frames.length;
  const p: PackedGoroutines = {
    strings, id: new Float64Array(n), state: new Uint32Array(n), waitMinutes: new Float64Array(n), locked: new Uint8Array(n),
    createdBy: new Int32Array(n), createdByGoroutine: new Float64Array(n), stackKey: new Uint32Array(n), line: new Float64Array(n),
    frameStart: new Uint32Array(n + 1), fn: new Uint32Array(frames), file: new Uint32Array(frames), frameLine: new Float64Array(frames),
    argCount: new Uint32Array(frames), args: new Array<string>(frames),
  };
  let f = 0;
  goroutines.forEach((g, i) => {
    p.id[i] = g.id;
    p.state[i] = ref(g.state);
    p.waitMinutes[i] = g.waitMinutes;
    p.locked[i] = g.lockedToThread ? 1 : 0;
    p.createdBy[i] = g.createdBy === null ? -1 : ref(g.createdBy);
    p.createdByGoroutine[i] = g.createdByGoroutine ?? NaN;
    p.stackKey[i] = ref(g.stackKey);
    p.line[i] = g.line;
    p.frameStart[i] = f;
    for (const fr of g.frames) {
      p.fn[f] = ref(fr.fn);
      p.file[f] = ref(fr.file);
      p.frameLine[f] = fr.line;
      p.argCount[f] = fr.args.length;
      p.args[f] = fr.args.join(ARG_SEPARATOR);
      f++;
    }
  });
  p.frameStart[n] = f;
  return p;
}

export function unpackGoroutines(p: PackedGoroutines): Goroutine[] {
  const s = p.strings;
  const out: Goroutine[] = new Array(p.id.length);
  for (let i = 0; i < p.id.length; i++) {
    const frames: GoroutineFrame[] = [];
    for (let f = p.frameStart[i]!; f < p.frameStart[i + 1]!; f++) {
      frames.push({ fn: s[p.fn[f]!]!, args: p.argCount[f] === 0 ? [] : p.args[f]!.split(ARG_SEPARATOR), file: s[p.file[f]!]!, line: p.frameLine[f]! });
    }
    const createdBy = p.createdBy[i]!;
    const parent = p.createdByGoroutine[i]!;
    out[i] = {
      id: p.id[i]!, state: s[p.state[i]!]!, waitMinutes: p.waitMinutes[i]!, lockedToThread: p.locked[i] === 1, frames,
      createdBy: createdBy < 0 ? null : s[createdBy]!, createdByGoroutine: parent === parent ? parent : null,
      stackKey: s[p.stackKey[i]!]!, line: p.line[i]!,
    };
  }
  return out;
}
