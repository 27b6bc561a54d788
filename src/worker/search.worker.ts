/**
 * Search worker: scans the stored raw bytes of every file of a bundle (OPFS, read in chunks, the
 * next chunk read while the current one is scanned), then maps each matching line to its source,
 * time and level through the line index. The page stays responsive, and a newer search stops an
 * older one between chunks.
 */
import * as Comlink from 'comlink';
import { sourceShiftUs } from '../core/align';
import { LEVEL_MASK } from '../core/line-index';
import type { Source, SourceFile } from '../core/model';
import { compareLines, compileQuery, LineScanner, matchLines, type IndexedSource, type SearchMatch, type SearchResult } from '../core/search';
import { db } from '../store/db';
import { openRawBlob } from '../store/raw-store';
import { ByteShares } from './shares';

export interface SearchRequest {
  bundleId: string;
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  /** Sources searched; empty = all. */
  sourceIds: string[];
  minLevel: number;
  /** Matches returned at most (the total is always exact). */
  limit: number;
  /** This worker's share of the files (dealt by bytes, the same in every worker); absent = all files. */
  part?: { index: number; of: number };
}

export interface SearchWorkerApi {
  search(req: SearchRequest): Promise<SearchResult>;
}

const CHUNK = 8 << 20;
let generation = 0;

/** The index columns of a source, kept between searches (the blocks never change once stored). */
const indexCache = new Map<string, IndexedSource['blocks']>();

async function sourceBlocks(s: Source): Promise<IndexedSource['blocks']> {
  const key = `${s.id}|${s.lines}|${s.blocks.length}`;
  const hit = indexCache.get(key);
  if (hit) return hit;
  const rows = await db().blocks.where('sourceId').equals(s.id).sortBy('block');
  const blocks = rows.map((b) => ({ count: b.count, ts: b.ts, offset: b.offset, length: b.length, level: b.level }));
  indexCache.set(key, blocks);
  return blocks;
}

/** Line start offsets (in the file) of the lines that match, in order. */
async function scanFile(pack: Blob, file: SourceFile, scanner: (onLine: (o: number) => void) => LineScanner, alive: () => boolean): Promise<number[]> {
  const offsets: number[] = [];
  const s = scanner((o) => offsets.push(o));
  const end = file.rawOffset + file.rawBytes;
  const read = (at: number) => pack.slice(at, Math.min(end, at + CHUNK)).arrayBuffer();
  let next = file.rawBytes > 0 ? read(file.rawOffset) : null;
  for (let at = file.rawOffset; next; at += CHUNK) {
    const buf = await next;
    if (!alive()) throw new Error('superseded');
    next = at + CHUNK < end ? read(at + CHUNK) : null;
    s.push(new Uint8Array(buf));
  }
  s.end();
  return offsets;
}

const api: SearchWorkerApi = {
  async search(req) {
    const t0 = performance.now();
    const mine = ++generation;
    const alive = () => generation === mine;
    const compiled = compileQuery({ text: req.text, regex: req.regex, caseSensitive: req.caseSensitive });
    if ('error' in compiled) return { matches: [], total: 0, error: compiled.error, elapsedMs: performance.now() - t0 };
    const [files, sources] = await Promise.all([
      db().files.where('bundleId').equals(req.bundleId).toArray(),
      db().sources.where('bundleId').equals(req.bundleId).toArray(),
    ]);
    const want = req.sourceIds.length ? new Set(req.sourceIds) : null;
    const byFile = new Map<string, Source[]>();
    for (const s of sources) {
      if (want && !want.has(s.id)) continue;
      byFile.set(s.fileId, [...(byFile.get(s.fileId) ?? []), s]);
    }
    // Continuations carry their record's level, as in the log view.
    const keepLevel = (raw: number) => (raw & LEVEL_MASK) >= req.minLevel;
    const found: SearchMatch[] = [];
    const packs = new Map<string, Promise<Blob>>();
    const mineOnly = req.part ? new ByteShares(req.part) : null;
    // Largest first, ties by id: every worker deals the same files to the same shares.
    const searched = files.filter((f) => byFile.has(f.id) && f.rawKey)
      .sort((a, b) => b.rawBytes - a.rawBytes || (a.id < b.id ? -1 : 1))
      .filter((f) => !mineOnly || mineOnly.takes(f.rawBytes));
    for (const file of searched) {
      const fileSources = byFile.get(file.id)!;
      let pack = packs.get(file.rawKey);
      if (!pack) packs.set(file.rawKey, (pack = openRawBlob(req.bundleId, file.rawKey)));
      const offsets = await scanFile(await pack, file, (onLine) => new LineScanner(compiled.matcher, onLine), alive);
      if (!offsets.length) continue;
      const indexed = await Promise.all(fileSources.map(async (s) => ({ sourceId: s.id, shift: sourceShiftUs(s), blocks: await sourceBlocks(s) })));
      matchLines(offsets, indexed, keepLevel, found);
    }
    found.sort(compareLines);
    return { matches: found.length > req.limit ? found.slice(0, req.limit) : found, total: found.length, error: null, elapsedMs: performance.now() - t0 };
  },
};

Comlink.expose(api);
