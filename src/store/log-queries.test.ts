import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParsedEntry } from '../core/assemble';
import type { EntryResult } from '../core/ingest';
import { LineIndexBuilder } from '../core/line-index';
import type { WindowLine } from '../core/line-merge';
import type { Bundle, LineBlock } from '../core/model';
import { compareLines } from '../core/search';
import { clearBlockCache } from './block-cache';
import { db } from './db';
import { realign } from './ingest-controller';
import { countBefore, linesFrom, logPage, timeKey, type LogFilter } from './log-queries';
import { rng as mulberry32 } from '../core/formats/test-helpers';

// Raw bytes live in OPFS, which Node lacks: every line reads as spaces.
vi.mock('./raw-store', () => ({ readRaw: async (_b: string, _k: string, _o: number, length: number) => new Uint8Array(length).fill(32) }));

const T0 = Date.UTC(2023, 5, 2, 5, 48, 0) * 1000;

/** Stores a file through the real index builder (blocks of 100 lines), as the worker does; returns its lines. */
async function storeFile(bundleId: string, fileId: string, stamps: number[], levels: number[]): Promise<WindowLine[]> {
  const sourceId = `${fileId}:kubelet`;
  const blocks: LineBlock[] = [];
  const b = new LineIndexBuilder(sourceId, (blk) => blocks.push(blk), 100);
  const lines: WindowLine[] = [];
  stamps.forEach((ts, i) => {
    const continuation = i % 9 === 4;
    b.add(ts, i * 100, 99, levels[i]!, continuation);
    lines.push({ sourceId, ts, offset: i * 100, length: 99, level: levels[i]!, continuation });
  });
  b.flush();
  await db().blocks.bulkPut(blocks.map((blk) => ({ ...blk, bundleId })));
  const n = stamps.length;
  const result: EntryResult = {
    path: `${fileId}.log`, format: 'klog', detectedFormat: 'klog', detectionScore: 1, status: 'done', bytes: n * 100, digest: 'd',
    lines: n, anchors: [], parsedZoneOffsetMin: 0, parsedYear: 2023, extrasSourceId: sourceId, metrics: [], goroutines: 0, events: 0, notes: [], errors: [], timings: { readMs: 0, storeMs: 0, parseMs: 0 },
    sources: [{ id: sourceId, origin: 'kubelet', lines: n, records: n, firstTs: Math.min(...stamps), lastTs: Math.max(...stamps), localStamped: 0, absoluteStamped: n, relativeStamped: 0, levelCounts: b.levelCounts, blocks: b.blockMeta }],
  };
  const entry: ParsedEntry = { fileId, result, rawKey: 'pack', rawOffset: 0, size: n * 100, formatChosenByUser: false, yearSource: 'file-date' };
  await db().entries.put({ ...entry, bundleId, input: result.path });
  return lines;
}

/** Three files: one in order, one with stamps out of place and repeated, one sharing stamps with the first. */
async function fixture(): Promise<WindowLine[]> {
  const rnd = mulberry32(5);
  await db().bundles.put({ id: 'b', name: 'b', fingerprint: 'fp', probeKey: 'pk', createdAt: 0, status: 'ready', totalBytes: 0, fileCount: 0, zoneOffsetMin: null, userZoneOffsetMin: null, userBootUs: null, bootUs: null, year: null, errors: [], inputsDone: [] } satisfies Bundle);
  const levels = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 6));
  const a = Array.from({ length: 450 }, (_, i) => T0 + i * 2e6);
  const b = Array.from({ length: 380 }, (_, i) => T0 + Math.floor(i / 3) * 5e6 - (i % 17 === 0 ? 3e6 : 0));
  const c = Array.from({ length: 300 }, (_, i) => T0 + 1e6 + i * 3e6 - (i % 2) * 1e6);
  const all = [
    ...(await storeFile('b', 'fb', b, levels(b.length))),
    ...(await storeFile('b', 'fa', a, levels(a.length))),
    ...(await storeFile('b', 'fc', c, levels(c.length))),
  ];
  await realign('b');
  return all.sort(compareLines);
}

beforeEach(async () => {
  clearBlockCache();
  await db().delete();
  await db().open();
});

describe('log paging', () => {
  it('pages lines after and before any key, and counts lines before it, as a sort of every line would', async () => {
    const all = await fixture();
    const rnd = mulberry32(11);
    const filters: LogFilter[] = [
      { from: -Infinity, to: Infinity, sourceIds: [], minLevel: 0 },
      { from: T0 + 100e6, to: T0 + 500e6, sourceIds: [], minLevel: 0 },
      { from: T0 + 50e6, to: T0 + 800e6, sourceIds: ['fb:kubelet', 'fc:kubelet'], minLevel: 3 },
    ];
    for (const filter of filters) {
      const shown = all.filter((l) => l.ts >= filter.from && l.ts <= filter.to && l.level >= filter.minLevel && (!filter.sourceIds.length || filter.sourceIds.includes(l.sourceId)));
      expect(await countBefore('b', filter, null)).toBe(shown.length);
      for (let k = 0; k < 12; k++) {
        const key = k === 0 ? timeKey(filter.from) : all[Math.floor(rnd() * all.length)]!;
        const n = 1 + Math.floor(rnd() * 150);
        const after = shown.filter((l) => compareLines(l, key) > 0);
        const before = shown.filter((l) => compareLines(l, key) < 0);
        expect(await linesFrom('b', filter, key, 'after', n)).toEqual(after.slice(0, n));
        expect(await linesFrom('b', filter, key, 'before', n)).toEqual(before.slice(Math.max(0, before.length - n)));
        expect(await countBefore('b', filter, key)).toBe(before.length);
        const records = after.filter((l) => !l.continuation && l.level >= 4);
        expect(await linesFrom('b', filter, key, 'after', 3, { minLevel: 4, recordsOnly: true })).toEqual(records.slice(0, 3));
      }
    }
  });

  it('opens a page around a selected line with its rank and the total', async () => {
    const all = await fixture();
    const filter: LogFilter = { from: -Infinity, to: Infinity, sourceIds: [], minLevel: 0 };
    const sel = all[700]!;
    const page = await logPage('b', filter, sel, 'around', 200);
    expect(page.total).toBe(all.length);
    expect(page.firstRank).toBe(600);
    expect(page.lines.map(({ fileId: _f, text: _t, ...l }) => l)).toEqual(all.slice(600, 800));
    expect(page.lines[100]!.text).toBe(' '.repeat(99));
    // Near the end the page fills from before.
    const end = await logPage('b', filter, all.at(-3)!, 'around', 200);
    expect(end.firstRank).toBe(all.length - 200);
    expect(end.lines).toHaveLength(200);
  });
});
