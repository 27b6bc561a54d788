// Helpers shared by the format tests (not imported by production code).
import { formatIsoUs, isoUtcUs, newIsoStamp, readIsoStamp } from '../time/civil';
import { newParsedLine, resetParsedLine, type FormatDef, type ParsedLine, type TimeContext } from './types';

export function ctxOf(partial: Partial<TimeContext> = {}): TimeContext {
  return { year: 2024, zoneOffsetMin: 0, bootTimeUs: null, ...partial };
}

/** UTC µs of an ISO string with an offset (µs precision, unlike Date.parse). */
export function isoToUs(iso: string): number {
  const st = newIsoStamp();
  if (!readIsoStamp(iso, 0, iso.length, st)) throw new Error(`not an ISO stamp: ${iso}`);
  return isoUtcUs(st);
}

export function showTs(ts: number): string {
  return ts === ts ? formatIsoUs(ts) : 'NaN';
}

/** Parses lines in order with one parser (so year tracking and state carry over). */
export function parseAll(format: FormatDef, lines: string[], ctx: Partial<TimeContext> = {}): ParsedLine[] {
  const parser = format.createParser(ctxOf(ctx));
  return lines.map((line) => {
    const out = newParsedLine();
    resetParsedLine(out);
    parser.parse(line, out);
    return out;
  });
}

/** A small seeded PRNG (mulberry32) so generated variants are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

export function pad(n: number, width: number, fill = '0'): string {
  return String(n).padStart(width, fill);
}
