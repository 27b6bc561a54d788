// The API-server detector over generated bundles: the api-server-unreachable variant (seeds pick the
// cause, the endpoint — IPv4, IPv6, a DNS name —, kubelet's wording, zone, skew, noise and size)
// must show the outage where truth puts it, with the seed's cause and endpoint; every other scenario
// (the reference incident, healthy nodes, the other faults) must show no API finding.

import { describe, expect, it } from 'vitest';
import type { ScenarioName, ScenarioOptions } from '../scenarios';
import { apiOutageOf } from '../scenarios/variant-api-unreachable';
import type { Finding } from './types';
import { analyzeScenario } from './test-helpers';

const MB = 1_048_576;
const SEC = 1e6;

const analyze = analyzeScenario;

const of = (fs: Finding[], kind: string) => fs.filter((f) => f.detector === 'apiserver' && f.kind === kind);
const overlaps = (f: Finding, w: { fromUs: number; toUs: number }, slackUs = 0) => f.from <= w.toUs + slackUs && f.to >= w.fromUs - slackUs;

// seed % 6 picks the cause: timeout, refused, dns, tls-expired, tls-unknown-authority, unauthorized.
const variants: ScenarioOptions[] = [
  { scenario: 'api-server-unreachable', seed: 6, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 90 * SEC, noise: 0.5 },
  { scenario: 'api-server-unreachable', seed: 13, targetBytes: 3 * MB, zoneOffsetMin: -420, skewUs: -60 * SEC, noise: 1 },
  { scenario: 'api-server-unreachable', seed: 20, targetBytes: 2 * MB, zoneOffsetMin: 0, skewUs: 0, noise: 0 },
  { scenario: 'api-server-unreachable', seed: 27, targetBytes: 2 * MB, zoneOffsetMin: 600, skewUs: 30 * SEC, noise: 0.8 },
  { scenario: 'api-server-unreachable', seed: 34, targetBytes: 3 * MB, zoneOffsetMin: 60, skewUs: 0, noise: 0.3 },
  { scenario: 'api-server-unreachable', seed: 41, targetBytes: 2 * MB, zoneOffsetMin: -300, skewUs: -90 * SEC, noise: 0.6 },
  { scenario: 'api-server-unreachable', seed: 103, targetBytes: 4 * MB, zoneOffsetMin: 540, skewUs: 0, noise: 1 },
];

describe('apiserver findings of the api-server-unreachable variant', () => {
  const seen = { causes: new Set<string>(), styles: new Set<string>(), legacy: new Set<boolean>() };
  it.each(variants)('seed $seed, zone $zoneOffsetMin, noise $noise', { timeout: 60_000 }, async (o) => {
    const { truth, findings } = await analyze(o);
    const outage = apiOutageOf(o);
    seen.causes.add(outage.cause);
    seen.legacy.add(outage.legacy);
    seen.styles.add(outage.endpoint.startsWith('[') ? 'ipv6' : /^\d/.test(outage.endpoint) ? 'ipv4' : 'dns');
    const w = truth.chainWindow!;
    const [status, ...more] = of(findings, 'node-status-failed');
    expect(more).toHaveLength(0);
    expect(overlaps(status!, w)).toBe(true);
    expect(status!.to - status!.from).toBeGreaterThanOrEqual(0.8 * (w.toUs - w.fromUs) - 20 * SEC);
    // Unauthorized answers name no URL.
    const endpoint = outage.cause === 'unauthorized' ? '' : outage.endpoint;
    expect(status!.facts).toMatchObject({ cause: outage.cause, endpoint, notReady: true, recovered: true });
    const [calls] = of(findings, 'api-calls-failed');
    expect(calls!.facts).toMatchObject({ cause: outage.cause, resources: 5 });
    const [cause] = of(findings, 'api-failure-cause');
    expect(cause!.facts).toMatchObject({ cause: outage.cause, endpoint });
    expect(cause!.facts.share).toBeGreaterThan(0.8);

    const certs = of(findings, 'cert-expired');
    if (outage.cause === 'tls-expired') expect(certs.map((c) => c.facts.side)).toEqual(['server']);
    else if (outage.cause === 'unauthorized') expect(certs.map((c) => c.facts.side)).toEqual(['client']);
    else expect(certs).toEqual([]);
    const rotation = of(findings, 'cert-rotation-failed');
    if (outage.cause === 'unauthorized') expect(rotation[0]!.facts).toMatchObject({ stage: 'rotation', expired: true });
    else expect(rotation).toEqual([]);

    // Every status and lease failure is claimed: none is left over as an unknown problem.
    const problems = findings.filter((f) => f.detector === 'problems').map((f) => String(f.facts.template));
    expect(problems.filter((t) => /node status|lease|Failed to watch|failed to list/.test(t))).toEqual([]);
  });

  it('the seeds cover every cause, IPv4, IPv6 and DNS endpoints, old and new wording', () => {
    expect([...seen.causes].sort()).toEqual(['dns', 'refused', 'timeout', 'tls-expired', 'tls-unknown-authority', 'unauthorized']);
    expect([...seen.styles].sort()).toEqual(['dns', 'ipv4', 'ipv6']);
    expect([...seen.legacy].sort()).toEqual([false, true]);
  });
});

const others: ScenarioName[] = ['healthy', 'io-storm-umount-bbolt', 'pleg-slow-relist', 'shim-umount-hung', 'cri-lock-contention', 'runtime-down', 'disk-pressure-eviction', 'container-oom-killed', 'node-memory-exhausted'];

describe.each(others.map((scenario, i) => ({ scenario, seed: 50 + i, targetBytes: 2 * MB, zoneOffsetMin: 60 * (i - 4), skewUs: 0, noise: 1 })))('$scenario seed $seed (noise 1)', (o) => {
  it('has no apiserver finding', { timeout: 60_000 }, async () => {
    const { findings } = await analyze(o);
    expect(findings.filter((f) => f.detector === 'apiserver').map((f) => f.title)).toEqual([]);
  });
});
