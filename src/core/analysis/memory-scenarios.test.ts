// The memory detector over generated bundles (seeds, zones, skews, noise, sizes; cgroup v1 and v2
// layouts; old and new kubelet and containerd wordings). What it must find is read from the
// generated files themselves with plain patterns, not from this code's parsers: how many kills the
// kernel logged, which pod's cgroup, which process, the limit, the TaskOOM and back-off lines.

import { describe, expect, it } from 'vitest';
import type { ScenarioName, ScenarioOptions } from '../scenarios';
import type { Finding } from './types';
import { analyzeScenario } from './test-helpers';

const MB = 1_048_576;
const SEC = 1e6;

async function analyze(o: ScenarioOptions) {
  const { truth, files, findings } = await analyzeScenario(o);
  const memory = findings.filter((f) => f.detector === 'memory');
  return { truth, files, memory, text: (path: string) => files.get(path) ?? '' };
}

const of = (fs: Finding[], kind: string) => fs.filter((f) => f.kind === kind);
const overlaps = (f: Finding, w: { fromUs: number; toUs: number }, slackUs = 0) => f.from <= w.toUs + slackUs && f.to >= w.fromUs - slackUs;
const all = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);
const podUidOf = (path: string) => /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(path)![1]!.replace(/_/g, '-');

const containerRuns: ScenarioOptions[] = [
  { scenario: 'container-oom-killed', seed: 2, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC, noise: 0 },
  { scenario: 'container-oom-killed', seed: 19, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -60 * SEC, noise: 1 },
  { scenario: 'container-oom-killed', seed: 77, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 0.5 },
  { scenario: 'container-oom-killed', seed: 305, targetBytes: 5 * MB, zoneOffsetMin: 60, skewUs: 20 * SEC, noise: 0.3 },
];

