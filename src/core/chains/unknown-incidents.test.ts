// Incidents the built-in patterns do not describe must not be explained by them. Each case is a
// generated healthy node (several seeds, zones, noise levels) with an incident spliced into its
// own journals: names, addresses and plugins vary with the seed.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import { generateScenario, type ScenarioOptions } from '../scenarios';
import { Rng } from '../scenarios/rng';
import { materialize } from '../scenarios/test-helpers';
import { analyzeFiles, generatedNode, hex, JournalAdditions, klog, logfmt, splice, uuid } from './test-incidents';

const MB = 1_048_576;
const SEC = 1_000_000;

/** A CNI plugin failing to reach its peer, as kubelet and containerd log it, and its teardown error. */
function cniError(rng: Rng): { add: string; del: string } {
  const svc = `10.${rng.int(0, 255)}.0.1`;
  switch (rng.int(0, 2)) {
    case 0:
      return {
        add: `plugin type="calico" failed (add): error getting ClusterInformation: Get "https://${svc}:443/apis/crd.projectcalico.org/v1/clusterinformations/default": dial tcp ${svc}:443: connect: connection refused`,
        del: `plugin type="calico" failed (delete): error getting ClusterInformation: Get "https://${svc}:443/apis/crd.projectcalico.org/v1/clusterinformations/default": dial tcp ${svc}:443: i/o timeout`,
      };
    case 1:
      return {
        add: 'plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: connection refused',
        del: 'plugin type="cilium-cni" failed (delete): unable to connect to Cilium daemon: dial unix /var/run/cilium/cilium.sock: connect: no such file or directory',
      };
    default:
      return {
        add: `plugin type="aws-cni" name="aws-cni" failed (add): add cmd: Error received from AddNetwork gRPC call: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:${rng.int(50000, 50100)}: connect: connection refused"`,
        del: 'plugin type="aws-cni" name="aws-cni" failed (delete): del cmd: error received from DelNetwork gRPC call: rpc error: code = Unavailable desc = transport is closing',
      };
  }
}

