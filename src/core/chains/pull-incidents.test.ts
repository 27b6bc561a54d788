// Image pull outages spliced into generated healthy nodes (several seeds, zones, noise levels):
// registries, images, pods and causes vary with the seed. The failures must come out as one
// `pull-failed` finding per registry with the cause the lines agree on, and not as problems.
// Runtime-family error lines the runtime detector does not classify must still be problems.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import type { ScenarioOptions } from '../scenarios';
import { Rng } from '../scenarios/rng';
import { analyzeFiles, generatedNode, hex, JournalAdditions, klog, logfmt, splice, uuid } from './test-incidents';

const MB = 1_048_576;
const SEC = 1_000_000;
const q = (s: string) => s.replace(/"/g, '\\"');

/** A registry outage's cause as containerd words it, and the reason the finding must name. */
function cause(rng: Rng, registry: string, image: string, kind: number): { error: string; reason: string } {
  const repo = image.slice(registry.length + 1).split(':')[0]!;
  const ip = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const wrap = `failed to pull and unpack image "${image}"`;
  switch (kind) {
    case 0:
      return { error: `${wrap}: failed to resolve reference "${image}": failed to do request: Head "https://${registry}/v2/${repo}/manifests/latest": dial tcp ${ip}:443: i/o timeout`, reason: 'i/o timeout' };
    case 1:
      return { error: `${wrap}: failed to resolve reference "${image}": failed to do request: Head "https://${registry}/v2/${repo}/manifests/latest": dial tcp: lookup ${registry} on 10.96.0.10:53: no such host`, reason: 'no such host' };
    case 2:
      return { error: `${wrap}: failed to resolve reference "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${registry}/oauth2/token?scope=repository%3A${repo}%3Apull: 401 Unauthorized`, reason: '401 Unauthorized' };
    default:
      return { error: `${wrap}: failed to extract layer sha256:${hex(rng, 64)}: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${rng.int(100, 999)}/fs/usr/lib/x86_64-linux-gnu/libLLVM-${rng.int(11, 15)}.so.1: no space left on device: unknown`, reason: 'no space left on device' };
  }
}

interface Outage {
  findings: Finding[];
  registry: string;
  images: number;
  pods: number;
  reason: string;
  from: number;
  runtimeErrors: number;
}

/** Pods of a rollout retry their pulls with kubelet's back-off while the registry fails one way. */
async function pullOutage(o: ScenarioOptions, kind: number): Promise<Outage> {
  const { g, files, kPath, cPath, id } = generatedNode(o);
  const rng = new Rng(o.seed * 131 + kind);
  const kubelet = new JournalAdditions(id.zoneOffsetMin);
  const containerd = new JournalAdditions(id.zoneOffsetMin);
  const kpid = /\[(\d+)\]/.exec(id.kubelet)![1]!;
  const k = (us: number, level: 'I' | 'W' | 'E', site: string, msg: string) => kubelet.add(us, id.kubelet, klog(kubelet.wall(us), level, site, msg, kpid), id.host);
  const c = (us: number, level: string, msg: string, fields = '') => containerd.add(us, id.containerd, logfmt(us, level, msg, fields), id.host);
  const registry = [`registry.${hex(rng, 4)}.example.com`, `harbor.corp-${rng.int(1, 99)}.example.net:5000`, `${rng.int(100000000, 999999999)}012.dkr.ecr.eu-west-${rng.int(1, 3)}.amazonaws.com`][rng.int(0, 2)]!;
  const apps = Array.from({ length: rng.int(2, 4) }, () => `app${rng.int(10, 99)}${hex(rng, 3)}`);
  const images = apps.map((a) => `${registry}/team${rng.int(1, 9)}/${a}:${rng.int(1, 9)}.${rng.int(0, 40)}.${rng.int(0, 9)}`);
  const pods = images.flatMap((image, i) => Array.from({ length: rng.int(1, 3) }, () => ({ image, ns: `ns${rng.int(1, 9)}`, name: `${apps[i]}-${hex(rng, 9)}-${hex(rng, 5)}`, uid: uuid(rng) })));
  const from = g.truth.capture.fromUs + 200 * SEC;
  const to = g.truth.capture.toUs - 60 * SEC;
  let first = Infinity;
  for (const p of pods) {
    let backoff = 10 * SEC;
    for (let t = from + rng.int(0, 20) * SEC; t < to; ) {
      const { error } = cause(rng, registry, p.image, kind);
      const pod = `${p.ns}/${p.name}`;
      const end = t + rng.int(2, 30) * SEC;
      first = Math.min(first, end);
      k(t, 'I', 'event.go:294', `"Event occurred" object="${pod}" kind="Pod" apiVersion="v1" type="Normal" reason="Pulling" message="Pulling image \\"${p.image}\\""`);
      c(t + 3000, 'info', `PullImage \\"${p.image}\\"`);
      c(end, 'error', `PullImage \\"${p.image}\\" failed`, `error="${q(error)}"`);
      k(end + 1000, 'E', 'remote_image.go:180', `"PullImage from image service failed" err="rpc error: code = Unknown desc = ${q(error)}" image="${p.image}"`);
      k(end + 2000, 'E', 'kuberuntime_image.go:53', `"Failed to pull image" err="rpc error: code = Unknown desc = ${q(error)}" image="${p.image}"`);
      k(end + 3000, 'I', 'event.go:294', `"Event occurred" object="${pod}" kind="Pod" apiVersion="v1" type="Warning" reason="Failed" message="Error: ErrImagePull"`);
      k(end + 4000, 'E', 'pod_workers.go:1294', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${p.name.split('-')[0]}\\" with ErrImagePull: \\"rpc error: code = Unknown desc = ${q(q(error))}\\"" pod="${pod}" podUID=${p.uid}`);
      for (let b = end + 1500 * 1000; b < end + backoff; b += rng.int(10, 15) * SEC) {
        k(b, 'I', 'event.go:294', `"Event occurred" object="${pod}" kind="Pod" apiVersion="v1" type="Normal" reason="BackOff" message="Back-off pulling image \\"${p.image}\\""`);
        k(b + 1000, 'E', 'pod_workers.go:1294', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${p.name.split('-')[0]}\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"${p.image}\\\\\\"\\"" pod="${pod}" podUID=${p.uid}`);
      }
      t = end + backoff + rng.int(0, 3) * SEC;
      backoff = Math.min(300 * SEC, backoff * 2);
    }
  }
  // containerd failing to reload its CNI config: a runtime-family error ("connection refused") no runtime finding describes.
  const runtimeErrors = rng.int(4, 9);
  for (let i = 0; i < runtimeErrors; i++) {
    c(from + (i * 37 + rng.int(0, 9)) * SEC, 'error', 'failed to reload cni configuration after receiving fs change event', `error="cni config load failed: failed to load CNI config list file /etc/cni/net.d/10-${hex(rng, 4)}.conflist: dial tcp 10.96.0.${rng.int(1, 9)}:443: connect: connection refused"`);
  }
  files.set(kPath, splice(files.get(kPath)!, kubelet, id.year));
  files.set(cPath, splice(files.get(cPath)!, containerd, id.year));
  const r = await analyzeFiles(files);
  return { findings: r.result!.findings, registry, images: images.length, pods: pods.length, reason: cause(rng, registry, images[0]!, kind).reason, from: first, runtimeErrors };
}

