// End to end over generated bundles: parse like the CLI, run the detectors, compare with `truth`.

import { describe, expect, it } from 'vitest';
import type { ScenarioOptions } from '../scenarios';
import type { Finding } from './types';
import { analyzeScenario } from './test-helpers';

const MB = 1_048_576;
const SEC = 1e6;

const analyze = analyzeScenario;

const of = (fs: Finding[], kind: string) => fs.filter((f) => f.kind === kind);
const ids = (f: Finding | undefined) => String(f?.facts.goroutines ?? '').split(',').map(Number);
const overlaps = (f: { from: number; to: number }, w: { fromUs: number; toUs: number }) => f.from <= w.toUs && f.to >= w.fromUs;

const incidents: ScenarioOptions[] = [
  { scenario: 'io-storm-umount-bbolt', seed: 3, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC },
  { scenario: 'io-storm-umount-bbolt', seed: 21, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -90 * SEC },
  { scenario: 'io-storm-umount-bbolt', seed: 58, targetBytes: 4 * MB, zoneOffsetMin: 480, skewUs: 0 },
  { scenario: 'io-storm-umount-bbolt', seed: 104, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 45 * SEC, plegGapSec: 200 },
];

describe.each(incidents)('incident seed $seed, zone $zoneOffsetMin, skew $skewUs', (o) => {
  it('finds every link of the reference chain where truth puts it', { timeout: 60_000 }, async () => {
    const { truth, findings } = await analyze(o);

    // Symptom: the relist gap, exactly between the two relist lines around the stall.
    const gap = of(findings, 'relist-gap').find((f) => f.severity === 'error');
    expect(gap, 'relist gap').toBeDefined();
    expect(Math.abs(gap!.from - truth.plegGap!.fromUs)).toBeLessThan(SEC / 10);
    expect(Math.abs(gap!.to - truth.plegGap!.toUs)).toBeLessThan(SEC / 10);
    expect(of(findings, 'relist-gap').filter((f) => f.severity === 'error')).toHaveLength(1);
    if (truth.plegUnhealthyLines > 0) expect(of(findings, 'not-healthy').length).toBeGreaterThan(0);

    // Lock chain: ListContainers → status lock held by UpdateContainerResources → bbolt *DB held by an fsync.
    const holder = of(findings, 'bbolt-fsync-holder')[0];
    expect(ids(holder)).toEqual([truth.lockHolderGoroutine]);
    expect(ids(of(findings, 'cri-update-wait')[0])).toContain(truth.lockWaiterGoroutine);
    expect(ids(of(findings, 'cri-list-wait')[0]).sort()).toEqual([...truth.statusWaiterGoroutines].sort());
    const dbLink = of(findings, 'lock-link').find((f) => f.facts.holder === truth.lockHolderGoroutine);
    expect(dbLink?.facts.pointer).toBe(truth.dbPointer);
    const dbWaiters = String(dbLink?.facts.waiterIds).split(',').map(Number);
    for (const w of [truth.lockWaiterGoroutine!, ...truth.bboltWaiterGoroutines]) expect(dbWaiters).toContain(w);
    const statusLink = of(findings, 'lock-link').find((f) => f.facts.holder === truth.lockWaiterGoroutine);
    expect(statusLink?.facts.pointer).toBe(truth.statusPointer);
    expect(String(statusLink?.facts.waiterIds).split(',').map(Number).sort()).toEqual([...truth.statusWaiterGoroutines].sort());
    expect(of(findings, 'deadlock')).toHaveLength(0);

    // Shim side: the exit handler waits for Delete, the shim is stuck in umount, the kernel says why.
    expect(ids(of(findings, 'ttrpc-delete-wait')[0])).toContain(truth.exitHandlerGoroutine);
    expect(ids(of(findings, 'shim-unmount')[0])).toContain(truth.shimDeleteGoroutine);
    // The shim's stacks file carries no capture time: it is placed with containerd's dump (same SIGUSR1 round).
    expect(Math.abs(of(findings, 'shim-unmount')[0]!.to - truth.containerdDump.takenAtUs)).toBeLessThan(SEC);
    expect(Math.abs(of(findings, 'bbolt-fsync-holder')[0]!.to - truth.containerdDump.takenAtUs)).toBeLessThan(SEC);
    const hung = of(findings, 'hung-task')[0];
    expect(hung?.facts.overlaySync).toBe(true);
    expect(Math.abs(hung!.to - truth.hungTask!.atUs)).toBeLessThan(2 * SEC);

    // Root cause: disk saturation overlapping the stall, and the pull storm.
    const io = of(findings, 'io-window').filter((f) => overlaps(f, truth.plegGap!));
    expect(io.length, 'an IO window over the relist gap').toBeGreaterThan(0);
    expect(io.some((f) => overlaps(f, truth.ioPressure!) && Number(f.facts.sources) >= 2)).toBe(true);
    const storm = of(findings, 'pull-storm').filter((f) => overlaps(f, truth.ioPressure!));
    expect(storm.length).toBeGreaterThan(0);
    expect(Number(storm[0]!.facts.maxConcurrent)).toBeGreaterThanOrEqual(3);
    const pulls = of(findings, 'pull');
    expect(pulls).toHaveLength(truth.imagePulls.length);
    for (const p of truth.imagePulls) {
      expect(pulls.some((f) => f.facts.image === p.image && Math.abs(f.from - p.startUs) < SEC / 100 && Math.abs(f.to - p.endUs) < SEC / 100), p.image).toBe(true);
    }

    // Runtime errors, counted like truth counts their lines.
    const exits = of(findings, 'taskexit-failed').reduce((n, f) => n + Number(f.facts.count), 0);
    expect(exits).toBe(truth.taskExitErrors);
    for (const t of truth.taskExits) expect(of(findings, 'taskexit-failed').some((f) => f.facts.containerId === t.containerId)).toBe(true);
    const stops = of(findings, 'cri-deadline').filter((f) => f.facts.call === 'StopContainer' && f.facts.origin === 'kubelet');
    expect(stops.reduce((n, f) => n + Number(f.facts.count), 0)).toBe(truth.stopContainerErrors);
  });
});

describe.each([
  { scenario: 'healthy', seed: 5, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: -90 * SEC },
  { scenario: 'healthy', seed: 77, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: 90 * SEC },
] as ScenarioOptions[])('healthy control seed $seed', (o) => {
  it('raises no error-severity finding and no relist gap', { timeout: 60_000 }, async () => {
    const { findings, truth } = await analyze(o);
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.title)).toEqual([]);
    expect(of(findings, 'relist-gap').filter((f) => Number(f.facts.gapSec) >= 10)).toEqual([]);
    expect(of(findings, 'pull')).toHaveLength(truth.imagePulls.length);
  });
});
