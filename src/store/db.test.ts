import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';

describe('schema upgrades', () => {
  it('opens a version-1 database as version 2 with every row kept and the new tables empty', async () => {
    const name = `upgrade-${Math.random()}`;
    // A database exactly as version 1 of the app created it.
    const v1 = new Dexie(name);
    v1.version(1).stores({
      bundles: 'id, fingerprint, probeKey, createdAt, status',
      files: 'id, bundleId',
      sources: 'id, bundleId, fileId',
      blocks: '[sourceId+block], bundleId, sourceId',
      metrics: '[sourceId+series], bundleId, sourceId',
      entries: 'fileId, bundleId',
      dumps: 'id, bundleId, fileId, sourceId',
      events: 'id, bundleId, fileId, sourceId, kind',
    });
    await v1.table('bundles').put({ id: 'b1', name: 'node-a', status: 'ready', fingerprint: 'f', probeKey: 'p', createdAt: 1 });
    await v1.table('blocks').put({ sourceId: 'f1:kubelet', block: 0, bundleId: 'b1', ts: new Float64Array([1, 2]) });
    v1.close();

    const v2 = openDb(name);
    await v2.open();
    expect(v2.verno).toBe(3);
    expect(await v2.bundles.get('b1')).toMatchObject({ name: 'node-a' });
    const block = await v2.blocks.get(['f1:kubelet', 0]);
    expect(Array.from(block!.ts)).toEqual([1, 2]);
    expect(await v2.notes.count()).toBe(0);
    await v2.notes.put({ id: 'n1', bundleId: 'b1', target: { kind: 'range', from: 1, to: 2 }, text: 'here', createdAt: 3 });
    expect(await v2.notes.where('bundleId').equals('b1').count()).toBe(1);
    v2.close();
    await Dexie.delete(name);
  });

  it('opens a version-2 database as version 3 with notes kept and an empty attempts table', async () => {
    const name = `upgrade-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores({
      bundles: 'id, fingerprint, probeKey, createdAt, status',
      files: 'id, bundleId',
      sources: 'id, bundleId, fileId',
      blocks: '[sourceId+block], bundleId, sourceId',
      metrics: '[sourceId+series], bundleId, sourceId',
      entries: 'fileId, bundleId',
      dumps: 'id, bundleId, fileId, sourceId',
      events: 'id, bundleId, fileId, sourceId, kind',
    });
    v2.version(2).stores({ notes: 'id, bundleId, createdAt', patterns: 'id, updatedAt' });
    await v2.table('notes').put({ id: 'n1', bundleId: 'b1', target: { kind: 'range', from: 1, to: 2 }, text: 'kept', createdAt: 3 });
    v2.close();

    const v3 = openDb(name);
    await v3.open();
    expect(v3.verno).toBe(3);
    expect(await v3.notes.get('n1')).toMatchObject({ text: 'kept' });
    expect(await v3.attempts.count()).toBe(0);
    await v3.attempts.put({
      id: 'a1', scenario: 'healthy', seed: 7, bundleId: 'b1', pins: [], remedy: 'none', hints: [], elapsedSec: 60, createdAt: 5,
      score: { total: 100, roles: [], remedy: { points: 20, max: 20, feedback: 'right remedy' }, hintPenalty: 0, timePenalty: 0 },
    });
    expect((await v3.attempts.where('scenario').equals('healthy').toArray()).map((a) => a.score.total)).toEqual([100]);
    v3.close();
    await Dexie.delete(name);
  });
});
