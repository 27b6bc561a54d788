import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ParsedEntry } from '../core/assemble';
import type { EntryResult } from '../core/ingest';
import { LineIndexBuilder } from '../core/line-index';
import type { Bundle, LineBlock } from '../core/model';
import { OutlineBuilder } from '../core/outline';
import { db } from './db';
import { timelineData } from './timeline-queries';
import { realign } from './ingest-controller';
import { linesOf } from '../core/line-merge';
import { bundleDetail, deleteBundle, markInterruptedBundles, queryWindow as queryColumns, setSourceTime, type WindowQuery } from './queries';

/** The window query's columns as line objects, to compare. */
const queryWindow = async (bundleId: string, q: WindowQuery) => linesOf(await queryColumns(bundleId, q));

const T0 = Date.UTC(2023, 5, 2, 5, 48, 0) * 1000;

function bundle(id: string, status: Bundle['status'] = 'ready'): Bundle {
  return { id, name: id, fingerprint: `fp-${id}`, probeKey: `pk-${id}`, createdAt: Date.now(), status, totalBytes: 0, fileCount: 0, zoneOffsetMin: null, userZoneOffsetMin: null, userBootUs: null, bootUs: null, year: null, errors: [], inputsDone: [] };
}

/**
 * Stores one file of `n` lines a second apart through the real index builder, as the worker does,
 * and with `outline` its source's outline too.
 */
async function storeFile(bundleId: string, fileId: string, n: number, local: boolean, blockLines = 1000, outline = false): Promise<void> {
  const blocks: LineBlock[] = [];
  const b = new LineIndexBuilder(`${fileId}:kubelet`, (blk) => blocks.push(blk), blockLines);
  for (let i = 0; i < n; i++) b.add(T0 + i * 1e6, i * 100, 99, i % 7 === 0 ? 5 : 3, false);
  b.flush();
  await db().blocks.bulkPut(blocks.map((blk) => ({ ...blk, bundleId })));
  if (outline) {
    const o = new OutlineBuilder(`${fileId}:kubelet`);
    for (const blk of blocks) o.add(blk);
    await db().outlines.put({ ...o.finish(), bundleId });
  }
  const result: EntryResult = {
    path: `${fileId}.log`, format: 'klog', detectedFormat: 'klog', detectionScore: 1, status: 'done', bytes: n * 100, digest: 'd',
    lines: n, anchors: local ? [{ utcUs: T0 - 8 * 3600e6, localAsUtcUs: T0 }] : [], parsedZoneOffsetMin: 0, parsedYear: 2023, extrasSourceId: `${fileId}:kubelet`, metrics: [], goroutines: 0, events: 0, notes: [], errors: [], timings: { readMs: 0, storeMs: 0, parseMs: 0 },
    sources: [{ id: `${fileId}:kubelet`, origin: 'kubelet', lines: n, records: n, firstTs: T0, lastTs: T0 + (n - 1) * 1e6, localStamped: local ? n : 0, absoluteStamped: local ? 0 : n, relativeStamped: 0, levelCounts: b.levelCounts, blocks: b.blockMeta }],
  };
  const entry: ParsedEntry = { fileId, result, rawKey: 'pack', rawOffset: 0, size: n * 100, formatChosenByUser: false, yearSource: 'file-date' };
  await db().entries.put({ ...entry, bundleId, input: result.path });
}

beforeEach(async () => {
  await db().delete();
  await db().open();
});

