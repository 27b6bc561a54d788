// A goroutine dump without its goroutines: what the file list, the timeline and the dump list
// show. A dump of a stuck daemon can hold tens of thousands of goroutines (a 27 MB dump: 16,000,
// ~0.4 s to read whole here), so those views read these rows; only the goroutine view of one dump
// and the analysis read the goroutines.
import type { Goroutine } from '../core/formats/types';
import type { StoredDump } from './db';

/** Goroutines of one dump in one state that had been waiting (the dump says "N minutes"). */
export interface WaitGroup {
  state: string;
  count: number;
  minMinutes: number;
  maxMinutes: number;
}

export type StoredDumpHead = Omit<StoredDump, 'goroutines'> & {
  /** How many goroutines the dump holds. */
  goroutines: number;
  /** Its waiting goroutines by state, most first. */
  waits: WaitGroup[];
};

export function dumpHead(dump: StoredDump): StoredDumpHead {
  const { goroutines, ...rest } = dump;
  return { ...rest, goroutines: goroutines.length, waits: waitsOf(goroutines) };
}

function waitsOf(goroutines: Goroutine[]): WaitGroup[] {
  const byState = new Map<string, WaitGroup>();
  for (const g of goroutines) {
    if (!(g.waitMinutes > 0)) continue;
    const w = byState.get(g.state);
    if (w) {
      w.count++;
      w.minMinutes = Math.min(w.minMinutes, g.waitMinutes);
      w.maxMinutes = Math.max(w.maxMinutes, g.waitMinutes);
    } else byState.set(g.state, { state: g.state, count: 1, minMinutes: g.waitMinutes, maxMinutes: g.waitMinutes });
  }
  return [...byState.values()].sort((a, b) => b.count - a.count);
}
