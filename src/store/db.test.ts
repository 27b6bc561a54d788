import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { readDump } from './stored-dumps';

// Each earlier version's stores exactly as that version of the app declared them.
const V1_STORES = {
  bundles: 'id, fingerprint, probeKey, createdAt, status',
  files: 'id, bundleId',
  sources: 'id, bundleId, fileId',
  blocks: '[sourceId+block], bundleId, sourceId',
  metrics: '[sourceId+series], bundleId, sourceId',
  entries: 'fileId, bundleId',
  dumps: 'id, bundleId, fileId, sourceId',
  events: 'id, bundleId, fileId, sourceId, kind',
};
const V2_STORES = { notes: 'id, bundleId, createdAt', patterns: 'id, updatedAt' };

/** Representative rows of every version-1 table (typed arrays included: they must survive as such). */
const v1Rows: Record<string, Record<string, unknown>[]> = {
  bundles: [{ id: 'b1', name: 'node-a', status: 'ready', fingerprint: 'f', probeKey: 'p', createdAt: 1, zone: 0, inputsDone: ['node-a/kubelet.log'] }],
  files: [{ id: 'f1', bundleId: 'b1', path: 'node-a/kubelet.log', format: 'klog', rawKey: 'pack-1', rawOffset: 0, rawBytes: 120, errors: [], notes: [] }],
  sources: [{ id: 'f1:kubelet', bundleId: 'b1', fileId: 'f1', origin: 'kubelet', lines: 2, firstTs: 1, lastTs: 2, blocks: 1 }],
  blocks: [{ sourceId: 'f1:kubelet', block: 0, bundleId: 'b1', ts: new Float64Array([1, 2]), offset: new Float64Array([0, 60]), length: new Uint32Array([59, 59]), level: new Uint8Array([2, 130]) }],
  metrics: [{ sourceId: 'f2:psi', series: 'io.some.avg10', bundleId: 'b1', ts: new Float64Array([1]), values: new Float64Array([9.5]), basis: 'utc' }],
  entries: [{ fileId: 'f1', bundleId: 'b1', input: 'node-a/kubelet.log', sources: [], anchors: [] }],
  dumps: [{
    id: 'd1', bundleId: 'b1', fileId: 'f3', sourceId: 'f3:goroutines', process: 'containerd', pid: 1862, takenAt: 5, takenAtSource: 'log-line', basis: 'utc', truncated: false, line: 0,
    goroutines: [{
      id: 7, state: 'semacquire', waitMinutes: 12, lockedToThread: false, createdBy: 'main.run', createdByGoroutine: 1, stackKey: '00ff00ff00ff00ff', line: 1,
      frames: [{ fn: 'sync.runtime_SemacquireMutex', args: ['0xc000123450', '0x0', '0x1'], file: '/usr/local/go/src/runtime/sema.go', line: 77 }],
    }],
  }],
  events: [{ id: 'e1', bundleId: 'b1', fileId: 'f4', sourceId: 'f4:kernel', kind: 'hung-task', ts: 5, stack: ['io_schedule'] }],
};
const v2Rows: Record<string, Record<string, unknown>[]> = {
  notes: [{ id: 'n1', bundleId: 'b1', target: { kind: 'range', from: 1, to: 2 }, text: 'kept', createdAt: 3 }],
  patterns: [{ id: 'my-pattern', json: '{"id":"my-pattern"}', enabled: true, updatedAt: 4 }],
};

async function createAt(version: 1 | 2): Promise<string> {
  const name = `upgrade-v${version}-${Math.random()}`;
  const old = new Dexie(name);
  old.version(1).stores(V1_STORES);
  if (version === 2) old.version(2).stores(V2_STORES);
  const rows = version === 2 ? { ...v1Rows, ...v2Rows } : v1Rows;
  for (const [table, list] of Object.entries(rows)) await old.table(table).bulkPut(list);
  old.close();
  return name;
}

async function everyRow(db: Dexie, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await db.table(t).toArray();
  return out;
}

describe('schema upgrades to the current version', () => {
  it.each([1, 2] as const)('opens a version-%i database with every row kept and the later tables usable', async (version) => {
    const name = await createAt(version);
    const rows = version === 2 ? { ...v1Rows, ...v2Rows } : v1Rows;
    const db = openDb(name);
    await db.open();
    const fresh = openDb(`fresh-${Math.random()}`);
    await fresh.open();
    expect(db.verno).toBe(fresh.verno);
    expect(db.verno).toBeGreaterThan(version);
    fresh.close();
    await Dexie.delete(fresh.name);
    // Every row is kept; v5 stores the dumps' goroutines packed, and they read back the same.
    const { dumps: oldDumps, ...unchanged } = rows;
    expect(await everyRow(db, Object.keys(unchanged))).toEqual(unchanged);
    expect((await db.dumps.toArray()).map(readDump)).toEqual(oldDumps);
    const block = await db.blocks.get(['f1:kubelet', 0]);
    expect(block!.ts).toBeInstanceOf(Float64Array);
    expect(await db.blocks.where('bundleId').equals('b1').count()).toBe(1);
    // Tables added after that version start empty and take rows through their indexes.
    if (version === 1) {
      expect(await db.notes.count()).toBe(0);
      expect(await db.patterns.count()).toBe(0);
    }
    expect(await db.attempts.count()).toBe(0);
    expect(await db.rawBlobs.count()).toBe(0);
    // v5 built a head for every stored dump: the dump without its goroutines, counted.
    expect(await db.dumpHeads.where('bundleId').equals('b1').toArray()).toEqual([
      {
        id: 'd1', bundleId: 'b1', fileId: 'f3', sourceId: 'f3:goroutines', process: 'containerd', pid: 1862, takenAt: 5, takenAtSource: 'log-line', basis: 'utc', truncated: false, line: 0,
        goroutines: 1, waits: [{ state: 'semacquire', count: 1, minMinutes: 12, maxMinutes: 12 }],
      },
    ]);
    await db.rawBlobs.put({ key: 'blob-1', bundleId: 'b1', blob: new Blob(['raw bytes']) });
    expect(await db.rawBlobs.where('bundleId').equals('b1').primaryKeys()).toEqual(['blob-1']);
    await db.notes.put({ id: 'n2', bundleId: 'b1', target: { kind: 'range', from: 1, to: 2 }, text: 'new', createdAt: 9 });
    expect(await db.notes.where('bundleId').equals('b1').count()).toBe(version === 2 ? 2 : 1);
    await db.attempts.put({
      id: 'a1', scenario: 'healthy', seed: 7, bundleId: 'b1', pins: [], remedy: 'none', hints: [], elapsedSec: 60, createdAt: 5,
      score: { total: 100, roles: [], remedy: { points: 20, max: 20, feedback: 'right remedy' }, hintPenalty: 0, timePenalty: 0 },
    });
    expect((await db.attempts.where('scenario').equals('healthy').toArray()).map((a) => a.score.total)).toEqual([100]);
    db.close();
    await Dexie.delete(name);
  });
});
