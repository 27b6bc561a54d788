import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../core/model';
import { incidentDump } from '../core/goroutines/test-helpers';
import { db, type StoredDump } from './db';
import { dumpHead, dumpRow } from './stored-dumps';
import { listDumps, loadDump } from './goroutine-queries';
import { bundleDetail, setDumpTime } from './queries';

const bundle = { id: 'b1', name: 'node', fingerprint: '', probeKey: '', createdAt: 1, status: 'ready', totalBytes: 1, fileCount: 1, zoneOffsetMin: null, userZoneOffsetMin: null, userBootUs: null, bootUs: null, year: null, errors: [], inputsDone: [] } as Bundle;

/** A dump stored as the ingest stores it: packed row and head in one transaction. */
async function storeDump(dump: StoredDump): Promise<void> {
  const d = db();
  await d.transaction('rw', [d.dumps, d.dumpHeads], async () => {
    await d.dumps.put(dumpRow(dump));
    await d.dumpHeads.put(dumpHead(dump));
  });
}

describe('dump queries', () => {
  it('list heads without reading goroutines, load one dump whole, and re-time dump and head together', async () => {
    await db().bundles.put(bundle);
    const { goroutines } = incidentDump(11);
    const dump: StoredDump = {
      id: 'f1:d0', bundleId: 'b1', fileId: 'f1', sourceId: 'f1:goroutines', process: 'containerd', pid: 42,
      takenAt: 1_000, takenAtSource: 'file-time', basis: 'utc', truncated: false, line: 0, goroutines,
    };
    await storeDump(dump);

    const detail = await bundleDetail('b1');
    expect(detail!.dumps).toEqual([{ id: 'f1:d0', fileId: 'f1', process: 'containerd', pid: 42, takenAt: 1_000, takenAtSource: 'file-time', goroutines: goroutines.length }]);
    expect((await listDumps('b1')).map((d) => [d.id, d.goroutines])).toEqual([['f1:d0', goroutines.length]]);
    expect((await loadDump('b1', 'f1:d0'))!.goroutineList).toEqual(goroutines);

    await setDumpTime('f1', 5_000);
    expect((await bundleDetail('b1'))!.dumps[0]).toMatchObject({ takenAt: 5_000, takenAtSource: 'user' });
    expect((await loadDump('b1', 'f1:d0'))!).toMatchObject({ takenAt: 5_000, takenAtSource: 'user' });
    expect(await db().dumpHeads.get('f1:d0')).toMatchObject({ takenAt: 5_000, basis: 'utc', takenAtSource: 'user' });
  });
});
