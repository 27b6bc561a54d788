// Pointer arguments of a dump named `#1`, `#2`… so the eye can follow one object through many
// stacks (the same `metadata.(*DB)` passed by the bbolt lock holder and by every waiter). Names
// are given in order of first appearance in the groups as sorted by interest, so they are stable
// for a dump whatever the filters, and small numbers go to the objects of the interesting stacks.

import type { Goroutine } from '../formats/types';
import type { GoroutineGroup } from './group';

/** Smaller words are lengths, flags and small integers, not addresses. */
const MIN_POINTER = 0x10000;
const hexWord = /0x[0-9a-fA-F]+/g;

/** `0x00C0001E92D0` → `0xc0001e92d0`; null when the word is too small to be an address. */
export function normalizePointer(word: string): string | null {
  const digits = word.slice(2).toLowerCase().replace(/^0+/, '');
  if (digits.length < 5) return null;
  if (digits.length === 5 && parseInt(digits, 16) < MIN_POINTER) return null;
  return `0x${digits}`;
}

/** The pointer values in one printed argument (`{0x5619…, 0xc000ae0180}` holds two). */
export function pointersIn(arg: string): string[] {
  const out: string[] = [];
  for (const m of arg.matchAll(hexWord)) {
    const p = normalizePointer(m[0]);
    if (p) out.push(p);
  }
  return out;
}

/** An argument split into plain text and pointers, to render the pointers as their names. */
export type ArgPart = { text: string } | { pointer: string };
export function argParts(arg: string): ArgPart[] {
  const parts: ArgPart[] = [];
  let last = 0;
  for (const m of arg.matchAll(hexWord)) {
    const p = normalizePointer(m[0]);
    if (!p) continue;
    if (m.index > last) parts.push({ text: arg.slice(last, m.index) });
    parts.push({ pointer: p });
    last = m.index + m[0].length;
  }
  if (last < arg.length) parts.push({ text: arg.slice(last) });
  return parts;
}

/** One frame of one goroutine passing a pointer. */
export interface PointerUse {
  goroutine: Goroutine;
  /** Index of the frame in the goroutine's frames. */
  frame: number;
}

export interface PointerIndex {
  /** Pointer value → its name's number (`#n`). */
  names: Map<string, number>;
  /** Pointer value → every frame passing it, in naming order (one goroutine may pass it in several frames). */
  uses: Map<string, PointerUse[]>;
  /** Pointer value → how many distinct goroutines pass it (1 = nothing to follow). */
  passing: Map<string, number>;
}

export function indexPointers(groups: readonly GoroutineGroup[]): PointerIndex {
  const names = new Map<string, number>();
  const uses = new Map<string, PointerUse[]>();
  const passing = new Map<string, number>();
  for (const group of groups) {
    for (const g of group.goroutines) {
      g.frames.forEach((frame, fi) => {
        const seen = new Set<string>();
        for (const arg of frame.args) {
          for (const p of pointersIn(arg)) {
            if (!names.has(p)) names.set(p, names.size + 1);
            // The same pointer twice in one frame's args is one use of that frame.
            if (seen.has(p)) continue;
            seen.add(p);
            let list = uses.get(p);
            if (!list) uses.set(p, (list = []));
            // Uses arrive goroutine by goroutine: a new last goroutine is one more passing it.
            if (list[list.length - 1]?.goroutine !== g) passing.set(p, (passing.get(p) ?? 0) + 1);
            list.push({ goroutine: g, frame: fi });
          }
        }
      });
    }
  }
  return { names, uses, passing };
}
