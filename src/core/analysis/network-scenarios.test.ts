// The network detector over generated bundles: the CNI variant (seeds pick the plugin and its
// fault, kubelet's wording, zone, skew, noise) shows its sandbox failures over the fault window;
// every other scenario shows no network finding beyond kubelet's start-up.

import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../scenarios';
import { analyzeScenario } from './test-helpers';

const MB = 1_048_576;
const SEC = 1e6;

const analyze = analyzeScenario;

describe('network findings of the CNI variant', () => {
  const plugins = new Set<unknown>();
  it.each([1, 3, 4, 5, 8, 12].map((seed, i) => ({ scenario: 'cni-sandbox-failure' as const, seed, targetBytes: 2 * MB, zoneOffsetMin: [330, -420, 0, 600, 60, -300][i]!, skewUs: (i - 2) * 30 * SEC, noise: (i % 3) / 2 })))('seed $seed, zone $zoneOffsetMin, noise $noise', { timeout: 60_000 }, async (o) => {
    const { truth, findings } = await analyze(o);
    const w = truth.chainWindow!;
    const failures = findings.filter((f) => f.detector === 'network' && f.kind === 'sandbox-failure');
    expect(failures).toHaveLength(1);
    const [f] = failures;
    expect(f!.from <= w.toUs && f!.to >= w.fromUs).toBe(true);
    expect(f!.facts.pods).toBeGreaterThanOrEqual(2);
    expect(f!.facts.cause).not.toBe('other');
    expect(f!.facts.plugin).not.toBe('unknown');
    plugins.add(f!.facts.plugin);
    // Nothing of the fault is counted as the runtime down.
    expect(findings.filter((x) => x.kind === 'runtime-unavailable' || x.kind === 'runtime-restart')).toHaveLength(0);
  });
  it('covers several plugins', () => expect(plugins.size).toBeGreaterThanOrEqual(3));
});

describe.each(['healthy', 'io-storm-umount-bbolt', 'runtime-down', 'disk-pressure-eviction', 'cri-lock-contention', 'node-memory-exhausted'] as ScenarioName[])('%s', (scenario) => {
  it('has no network finding beyond start-up', { timeout: 60_000 }, async () => {
    const { findings } = await analyze({ scenario, seed: 21, targetBytes: 2 * MB, zoneOffsetMin: 60, skewUs: 0, noise: 1 });
    expect(findings.filter((f) => f.detector === 'network' && f.facts.startup !== true)).toHaveLength(0);
  });
});
