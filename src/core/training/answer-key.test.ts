import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../scenarios';
import { hintFor, keyRoles, NO_FAULT, type KeyEvidence } from './answer-key';
import { keyOf } from './test-helpers';

const goroutinesOf = (es: KeyEvidence[]) => es.flatMap((e) => (e.kind === 'goroutine' ? [e.goroutine] : []));

describe('answer key of the reference incident', () => {
  it.each([3, 808])('seed %i: cites the goroutines, relist lines and IO window that truth names', { timeout: 60_000 }, async (seed) => {
    const { key, truth } = await keyOf('io-storm-umount-bbolt', seed);
    expect(key.patternId).toBe('io-storm-umount-bbolt');
    expect(keyRoles(key)).toEqual(['symptom', 'blocked-call', 'lock-holder', 'resource', 'root-cause']);
    const step = (id: string) => key.steps.find((s) => s.id === id)!;
    expect(goroutinesOf(step('bbolt-holder').evidence)).toContain(truth.lockHolderGoroutine);
    expect(goroutinesOf(step('bbolt-wait').evidence)).toContain(truth.lockWaiterGoroutine);
    expect(goroutinesOf(step('shim-umount').evidence)).toContain(truth.shimDeleteGoroutine);
    for (const e of step('bbolt-holder').evidence) expect(e).toMatchObject({ kind: 'goroutine', process: expect.stringContaining('containerd') });
    const relist = step('relist-stall').evidence.flatMap((e) => (e.kind === 'line' ? [e] : []));
    expect(relist.some((e) => Math.abs(e.ts - truth.plegGap!.fromUs) < 1_000_000 && e.path === truth.paths.kubelet)).toBe(true);
    expect(relist.every((e) => e.offset >= 0 && e.signal)).toBe(true);
    const io = step('io-window');
    expect(io.evidence.some((e) => e.kind === 'window' && e.from <= truth.ioPressure!.toUs && e.to >= truth.ioPressure!.fromUs)).toBe(true);
    // A hint names where to look, never the answer's offset.
    expect(hintFor(key, 'lock-holder')).toContain('containerd.');
  });
});

describe.each(['pleg-slow-relist', 'shim-umount-hung', 'cri-lock-contention', 'runtime-down', 'disk-pressure-eviction', 'container-oom-killed', 'node-memory-exhausted', 'cni-sandbox-failure', 'api-server-unreachable'] as ScenarioName[])('answer key of %s', (scenario) => {
  it('is its own pattern\'s chain over the fault window', { timeout: 60_000 }, async () => {
    const { key, truth } = await keyOf(scenario, 41);
    expect(key.patternId).toBe(scenario);
    expect(key.steps.length).toBeGreaterThan(0);
    const w = truth.chainWindow!;
    const from = Math.min(...key.steps.map((s) => s.window!.from));
    const to = Math.max(...key.steps.map((s) => s.window!.to));
    expect(from).toBeLessThanOrEqual(w.toUs);
    expect(to).toBeGreaterThanOrEqual(w.fromUs);
    if (scenario === 'shim-umount-hung') expect(goroutinesOf(key.steps.flatMap((s) => s.evidence))).toContain(truth.shimDeleteGoroutine);
    if (scenario === 'cri-lock-contention') expect(goroutinesOf(key.steps.find((s) => s.role === 'lock-holder')!.evidence).length).toBeGreaterThan(0);
  });
});

it('a healthy node has an empty key whose remedy is "no fault"', { timeout: 60_000 }, async () => {
  const { key } = await keyOf('healthy', 41);
  expect(key).toMatchObject({ patternId: null, remedy: NO_FAULT, steps: [] });
});
