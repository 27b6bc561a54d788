// End to end: generated bundles (seeds, zones, clock skews, noise) → parse like the CLI → detectors
// → chains. The reference incident must win with ≥ 0.8 and cite the right evidence; healthy nodes
// must not reach 0.5; each other pattern must win its own scenario.

import { describe, expect, it } from 'vitest';
import { parseAndAnalyze } from '../analyze';
import type { Evidence } from '../analysis/types';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioOptions } from '../scenarios';
import { materialize } from '../scenarios/test-helpers';
import type { Chain } from './types';

const MB = 1_048_576;
const SEC = 1_000_000;

async function chainsOf(o: ScenarioOptions) {
  const g = generateScenario(o);
  const r = await parseAndAnalyze([...materialize(g)].map(([path, text]) => memInput(path, enc(text))));
  return { truth: g.truth, chains: r.result?.chains ?? [] };
}

const stepEvidence = (c: Chain | undefined, id: string): Evidence[] => c?.steps.find((s) => s.id === id)?.evidence ?? [];
const goroutines = (es: Evidence[]): number[] => es.flatMap((e) => (e.kind === 'goroutine' ? [e.goroutine] : []));

const incidents: ScenarioOptions[] = [
  { scenario: 'io-storm-umount-bbolt', seed: 5, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC, noise: 0 },
  { scenario: 'io-storm-umount-bbolt', seed: 33, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -90 * SEC, noise: 1 },
  { scenario: 'io-storm-umount-bbolt', seed: 71, targetBytes: 4 * MB, zoneOffsetMin: 480, skewUs: 0, noise: 0.5 },
  { scenario: 'io-storm-umount-bbolt', seed: 118, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 30 * SEC, noise: 0.3, plegGapSec: 210 },
];

describe.each(incidents)('incident seed $seed, zone $zoneOffsetMin, skew $skewUs, noise $noise', (o) => {
  it('ranks io-storm-umount-bbolt first with ≥ 0.8, covering the relist gap and citing the evidence', { timeout: 60_000 }, async () => {
    const { truth, chains } = await chainsOf(o);
    const top = chains[0];
    expect(top?.patternId).toBe('io-storm-umount-bbolt');
    expect(top?.confidence).toBeGreaterThanOrEqual(0.8);
    for (const other of chains.slice(1)) expect(other.confidence).toBeLessThan(0.5);
    const gap = truth.plegGap!;
    expect(top!.from).toBeLessThanOrEqual(gap.fromUs + SEC);
    expect(top!.to).toBeGreaterThanOrEqual(gap.toUs - SEC);

    // The relist lines around the stall.
    const relist = stepEvidence(top, 'relist-stall').flatMap((e) => (e.kind === 'line' ? [e.ts] : []));
    expect(relist.some((ts) => Math.abs(ts - gap.fromUs) < SEC)).toBe(true);
    // The goroutines of INCIDENT.md: holder, waiter, status readers, exit handler, shim Delete.
    expect(goroutines(stepEvidence(top, 'bbolt-holder'))).toContain(truth.lockHolderGoroutine);
    expect(goroutines(stepEvidence(top, 'bbolt-wait'))).toContain(truth.lockWaiterGoroutine);
    expect(goroutines(stepEvidence(top, 'status-wait')).some((g) => truth.statusWaiterGoroutines.includes(g))).toBe(true);
    expect(goroutines(stepEvidence(top, 'exit-delete-wait'))).toContain(truth.exitHandlerGoroutine);
    expect(goroutines(stepEvidence(top, 'shim-umount'))).toContain(truth.shimDeleteGoroutine);
    // The IO window over the storm.
    const io = stepEvidence(top, 'io-window').flatMap((e) => (e.kind === 'metric' ? [e] : []));
    expect(io.length).toBeGreaterThan(0);
    expect(io.some((m) => m.from <= truth.ioPressure!.toUs && m.to >= truth.ioPressure!.fromUs)).toBe(true);
    expect(top!.steps.every((s) => s.findingIds.length > 0 || !s.required)).toBe(true);
  });
});

const healthy: ScenarioOptions[] = [
  { scenario: 'healthy', seed: 9, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: -90 * SEC, noise: 1 },
  { scenario: 'healthy', seed: 64, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: 90 * SEC, noise: 0 },
  { scenario: 'healthy', seed: 201, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 0.6 },
];

describe.each(healthy)('healthy seed $seed, noise $noise', (o) => {
  it('raises no chain to 0.5', { timeout: 60_000 }, async () => {
    const { chains } = await chainsOf(o);
    for (const c of chains) expect(c.confidence, c.patternId).toBeLessThan(0.5);
  });
});

const variants: ScenarioOptions[] = (['pleg-slow-relist', 'shim-umount-hung', 'cri-lock-contention', 'runtime-down', 'disk-pressure-eviction', 'container-oom-killed', 'node-memory-exhausted', 'cni-sandbox-failure', 'api-server-unreachable'] as const).flatMap((scenario, i) => [
  { scenario, seed: 11 + i, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC, noise: 0.4 },
  { scenario, seed: 140 + 7 * i, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -60 * SEC, noise: 1 },
]);

describe.each(variants)('$scenario seed $seed, noise $noise', (o) => {
  it('is won by its own pattern, over the fault window', { timeout: 60_000 }, async () => {
    const { truth, chains } = await chainsOf(o);
    const top = chains[0];
    expect(top?.patternId).toBe(o.scenario);
    expect(top?.confidence).toBeGreaterThanOrEqual(0.6);
    for (const other of chains.slice(1)) expect(other.confidence, other.patternId).toBeLessThan(0.5);
    const w = truth.chainWindow!;
    expect(top!.from).toBeLessThanOrEqual(w.toUs);
    expect(top!.to).toBeGreaterThanOrEqual(w.fromUs);
  });
});
