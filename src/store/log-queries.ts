/**
 * The log view's paging over the line index: lines of a window merged across sources in time order,
 * N at a time from a position (a line's key), with their rank and the total, and their text read
 * back from the raw bytes in a few batched reads. Never the whole bundle: a page reads the blocks
 * around its position, and counts come from the block metadata except at the edges.
 */
import { sourceShiftUs } from '../core/align';
import { CONTINUATION, LEVEL_MASK } from '../core/line-index';
import type { Source } from '../core/model';
import { compareLines } from '../core/search';
import { getBlocks } from './block-cache';
import { db, type StoredBlock } from './db';
import type { WindowLine } from './queries';
import { readRaw } from './raw-store';

export interface LogFilter {
  from: number;
  to: number;
  /** Sources shown; empty = all. */
  sourceIds: string[];
  minLevel: number;
}

/** A line's position in the merged order (time, source, byte offset). */
export interface LogKey {
  ts: number;
  sourceId: string;
  offset: number;
}

export interface LogLine extends WindowLine {
  fileId: string;
  text: string;
}

export interface LogPage {
  lines: LogLine[];
  /** 0-based rank of the first line among all lines of the filter. */
  firstRank: number;
  total: number;
}

type Dir = 'after' | 'before';

interface Lane {
  source: Source;
  shift: number;
}

async function block(sourceId: string, i: number): Promise<StoredBlock | undefined> {
  return (await getBlocks([[sourceId, i]]))[0];
}

async function lanes(bundleId: string, filter: LogFilter): Promise<Lane[]> {
  const all = await db().sources.where('bundleId').equals(bundleId).toArray();
  const want = filter.sourceIds.length ? new Set(filter.sourceIds) : null;
  return all
    .filter((s) => !want || want.has(s.id))
    .map((source) => ({ source, shift: sourceShiftUs(source) }))
    .filter((l) => l.shift === l.shift);
}

interface Pick {
  minLevel: number;
  recordsOnly: boolean;
}

/** Up to n lines of one lane strictly after (or before) the key, nearest first. */
async function laneLines(lane: Lane, filter: LogFilter, key: LogKey, dir: Dir, n: number, pick: Pick): Promise<WindowLine[]> {
  const { source: s, shift } = lane;
  const sign = dir === 'after' ? 1 : -1;
  const order = s.blocks
    .map((m, i) => ({ i, first: m[0] + shift, last: m[1] + shift }))
    .filter((m) => m.first <= filter.to && m.last >= filter.from && (dir === 'after' ? m.last >= key.ts : m.first <= key.ts))
    .sort((a, b) => (dir === 'after' ? a.first - b.first : b.last - a.last));
  let out: WindowLine[] = [];
  const nearer = (a: WindowLine, b: WindowLine) => sign * compareLines(a, b);
  for (let k = 0; k < order.length; k++) {
    const b = await block(s.id, order[k]!.i);
    if (!b) continue;
    for (let i = 0; i < b.count; i++) {
      const ts = b.ts[i]! + shift;
      if (!(ts >= filter.from && ts <= filter.to)) continue;
      const raw = b.level[i]!;
      const level = raw & LEVEL_MASK;
      const continuation = (raw & CONTINUATION) !== 0;
      if (level < pick.minLevel || (pick.recordsOnly && continuation)) continue;
      const line = { sourceId: s.id, ts, offset: b.offset[i]!, length: b.length[i]!, level, continuation };
      if (sign * compareLines(line, key) > 0) out.push(line);
    }
    if (out.length >= n) {
      out.sort(nearer);
      out = out.slice(0, n);
      const next = order[k + 1];
      const edge = out[n - 1]!.ts;
      if (!next || (dir === 'after' ? next.first > edge : next.last < edge)) break;
    }
  }
  out.sort(nearer);
  return out.slice(0, n);
}

/** Up to n lines after (or before) a key across the filter's lanes, in time order. */
export async function linesFrom(bundleId: string, filter: LogFilter, key: LogKey, dir: Dir, n: number, pick: Partial<Pick> = {}): Promise<WindowLine[]> {
  const p: Pick = { minLevel: Math.max(filter.minLevel, pick.minLevel ?? 0), recordsOnly: pick.recordsOnly ?? false };
  const per = await Promise.all((await lanes(bundleId, filter)).map((l) => laneLines(l, filter, key, dir, n, p)));
  const merged = per.flat().sort(compareLines);
  return dir === 'after' ? merged.slice(0, n) : merged.slice(Math.max(0, merged.length - n));
}

const levelHistograms = new Map<string, Uint32Array>();

