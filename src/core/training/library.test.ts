import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../scenarios';
import { briefing, trainingOptions, trainingScenarios } from './library';

function bundleHash(scenario: (typeof trainingScenarios)[number]['id'], seed: number): string {
  const h = createHash('sha256');
  for (const f of buildScenario(trainingOptions(scenario, seed)).files) {
    h.update(f.path);
    for (const c of f.chunks()) h.update(c);
  }
  return h.digest('hex');
}

describe('training library', () => {
  it('holds the reference incident, a healthy node and every other shipped pattern', () => {
    expect(trainingScenarios.map((s) => s.id).sort()).toEqual(['cri-lock-contention', 'disk-pressure-eviction', 'healthy', 'io-storm-umount-bbolt', 'pleg-slow-relist', 'runtime-down', 'shim-umount-hung', 'container-oom-killed', 'node-memory-exhausted', 'cni-sandbox-failure', 'api-server-unreachable'].sort());
  });

  it('same seed → same bundle bytes; another seed → different bytes', { timeout: 60_000 }, () => {
    const a = bundleHash('io-storm-umount-bbolt', 4711);
    expect(bundleHash('io-storm-umount-bbolt', 4711)).toBe(a);
    expect(bundleHash('io-storm-umount-bbolt', 4712)).not.toBe(a);
  });

  it('seeds vary zone, skew and noise, and the briefing names different nodes and times', () => {
    const opts = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => trainingOptions('cri-lock-contention', s));
    expect(new Set(opts.map((o) => o.zoneOffsetMin)).size).toBeGreaterThan(2);
    expect(new Set(opts.map((o) => o.noise)).size).toBeGreaterThan(4);
    expect(opts.every((o) => (o.noise ?? 0) > 0)).toBe(true);
    expect(trainingOptions('cri-lock-contention', 3)).toEqual(trainingOptions('cri-lock-contention', 3));
    for (const s of trainingScenarios) {
      const one = briefing(s.id, 10);
      expect(one).toBe(briefing(s.id, 10));
      expect(one).not.toBe(briefing(s.id, 11));
      expect(one).toMatch(/\d\d:\d\d \(UTC[+-]\d\d:\d\d/);
    }
  });
});