const q = (s: string) => s.replace(/"/g, '\\"');

/**
 * The CNI outage: every new sandbox fails network setup for ~10 minutes; kubelet reports the network
 * not ready. With `restart`, an operator restarts containerd half way (it does not help): a clean
 * stop and start, during which kubelet's calls are refused for a second or two.
 */
async function cniOutage(o: ScenarioOptions, restart: boolean): Promise<{ findings: Finding[]; chains: { patternId: string; confidence: number }[] }> {
  const { g, files, kPath, cPath, id } = generatedNode(o);
  const rng = new Rng(o.seed * 7919 + (restart ? 1 : 0));
  const kubelet = new JournalAdditions(id.zoneOffsetMin);
  const containerd = new JournalAdditions(id.zoneOffsetMin);
  const kpid = /\[(\d+)\]/.exec(id.kubelet)![1]!;
  const k = (us: number, level: 'I' | 'W' | 'E', site: string, msg: string) => kubelet.add(us, id.kubelet, klog(kubelet.wall(us), level, site, msg, kpid), id.host);
  const c = (us: number, level: string, msg: string, fields = '') => containerd.add(us, id.containerd, logfmt(us, level, msg, fields), id.host);
  const sd = (us: number, msg: string) => containerd.add(us, 'systemd[1]', msg, id.host);
  const from = g.truth.capture.fromUs + 240 * SEC;
  const to = Math.min(g.truth.capture.toUs - 60 * SEC, from + 600 * SEC);
  const err = cniError(rng);
  const pods = Array.from({ length: 5 }, () => [`ns${rng.int(1, 9)}`, `app${rng.int(10, 99)}-${hex(rng, 9)}-${hex(rng, 5)}`] as const);
  for (let t = from; t < to; t += rng.int(4, 15) * SEC) {
    const [ns, name] = pods[rng.int(0, pods.length - 1)]!;
    const sb = hex(rng, 64);
    const uid = uuid(rng);
    const setup = `failed to setup network for sandbox "${sb}": ${err.add}`;
    c(t, 'info', `RunPodSandbox for &PodSandboxMetadata{Name:${name},Uid:${uid},Namespace:${ns},Attempt:0,}`);
    c(t + 600_000, 'error', `Failed to destroy network for sandbox \\"${sb}\\"`, `error="${q(err.del)}"`);
    c(t + 620_000, 'error', `RunPodSandbox for &PodSandboxMetadata{Name:${name},Uid:${uid},Namespace:${ns},Attempt:0,} failed, error`, `error="${q(setup)}"`);
    k(t + 630_000, 'E', 'remote_runtime.go:176', `"RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = ${q(setup)}"`);
    k(t + 640_000, 'E', 'kuberuntime_sandbox.go:70', `"Failed to create sandbox for pod" err="rpc error: code = Unknown desc = ${q(setup)}" pod="${ns}/${name}"`);
    k(t + 660_000, 'E', 'pod_workers.go:951', `"Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"${name}_${ns}(${uid})\\" with CreatePodSandboxError: \\"rpc error: code = Unknown desc = failed to setup network for sandbox\\"" pod="${ns}/${name}" podUID=${uid}`);
    k(t + 1_610_000, 'E', 'remote_runtime.go:222', `"StopPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to destroy network for sandbox ${q(`"${sb}"`)}: ${q(err.del)}" podSandboxID="${sb}"`);
  }
  for (let t = from + 30 * SEC; t < to; t += 5 * SEC) {
    k(t, 'E', 'kubelet.go:2373', '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"');
  }
  if (restart) {
    const r = Math.round((from + to) / 2);
    sd(r, 'Stopping containerd container runtime...');
    sd(r + 300_000, 'containerd.service: Deactivated successfully.');
    sd(r + 310_000, 'Stopped containerd container runtime.');
    c(r + 500_000, 'info', 'starting containerd', 'revision=1677a17964311325ed1c31e2c0a3589ce6d5c30a version=1.6.21');
    c(r + 1_900_000, 'info', 'containerd successfully booted in 1.394818s');
    for (let t = r + 350_000; t < r + 1_800_000; t += 250_000) {
      k(t, 'E', 'remote_runtime.go:356', '"ListPodSandbox with filter from runtime service failed" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: connection refused\\"" filter="nil"');
    }
  }
  files.set(kPath, splice(files.get(kPath)!, kubelet, id.year));
  files.set(cPath, splice(files.get(cPath)!, containerd, id.year));
  const r = await analyzeFiles(files);
  return { findings: r.result!.findings, chains: r.result!.chains };
}

const bases: ScenarioOptions[] = [
  { scenario: 'healthy', seed: 12, targetBytes: 2 * MB, zoneOffsetMin: 540, skewUs: 0, noise: 0.3, startUs: Date.UTC(2024, 7, 15, 1, 4, 50) * 1000 },
  { scenario: 'healthy', seed: 47, targetBytes: 2 * MB, zoneOffsetMin: -300, skewUs: 40 * SEC, noise: 1, startUs: Date.UTC(2023, 2, 9, 17, 20, 3) * 1000 },
  { scenario: 'healthy', seed: 90, targetBytes: 3 * MB, zoneOffsetMin: 0, skewUs: -20 * SEC, noise: 0.6, startUs: Date.UTC(2025, 10, 2, 8, 0, 41) * 1000 },
];

describe.each(bases)('CNI outage on healthy seed $seed, zone $zoneOffsetMin, noise $noise', (o) => {
  it('a refused dial inside the runtime\'s reply is not "kubelet cannot reach the runtime"', { timeout: 60_000 }, async () => {
    const { findings, chains } = await cniOutage(o, false);
    expect(findings.filter((f) => f.kind === 'runtime-unavailable').map((f) => f.title)).toEqual([]);
    // The CNI pattern knows this outage now; no other pattern may claim it.
    expect(chains[0]?.patternId).toBe('cni-sandbox-failure');
    for (const c of chains.slice(1)) expect(c.confidence, c.patternId).toBeLessThan(0.3);
  });

  it('a planned containerd restart during the outage does not make it a runtime-down incident', { timeout: 60_000 }, async () => {
    const { findings, chains } = await cniOutage(o, true);
    // Only the second or two of refused dials around the restart are the runtime being unreachable.
    const unavailable = findings.filter((f) => f.kind === 'runtime-unavailable');
    expect(unavailable.length).toBeGreaterThan(0);
    for (const f of unavailable) expect(f.to - f.from).toBeLessThan(10 * SEC);
    // kubelet never reported the runtime down, so the pattern misses a required symptom (× 0.35).
    for (const c of chains.filter((x) => x.patternId !== 'cni-sandbox-failure')) expect(c.confidence, c.patternId).toBeLessThan(0.35);
  });
});

describe.each(bases)('healthy seed $seed, noise $noise: probe timeouts', (o) => {
  it('no chain step stands on an ExecSync (probe) timeout', { timeout: 60_000 }, async () => {
    const g = generateScenario(o);
    const r = await analyzeFiles(materialize(g));
    const execSync = new Set(r.result!.findings.filter((f) => f.facts.call === 'ExecSync').map((f) => f.id));
    // The generator's healthy nodes do log slow probes: the check is not vacuous.
    expect(execSync.size).toBeGreaterThan(0);
    for (const c of r.result!.chains) for (const s of c.steps) expect(s.findingIds.filter((x) => execSync.has(x)), `${c.patternId}/${s.id}`).toEqual([]);
  });
});