/** Lines of the filter ordered before the key (the whole filter when key is null). */
export async function countBefore(bundleId: string, filter: LogFilter, key: LogKey | null): Promise<number> {
  let total = 0;
  for (const { source: s, shift } of await lanes(bundleId, filter)) {
    for (let i = 0; i < s.blocks.length; i++) {
      const [first, last, count] = s.blocks[i]!;
      const lo = first + shift;
      const hi = last + shift;
      if (!(lo <= filter.to && hi >= filter.from)) continue;
      if (key && !(lo <= key.ts)) continue;
      // Lines before a source's first stamp have no time and are not shown: only the first stamped
      // block can hold them, so it is always scanned.
      const clean = i > 0 && s.blocks[i - 1]![0] === s.blocks[i - 1]![0];
      const inside = lo >= filter.from && hi <= filter.to && (!key || hi < key.ts);
      if (inside && clean) {
        total += filter.minLevel ? await levelsAtLeast(s.id, i, filter.minLevel) : count;
        continue;
      }
      const b = await block(s.id, i);
      if (!b) continue;
      for (let j = 0; j < b.count; j++) {
        const ts = b.ts[j]! + shift;
        if (!(ts >= filter.from && ts <= filter.to) || (b.level[j]! & LEVEL_MASK) < filter.minLevel) continue;
        if (key && compareLines({ ts, sourceId: s.id, offset: b.offset[j]! }, key) >= 0) continue;
        total++;
      }
    }
  }
  return total;
}

async function levelsAtLeast(sourceId: string, i: number, minLevel: number): Promise<number> {
  const key = `${sourceId}#${i}`;
  let h = levelHistograms.get(key);
  if (!h) {
    const b = await block(sourceId, i);
    h = new Uint32Array(LEVEL_MASK + 1);
    if (b) for (let j = 0; j < b.count; j++) h[b.level[j]! & LEVEL_MASK]!++;
    levelHistograms.set(key, h);
  }
  let n = 0;
  for (let l = minLevel; l < h.length; l++) n += h[l]!;
  return n;
}

/** A line's text is cut here for display: a megabyte line would only slow the editor. */
export const MAX_LINE_BYTES = 16 << 10;
/** Ranges closer than this are read as one. */
const MERGE_GAP = 64 << 10;
const MAX_READ = 8 << 20;

/** The text of lines, read from the raw bytes: lines of one file are grouped into few reads. */
export async function lineTexts(bundleId: string, lines: WindowLine[]): Promise<LogLine[]> {
  const sources = new Map((await db().sources.where('bundleId').equals(bundleId).toArray()).map((s) => [s.id, s]));
  const files = new Map((await db().files.where('bundleId').equals(bundleId).toArray()).map((f) => [f.id, f]));
  const out: LogLine[] = lines.map((l) => ({ ...l, fileId: sources.get(l.sourceId)?.fileId ?? '', text: '' }));
  const byFile = new Map<string, LogLine[]>();
  for (const l of out) {
    const list = byFile.get(l.fileId) ?? [];
    list.push(l);
    byFile.set(l.fileId, list);
  }
  const decoder = new TextDecoder();
  await Promise.all([...byFile].map(async ([fileId, list]) => {
    const file = files.get(fileId);
    if (!file) return;
    list.sort((a, b) => a.offset - b.offset);
    let i = 0;
    while (i < list.length) {
      const start = list[i]!.offset;
      let end = start + Math.min(list[i]!.length, MAX_LINE_BYTES);
      let j = i + 1;
      while (j < list.length && list[j]!.offset - end <= MERGE_GAP && list[j]!.offset + MAX_LINE_BYTES - start <= MAX_READ) {
        end = Math.max(end, list[j]!.offset + Math.min(list[j]!.length, MAX_LINE_BYTES));
        j++;
      }
      const bytes = await readRaw(bundleId, file.rawKey, file.rawOffset + start, end - start);
      for (let k = i; k < j; k++) {
        const l = list[k]!;
        const cut = Math.min(l.length, MAX_LINE_BYTES);
        l.text = decoder.decode(bytes.subarray(l.offset - start, l.offset - start + cut));
        if (cut < l.length) l.text += ` … [${l.length - cut} more bytes]`;
      }
      i = j;
    }
  }));
  return out;
}

/** The key that sorts before every line at time ts. */
export function timeKey(ts: number): LogKey {
  return { ts, sourceId: '', offset: -1 };
}

/**
 * A page of n lines around a key: `around` puts the key's line (or the first line at/after it) in
 * the middle; `after`/`before` continue a page past its last/first line.
 */
export async function logPage(bundleId: string, filter: LogFilter, key: LogKey, mode: 'around' | Dir, n: number): Promise<LogPage> {
  let index: WindowLine[];
  if (mode === 'around') {
    // The key's own line is "after" a key nudged just before it.
    const justBefore = { ...key, offset: key.offset - 0.5 };
    const [before, after] = await Promise.all([
      linesFrom(bundleId, filter, justBefore, 'before', Math.floor(n / 2)),
      linesFrom(bundleId, filter, justBefore, 'after', n - Math.floor(n / 2)),
    ]);
    index = [...before, ...after];
    // Near the end of the window: fill the page from before.
    if (after.length < n - Math.floor(n / 2) && index.length < n && before.length) {
      const more = await linesFrom(bundleId, filter, before[0]!, 'before', n - index.length);
      index = [...more, ...index];
    }
  } else {
    index = await linesFrom(bundleId, filter, key, mode, n);
  }
  const [lines, firstRank, total] = await Promise.all([
    lineTexts(bundleId, index),
    index.length ? countBefore(bundleId, filter, index[0]!) : Promise.resolve(0),
    countBefore(bundleId, filter, null),
  ]);
  return { lines, firstRank, total };
}
