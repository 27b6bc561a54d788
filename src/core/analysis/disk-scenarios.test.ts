// The disk detector over generated bundles: the disk-pressure variant (seeds pick the pod that fills
// the disk, the kubelet's wording, zone, skew, noise and size) must show every part of the incident
// where truth puts it; the reference incident and healthy nodes must show none.

import { describe, expect, it } from 'vitest';
import type { ScenarioOptions } from '../scenarios';
import type { Finding, LineSignal } from './types';
import { analyzeScenario } from './test-helpers';

const MB = 1_048_576;
const SEC = 1e6;

const analyze = analyzeScenario;

const of = (fs: Finding[], kind: string) => fs.filter((f) => f.detector === 'disk' && f.kind === kind);
const overlaps = (f: Finding, w: { fromUs: number; toUs: number }, slackUs = 0) => f.from <= w.toUs + slackUs && f.to >= w.fromUs - slackUs;

const variants: ScenarioOptions[] = [
  { scenario: 'disk-pressure-eviction', seed: 11, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC, noise: 0.5 },
  { scenario: 'disk-pressure-eviction', seed: 12, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -60 * SEC, noise: 1 },
  { scenario: 'disk-pressure-eviction', seed: 13, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 0 },
  { scenario: 'disk-pressure-eviction', seed: 91, targetBytes: 4 * MB, zoneOffsetMin: 600, skewUs: 30 * SEC, noise: 0.8 },
];

describe('disk findings of the disk-pressure variant', () => {
  const resources = new Set<unknown>();
  it.each(variants)('seed $seed, zone $zoneOffsetMin, noise $noise', { timeout: 60_000 }, async (o) => {
    const { truth, findings, input } = await analyze(o);
    const w = truth.chainWindow!;
    const [pressure, ...more] = of(findings, 'disk-pressure');
    expect(more).toHaveLength(0);
    expect(overlaps(pressure!, w)).toBe(true);
    expect(pressure!.facts).toMatchObject({ condition: true, recovered: true, mustEvict: true });
    resources.add(pressure!.facts.resource);

    // The first pod evicted is the one the eviction message says used the most: the pod that filled the disk.
    const [eviction] = of(findings, 'disk-eviction');
    expect(overlaps(eviction!, w, 60 * SEC)).toBe(true);
    expect(eviction!.facts.evicted).toBeGreaterThanOrEqual(1);
    const biggest = of(findings, 'disk-consumer').sort((a, b) => Number(b.facts.bytes) - Number(a.facts.bytes))[0];
    expect(biggest!.facts.bytes).toBeGreaterThanOrEqual(12 * 2 ** 30);
    expect(eviction!.facts.pod).toBe(biggest!.facts.pod);

    // Container creation fails on both sides, under containerd's directory.
    const create = of(findings, 'no-space').filter((f) => f.facts.op === 'create');
    expect(create.map((f) => f.facts.origin).sort()).toEqual(['containerd', 'kubelet']);
    for (const f of create) expect(f.facts.path).toBe('/var/lib/containerd');
    const gc = of(findings, 'gc-failed');
    expect(gc.length).toBeGreaterThan(0);
    expect(gc.some((f) => f.facts.repeated === true)).toBe(true);

    // Pulls failing for space are image-pulls' finding, never counted again here.
    const byLine = new Map<string, LineSignal>(input.signals.map((s) => [`${s.fileId}:${s.line}`, s]));
    const cited = of(findings, 'no-space').flatMap((f) => f.evidence.map((e) => (e.kind === 'line' ? byLine.get(`${e.fileId}:${e.line}`)?.text ?? '' : '')));
    expect(cited.every((t) => t !== '' && !/PullImage|[Ff]ailed to pull/.test(t))).toBe(true);
    const pulls = findings.filter((f) => f.kind === 'pull-failed' && String(f.facts.reason).includes('no space'));
    for (const p of pulls) expect(overlaps(p, w, 120 * SEC)).toBe(true);
  });

  it('the seeds cover old (nodefs) and new (ephemeral-storage) kubelet wording', () => {
    expect([...resources].sort()).toEqual(['ephemeral-storage', 'nodefs']);
  });
});

const clean: ScenarioOptions[] = [
  { scenario: 'healthy', seed: 9, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: -90 * SEC, noise: 1 },
  { scenario: 'healthy', seed: 64, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: 0, noise: 0.5 },
  { scenario: 'io-storm-umount-bbolt', seed: 5, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 1 },
  { scenario: 'pleg-slow-relist', seed: 29, targetBytes: 2 * MB, zoneOffsetMin: 60, skewUs: 0, noise: 1 },
];

describe.each(clean)('$scenario seed $seed (noise $noise)', (o) => {
  it('has no disk finding', { timeout: 60_000 }, async () => {
    const { findings } = await analyze(o);
    expect(findings.filter((f) => f.detector === 'disk').map((f) => f.title)).toEqual([]);
  });
});