const bases: (ScenarioOptions & { kind: number })[] = [
  { scenario: 'healthy', seed: 14, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 0, noise: 0.5, startUs: Date.UTC(2024, 11, 19, 22, 46, 0) * 1000, kind: 0 },
  { scenario: 'healthy', seed: 53, targetBytes: 2 * MB, zoneOffsetMin: -420, skewUs: 30 * SEC, noise: 1, startUs: Date.UTC(2023, 5, 2, 5, 40, 11) * 1000, kind: 1 },
  { scenario: 'healthy', seed: 88, targetBytes: 3 * MB, zoneOffsetMin: 0, skewUs: -10 * SEC, noise: 0.2, startUs: Date.UTC(2025, 1, 27, 13, 2, 9) * 1000, kind: 2 },
  { scenario: 'healthy', seed: 121, targetBytes: 2 * MB, zoneOffsetMin: 600, skewUs: 0, noise: 0.7, startUs: Date.UTC(2024, 3, 8, 3, 15, 0) * 1000, kind: 3 },
];

describe.each(bases)('pull outage on healthy seed $seed, zone $zoneOffsetMin, noise $noise, cause $kind', (o) => {
  it('is one pull-failed finding for the registry, with its images, pods and cause, and no problem', { timeout: 60_000 }, async () => {
    const r = await pullOutage(o, o.kind);
    const failed = r.findings.filter((f) => f.kind === 'pull-failed' && f.facts.registry === r.registry);
    expect(failed.map((f) => f.title)).toHaveLength(1);
    const f = failed[0]!;
    expect(f.detector).toBe('image-pulls');
    expect(f.severity).toBe('error');
    expect(f.facts).toMatchObject({ images: r.images, pods: r.pods, reason: r.reason, backoff: true });
    expect(Math.abs(f.from - r.from)).toBeLessThan(2 * SEC);
    // The failure lines are the pull finding's evidence, not unknown problems besides it.
    for (const p of r.findings.filter((x) => x.kind === 'log-problem')) expect(p.title).not.toMatch(/pull|Pull|ErrImage/);
  });

  it('a runtime-family error no runtime finding describes is still a problem', { timeout: 60_000 }, async () => {
    const r = await pullOutage(o, o.kind);
    const cni = r.findings.filter((f) => f.kind === 'log-problem' && f.title.includes('failed to reload cni configuration'));
    expect(cni.map((f) => f.facts.count)).toEqual([r.runtimeErrors]);
    expect(cni[0]!.facts.origin).toBe('containerd');
  });
});