describe('store', () => {
  it('answers a window query from the blocks it overlaps, with level filter and time order', async () => {
    await db().bundles.put(bundle('b1'));
    await storeFile('b1', 'f1', 5000, false);
    await realign('b1');
    const lines = await queryWindow('b1', { from: T0 + 1500e6, to: T0 + 1509e6 });
    expect(lines.map((l) => l.offset)).toEqual([...Array(10).keys()].map((i) => (1500 + i) * 100));
    const errors = await queryWindow('b1', { from: T0, to: T0 + 100e6, minLevel: 5 });
    expect(errors.every((l) => l.level === 5)).toBe(true);
    expect(errors.length).toBe(15);
  });

  it('merges sources in time order (ties by source, then file order) and stops at the limit', async () => {
    await db().bundles.put(bundle('b9'));
    await storeFile('b9', 'fa', 3000, false);
    await storeFile('b9', 'fb', 3000, false);
    // A third source written out of order (a file whose stamps go back in time).
    const blocks: LineBlock[] = [];
    const b = new LineIndexBuilder('fc:kubelet', (blk) => blocks.push(blk), 500);
    const order = [...Array(2000).keys()].map((i) => (i * 7919) % 2000);
    order.forEach((k, i) => b.add(T0 + k * 1.5e6, i * 10, 9, 3, false));
    b.flush();
    await db().blocks.bulkPut(blocks.map((blk) => ({ ...blk, bundleId: 'b9' })));
    await realign('b9');
    const src = await db().sources.get('fa:kubelet');
    await db().sources.put({ ...src!, id: 'fc:kubelet', fileId: 'fc', blocks: b.blockMeta, lines: 2000, records: 2000, firstTs: T0, lastTs: T0 + 1999 * 1.5e6 });
    const all = await queryWindow('b9', { from: T0 + 100e6, to: T0 + 1200e6, limit: 1e9 });
    const naive = [...all].sort((x, y) => x.ts - y.ts || (x.sourceId < y.sourceId ? -1 : x.sourceId > y.sourceId ? 1 : x.offset - y.offset));
    expect(all).toEqual(naive);
    // fa and fb: one line a second; fc: one every 1.5 s (k = 67..800).
    expect(all).toHaveLength(1101 * 2 + 734);
    expect(new Set(all.map((l) => l.sourceId))).toEqual(new Set(['fa:kubelet', 'fb:kubelet', 'fc:kubelet']));
    const first = await queryWindow('b9', { from: T0 + 100e6, to: T0 + 1200e6, limit: 50 });
    expect(first).toEqual(naive.slice(0, 50));
  });

  it('re-aligns a local-time source when the zone changes, without touching the blocks', async () => {
    await db().bundles.put(bundle('b2'));
    await storeFile('b2', 'f2', 100, true);
    await realign('b2');
    let d = await bundleDetail('b2');
    const s = d!.sources[0]!;
    expect(d!.bundle.zoneOffsetMin).toBe(480);
    expect(s.time.basis).toBe('local');
    // Parsed as UTC wall time, the bundle's zone is +08:00: the lines move 8 h earlier.
    const first = await queryWindow('b2', { from: T0 - 8 * 3600e6, to: T0 - 8 * 3600e6 });
    expect(first).toHaveLength(1);
    await setSourceTime(s.id, { zoneOffsetMin: 0, clockOffsetUs: 2e6 });
    const moved = await queryWindow('b2', { from: T0 + 2e6, to: T0 + 2e6 });
    expect(moved).toHaveLength(1);
    expect(moved[0]!.offset).toBe(0);
    // A later realign (e.g. after a re-parse) keeps the user's choices.
    await realign('b2');
    d = await bundleDetail('b2');
    expect(d!.sources[0]!.clockOffsetUs).toBe(2e6);
    expect(d!.sources[0]!.zoneOffsetMin).toBe(0);
  });

  it('deletes one bundle and nothing of another', async () => {
    await db().bundles.bulkPut([bundle('keep'), bundle('drop')]);
    await storeFile('keep', 'k1', 3000, false);
    await storeFile('drop', 'd1', 3000, false, 1000, true);
    await realign('keep');
    await realign('drop');
    await deleteBundle('drop');
    expect(await bundleDetail('drop')).toBeNull();
    expect(await db().blocks.where('bundleId').equals('drop').count()).toBe(0);
    expect(await db().outlines.where('bundleId').equals('drop').count()).toBe(0);
    expect((await queryWindow('keep', { from: T0, to: T0 + 1e12, limit: 1e6 })).length).toBe(3000);
  });

  it('draws a source from its outline as its blocks would draw it, before and after a zone change', async () => {
    await db().bundles.put(bundle('b3'));
    await storeFile('b3', 'big', 20_000, true, 1000, true);
    await storeFile('b3', 'small', 700, false);
    await realign('b3');
    const fromBlocks = async () => {
      const outlines = await db().outlines.toArray();
      expect(outlines.map((o) => o.sourceId)).toEqual(['big:kubelet']);
      await db().outlines.clear();
      const t = await timelineData('b3');
      await db().outlines.bulkPut(outlines);
      return t!;
    };
    for (const zone of [null, -300]) {
      if (zone !== null) await setSourceTime('big:kubelet', { zoneOffsetMin: zone, clockOffsetUs: 1.5e6 });
      const [got, exact] = [(await timelineData('b3'))!, await fromBlocks()];
      expect(got.extent).toEqual(exact.extent);
      expect(Array.from(got.errors.ts)).toEqual(Array.from(exact.errors.ts));
      expect(Array.from(got.errors.offset)).toEqual(Array.from(exact.errors.offset));
      expect(Array.from(got.errors.lane)).toEqual(Array.from(exact.errors.lane));
      // One line a second on a grid of 20,000 s in 16,384 buckets: the outline's buckets (half a
      // grid bucket at most) place each second where its stamp falls, at most one bucket off.
      got.lanes.forEach((lane, i) => {
        const want = exact.lanes[i]!.pyramid;
        expect(lane.pyramid.total).toBe(want.total);
        const coarse = lane.pyramid.levels.length - 1;
        const diff = lane.pyramid.levels[coarse]!.reduce((sum, n, k) => sum + Math.abs(n - want.levels[coarse]![k]!), 0);
        expect(diff).toBeLessThanOrEqual(2 * 4 * 2);
      });
    }
  });

  it('marks bundles left ingesting by a closed tab as incomplete', async () => {
    await db().bundles.bulkPut([bundle('stuck', 'ingesting'), bundle('fine')]);
    expect(await markInterruptedBundles(null)).toBe(1);
    expect((await db().bundles.get('stuck'))!.status).toBe('incomplete');
    expect((await db().bundles.get('fine'))!.status).toBe('ready');
  });
});
