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
  let start = 2;
  while (start < word.length && word.charCodeAt(start) === 48 /* '0' */) start++;
  const digits = word.length - start;
  if (digits < 5) return null;
  if (digits === 5 && parseInt(word.slice(start), 16) < MIN_POINTER) return null;
  return start === 2 && word === word.toLowerCase() ? word : `0x${word.slice(start).toLowerCase()}`;
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
  // One record per pointer, in order of first appearance (a 10k-goroutine dump passes ~200k pointer words).
  const seen = new Map<string, { uses: PointerUse[]; passing: number }>();
  // Dumps repeat the same argument text a lot (contexts, itabs, shared objects): scan each once.
  const scanned = new Map<string, string[]>();
  for (const group of groups) {
    for (const g of group.goroutines) {
      g.frames.forEach((frame, fi) => {
        for (const arg of frame.args) {
          let found = scanned.get(arg);
          if (!found) scanned.set(arg, (found = arg.includes('0x') ? pointersIn(arg) : []));
          for (const p of found) {
            let rec = seen.get(p);
            if (!rec) seen.set(p, (rec = { uses: [], passing: 0 }));
            const last = rec.uses[rec.uses.length - 1];
            // The same pointer twice in one frame's args is one use of that frame.
            if (last?.goroutine === g && last.frame === fi) continue;
            // Uses arrive goroutine by goroutine: a new last goroutine is one more passing it.
            if (last?.goroutine !== g) rec.passing++;
            rec.uses.push({ goroutine: g, frame: fi });
          }
        }
      });
    }
  }
  const names = new Map<string, number>();
  const uses = new Map<string, PointerUse[]>();
  const passing = new Map<string, number>();
  for (const [p, rec] of seen) {
    names.set(p, names.size + 1);
    uses.set(p, rec.uses);
    passing.set(p, rec.passing);
  }
  return { names, uses, passing };
}
