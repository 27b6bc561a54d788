// How a goroutine dump is stored (schema v5): a row with its goroutines packed, and a head without
// them. A dump of a stuck daemon can hold tens of thousands of goroutines (a 27 MB dump: 16,000,
// ~0.4 s to store or read as objects): the file list, the timeline and the dump list read heads;
// only the goroutine view of one dump and the analysis read whole rows.
import type { Goroutine } from '../core/formats/types';
import { packGoroutines, unpackGoroutines, type PackedGoroutines } from '../core/goroutines/pack';
import { db, type StoredDump } from './db';

/** A dump's row: its goroutines packed (core/goroutines/pack.ts). */
export type StoredDumpRow = Omit<StoredDump, 'goroutines'> & { packed: PackedGoroutines };

export function dumpRow(dump: StoredDump): StoredDumpRow {
  const { goroutines, ...rest } = dump;
  return { ...rest, packed: packGoroutines(goroutines) };
}

export function readDump(row: StoredDumpRow): StoredDump {
  const { packed, ...rest } = row;
  return { ...rest, goroutines: unpackGoroutines(packed) };
}

/** Deletes the rows and heads of the dumps of a bundle or a file (inside the caller's transaction, if any). */
export async function deleteDumps(by: 'bundleId' | 'fileId', id: string): Promise<void> {
  await db().dumps.where(by).equals(id).delete();
  await db().dumpHeads.where(by).equals(id).delete();
}

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