describe('container-oom-killed bundles', () => {
  const layouts = new Set<string>();
  const wordings = new Set<string>();

  it.each(containerRuns)('seed $seed, zone $zoneOffsetMin, noise $noise: one story of memcg kills, TaskOOMs and back-offs of the same pod', { timeout: 60_000 }, async (o) => {
    const { truth, memory, text } = await analyze(o);
    const dmesg = text(truth.paths.dmesg);
    const killed = all(dmesg, /Memory cgroup out of memory: Killed process \d+ \(([^)]+)\)/g);
    const cgroups = all(dmesg, /task_memcg=([^,]+)/g);
    const uid = podUidOf(cgroups[0]!);
    layouts.add(cgroups[0]!.includes('.slice') ? 'systemd' : 'cgroupfs');
    const limitKb = Number(/memory: usage \d+kB, limit (\d+)kB/.exec(dmesg)![1]);

    const kills = of(memory, 'oom-kill');
    expect(kills).toHaveLength(1);
    expect(kills[0]!.facts).toMatchObject({ constraint: 'memcg', scope: 'container', process: killed[0], count: killed.length, podUid: uid, containers: new Set(cgroups).size, limitMb: Math.round(limitKb / 1024) });
    expect(overlaps(kills[0]!, truth.chainWindow!)).toBe(true);

    const containerd = text(truth.paths.containerd);
    const taskOoms = all(containerd, /TaskOOM event (?:container_id:\\"|&TaskOOM\{ContainerID:)([0-9a-f]{64})/g);
    wordings.add(containerd.includes('&TaskOOM{') ? 'old' : 'new');
    expect(of(memory, 'task-oom').map((f) => [f.facts.podUid, f.facts.count, f.facts.containers])).toEqual([[uid, taskOoms.length, new Set(taskOoms).size]]);

    const backoffs = text(truth.paths.kubelet).split('\n').filter((l) => l.includes('CrashLoopBackOff'));
    const loops = of(memory, 'crash-loop');
    expect(loops.map((f) => [f.facts.podUid, f.facts.count])).toEqual([[uid, backoffs.length]]);
    expect(String(loops[0]!.facts.pod)).toMatch(/^[\w-]+\/[\w.-]+$/);

    // The node had memory to spare: nothing node-level.
    expect(memory.filter((f) => f.facts.scope === 'node' || ['eviction', 'node-pressure', 'memory-pressure'].includes(f.kind))).toEqual([]);
  });

  it('covered both cgroup layouts and both TaskOOM wordings', () => {
    expect([...layouts].sort()).toEqual(['cgroupfs', 'systemd']);
    expect([...wordings].sort()).toEqual(['new', 'old']);
  });
});

const nodeRuns: ScenarioOptions[] = [
  { scenario: 'node-memory-exhausted', seed: 4, targetBytes: 2 * MB, zoneOffsetMin: -300, skewUs: 45 * SEC, noise: 0.2 },
  { scenario: 'node-memory-exhausted', seed: 31, targetBytes: 3 * MB, zoneOffsetMin: 540, skewUs: -90 * SEC, noise: 1 },
  { scenario: 'node-memory-exhausted', seed: 5, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 0 },
  { scenario: 'node-memory-exhausted', seed: 6, targetBytes: 6 * MB, zoneOffsetMin: 330, skewUs: 10 * SEC, noise: 0.6 },
];

describe('node-memory-exhausted bundles', () => {
  const wordings = new Set<string>();

  it.each(nodeRuns)('seed $seed, zone $zoneOffsetMin, noise $noise: global kills, memory evictions, the condition and the pressure window', { timeout: 60_000 }, async (o) => {
    const { truth, memory, text } = await analyze(o);
    const dmesg = text(truth.paths.dmesg);
    const victims = all(dmesg, /Out of memory: Killed process \d+ \(([^)]+)\)/g);
    const kills = of(memory, 'oom-kill');
    expect(kills.map((f) => [f.facts.scope, f.facts.constraint, f.facts.count, String(f.facts.victims).split(',').sort()])).toEqual([['node', 'global', victims.length, [...new Set(victims)].sort()]]);
    expect(of(memory, 'kubelet-oom').map((f) => [f.facts.scope, f.facts.count])).toEqual([['node', victims.length]]);

    const kubelet = text(truth.paths.kubelet);
    wordings.add(kubelet.includes('eviction manager: attempting to reclaim memory') ? 'old' : 'new');
    const evictedPods = new Set(all(kubelet, /(?:pod is evicted successfully" pod="|eviction manager: pod )([\w.-]+[/_][\w.-]+)/g).map((p) => (p.includes('/') ? p : p.split('_').reverse().join('/'))));
    const ev = of(memory, 'eviction');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.facts).toMatchObject({ resource: 'memory', scope: 'node', evicted: evictedPods.size, failed: 0 });
    expect(String(ev[0]!.facts.pods).split(',').sort()).toEqual([...evictedPods].sort());

    expect(of(memory, 'node-pressure').map((f) => f.facts.recovered)).toEqual([true]);
    const pressure = of(memory, 'memory-pressure');
    expect(pressure).toHaveLength(1);
    expect(overlaps(pressure[0]!, truth.chainWindow!, 30 * SEC)).toBe(true);
    expect(String(pressure[0]!.facts.kinds)).toContain('psi-memory-some');
    // No container hit its own limit here.
    expect(memory.filter((f) => ['container', 'pod'].includes(String(f.facts.scope)) || f.kind === 'crash-loop' || f.kind === 'task-oom')).toEqual([]);
  });

  it('covered old and new eviction manager wordings', () => {
    expect([...wordings].sort()).toEqual(['new', 'old']);
  });
});

const quiet: [ScenarioName, number, number][] = [
  ['io-storm-umount-bbolt', 5, 0.5], ['io-storm-umount-bbolt', 71, 1], ['healthy', 9, 1], ['healthy', 201, 0.6],
  ['pleg-slow-relist', 11, 0.4], ['shim-umount-hung', 12, 1], ['cri-lock-contention', 13, 0.4], ['runtime-down', 14, 1], ['disk-pressure-eviction', 15, 0.7],
];

describe.each(quiet)('%s seed %i (noise %d)', (scenario, seed, noise) => {
  it('has no memory findings', { timeout: 60_000 }, async () => {
    const { memory } = await analyze({ scenario, seed, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 30 * SEC, noise });
    expect(memory.map((f) => f.title)).toEqual([]);
  });
});
