/**
 * The log view's paging over the line index: lines of a window merged across sources in time order,
 * N at a time from a position (a line's key), with their rank and the total, and their text read
 * back from the raw bytes in a few batched reads. Never the whole bundle: a page reads the blocks
 * around its position, and counts come from the block metadata except at the edges.
 */
import { sourceShiftUs } from '../core/align';
import { LEVEL_MASK } from '../core/line-index';
import { linesOf, mergeLines } from '../core/line-merge';
import type { Source, SourceFile } from '../core/model';
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

/** The bundle's sources and files: the caller may hold them already (the UI's query cache). */
export interface BundleRows {
  sources: Source[];
  files: SourceFile[];
}

async function bundleRows(bundleId: string): Promise<BundleRows> {
  const [sources, files] = await Promise.all([
    db().sources.where('bundleId').equals(bundleId).toArray(),
    db().files.where('bundleId').equals(bundleId).toArray(),
  ]);
  return { sources, files };
}

async function lanes(bundleId: string, filter: LogFilter): Promise<Lane[]> {
  return lanesOf(await db().sources.where('bundleId').equals(bundleId).toArray(), filter);
}

function lanesOf(sources: Source[], filter: LogFilter): Lane[] {
  const want = filter.sourceIds.length ? new Set(filter.sourceIds) : null;
  return sources
    .filter((s) => !want || want.has(s.id))
    .map((source) => ({ source, shift: sourceShiftUs(source) }))
    .filter((l) => l.shift === l.shift);
}

interface Pick {
  minLevel: number;
  recordsOnly: boolean;
}

/** Up to n lines after (or before) a key across the filter's lanes, in time order. */
export async function linesFrom(bundleId: string, filter: LogFilter, key: LogKey, dir: Dir, n: number, pick: Partial<Pick> = {}): Promise<WindowLine[]> {
  return linesAt(await lanes(bundleId, filter), filter, key, dir, n, pick);
}

async function linesAt(all: Lane[], filter: LogFilter, key: LogKey, dir: Dir, n: number, pick: Partial<Pick> = {}): Promise<WindowLine[]> {
  const merged = await mergeLines(all.map((l) => ({ sourceId: l.source.id, shift: l.shift, blocks: l.source.blocks })), getBlocks, {
    from: filter.from, to: filter.to, minLevel: Math.max(filter.minLevel, pick.minLevel ?? 0), recordsOnly: pick.recordsOnly ?? false,
    dir: dir === 'after' ? 1 : -1, past: key, limit: n,
  });
  const lines = linesOf(merged);
  // Backward merges come nearest first.
  return dir === 'after' ? lines : lines.reverse();
}

const levelHistograms = new Map<string, Uint32Array>();

/** Lines of the filter ordered before the key (the whole filter when key is null). */
export async function countBefore(bundleId: string, filter: LogFilter, key: LogKey | null): Promise<number> {
  return countIn(await lanes(bundleId, filter), filter, key);
}

async function countIn(all: Lane[], filter: LogFilter, key: LogKey | null): Promise<number> {
  let total = 0;
  // Blocks to scan, and blocks whose level histogram is not known yet, are read together at the
  // end: one IndexedDB request, not one per source (10,000 pod logs are 10,000 sources).
  const scans: { sourceId: string; block: number; shift: number; tieBelow: number }[] = [];
  const histograms: [string, number][] = [];
  for (const { source: s, shift } of all) {
    // A line stamped at the key's time is before it when its source sorts first, or at a smaller
    // offset in the key's own source.
    const tieBelow = !key ? 0 : s.id < key.sourceId ? Infinity : s.id > key.sourceId ? -Infinity : key.offset;
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
        if (!filter.minLevel) total += count;
        else histograms.push([s.id, i]);
        continue;
      }
      scans.push({ sourceId: s.id, block: i, shift, tieBelow });
    }
  }
  const unknown = histograms.filter(([id, i]) => !levelHistograms.has(histogramKey(id, i)));
  const blocks = scans.length || unknown.length ? await getBlocks([...scans.map((x): [string, number] => [x.sourceId, x.block]), ...unknown]) : [];
  blocks.forEach((b, k) => {
    if (k < scans.length) {
      if (b) total += countBlock(b, scans[k]!.shift, filter, key ? key.ts : Infinity, scans[k]!.tieBelow);
    } else {
      const [id, i] = unknown[k - scans.length]!;
      levelHistograms.set(histogramKey(id, i), levelHistogram(b));
    }
  });
  for (const [id, i] of histograms) total += levelsAtLeast(levelHistograms.get(histogramKey(id, i))!, filter.minLevel);
  return total;
}

/** Lines of a block in the filter and before (keyTs, tieBelow): numbers only, a block is 65,536 lines. */
function countBlock(b: StoredBlock, shift: number, filter: LogFilter, keyTs: number, tieBelow: number): number {
  let n = 0;
  for (let j = 0; j < b.count; j++) {
    const ts = b.ts[j]! + shift;
    if (!(ts >= filter.from && ts <= filter.to) || (b.level[j]! & LEVEL_MASK) < filter.minLevel) continue;
    if (ts < keyTs || (ts === keyTs && b.offset[j]! < tieBelow)) n++;
  }
  return n;
}

const histogramKey = (sourceId: string, i: number) => `${sourceId}#${i}`;

/** Lines per level of a block (a missing block counts none). */
function levelHistogram(b: StoredBlock | undefined): Uint32Array {
  const h = new Uint32Array(LEVEL_MASK + 1);
  if (b) for (let j = 0; j < b.count; j++) h[b.level[j]! & LEVEL_MASK]!++;
  return h;
}

function levelsAtLeast(h: Uint32Array, minLevel: number): number {
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
export async function lineTexts(bundleId: string, lines: WindowLine[], rows: BundleRows): Promise<LogLine[]> {
  const sources = new Map(rows.sources.map((s) => [s.id, s]));
  const files = new Map(rows.files.map((f) => [f.id, f]));
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
 * the middle; `after`/`before` continue a page past its last/first line. `given`: the bundle's
 * sources and files when the caller has them (else read here).
 */
export async function logPage(bundleId: string, filter: LogFilter, key: LogKey, mode: 'around' | Dir, n: number, given?: BundleRows): Promise<LogPage> {
  const rows = given ?? await bundleRows(bundleId);
  const all = lanesOf(rows.sources, filter);
  let index: WindowLine[];
  if (mode === 'around') {
    // The key's own line is "after" a key nudged just before it.
    const justBefore = { ...key, offset: key.offset - 0.5 };
    const [before, after] = await Promise.all([
      linesAt(all, filter, justBefore, 'before', Math.floor(n / 2)),
      linesAt(all, filter, justBefore, 'after', n - Math.floor(n / 2)),
    ]);
    index = [...before, ...after];
    // Near the end of the window: fill the page from before.
    if (after.length < n - Math.floor(n / 2) && index.length < n && before.length) {
      const more = await linesAt(all, filter, before[0]!, 'before', n - index.length);
      index = [...more, ...index];
    }
  } else {
    index = await linesAt(all, filter, key, mode, n);
  }
  const [lines, firstRank, total] = await Promise.all([
    lineTexts(bundleId, index, rows),
    index.length ? countIn(all, filter, index[0]!) : Promise.resolve(0),
    countIn(all, filter, null),
  ]);
  return { lines, firstRank, total };
}
