// The node's workload: pods, their containers and images, with seeded names and ids.

import { IMAGES, WORKLOADS, type ImageSpec, type PodTemplate } from './catalog';
import type { Rng } from './rng';

export interface Container {
  name: string;
  id: string;
  image: ImageSpec;
  init: boolean;
  probe?: { port: number; path: string };
  /** Filled by the lifecycle simulation (true µs). */
  pid: number;
  createUs: number;
  startUs: number;
  exitUs: number | null;
  exitCode: number;
  /** Its creation/start was held up by the bbolt stall. */
  delayed: boolean;
}

export interface Pod {
  ns: string;
  name: string;
  uid: string;
  ip: string;
  hostNetwork: boolean;
  kind: PodTemplate['kind'];
  sandboxId: string;
  shimPid: number;
  sandboxStartUs: number;
  sandboxReadyUs: number;
  containers: Container[];
  /** `kube-api-access-xxxxx` and other volumes. */
  volumes: string[];
}

const RS_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function podName(rng: Rng, t: PodTemplate, replica: number): string {
  switch (t.kind) {
    case 'daemonset':
      return `${t.base}-${rng.alnum(5, RS_ALPHABET)}`;
    case 'statefulset':
      return `${t.base}-${replica}`;
    case 'job':
      return `${t.base}-${rng.int(27000000, 29000000)}-${rng.alnum(5, RS_ALPHABET)}`;
    default:
      return `${t.base}-${rng.alnum(rng.int(9, 10), RS_ALPHABET)}-${rng.alnum(5, RS_ALPHABET)}`;
  }
}

const HOST_NETWORK = new Set(['kube-proxy', 'calico-node', 'node-exporter']);

export function buildPods(rng: Rng, count: number, nodeIp: string): Pod[] {
  const chosen: { t: PodTemplate; replica: number }[] = [];
  const mandatory = ['kube-proxy', 'calico-node', 'node-exporter', 'fluent-bit'];
  for (const t of WORKLOADS) if (mandatory.includes(t.base)) chosen.push({ t, replica: 0 });
  const optional = WORKLOADS.filter((t) => !mandatory.includes(t.base));
  const perTemplate = new Map<string, number>();
  let guard = 0;
  while (chosen.length < count && guard++ < 1000) {
    const t = rng.pick(optional);
    const n = perTemplate.get(t.base) ?? 0;
    // Replicas of a deployment beyond the per-node limit exist too on big nodes (other releases).
    const limit = count > 24 ? t.maxReplicas * 3 : t.maxReplicas;
    if (n >= limit) continue;
    perTemplate.set(t.base, n + 1);
    chosen.push({ t, replica: n });
  }
  const block = rng.int(0, 250);
  let ipHost = rng.int(1, 20);
  return chosen.map(({ t, replica }) => {
    const hostNetwork = HOST_NETWORK.has(t.base);
    const mk = (c: (typeof t.containers)[number], init: boolean): Container => ({
      name: c.name,
      id: rng.hex(64),
      image: IMAGES[c.image] as ImageSpec,
      init,
      probe: c.probe,
      pid: 0,
      createUs: 0,
      startUs: 0,
      exitUs: null,
      exitCode: 0,
      delayed: false,
    });
    const volumes = [`kube-api-access-${rng.alnum(5, RS_ALPHABET)}`];
    if (t.kind === 'daemonset') volumes.push('lib-modules', 'xtables-lock');
    if (t.kind === 'statefulset') volumes.push('data');
    if (t.base.includes('checkout') || t.base.includes('ledger')) volumes.push('config', 'tls-certs');
    return {
      ns: t.ns,
      name: podName(rng, t, replica),
      uid: rng.uuid(),
      ip: hostNetwork ? nodeIp : `10.244.${block}.${ipHost++}`,
      hostNetwork,
      kind: t.kind,
      sandboxId: rng.hex(64),
      shimPid: 0,
      sandboxStartUs: 0,
      sandboxReadyUs: 0,
      containers: [...t.init.map((c) => mk(c, true)), ...t.containers.map((c) => mk(c, false))],
      volumes,
    };
  });
}

/** `sha256:` + 64 hex, stable per image within a run. */
export interface ImageIds {
  id: string;
  digest: string;
}

export function imageIds(rng: Rng, images: ImageSpec[]): Map<string, ImageIds> {
  const m = new Map<string, ImageIds>();
  for (const img of images) m.set(img.ref, { id: `sha256:${rng.hex(64)}`, digest: `sha256:${rng.hex(64)}` });
  return m;
}

/** App containers by start time, to pick one that is running at a given written time. */
export class RunningIndex {
  private readonly items: { pod: Pod; ctr: Container }[];
  private readonly times: number[];

  constructor(pods: readonly Pod[], skewUs: number) {
    const all = pods
      .flatMap((pod) => pod.containers.filter((c) => !c.init && c.startUs > 0).map((ctr) => ({ pod, ctr, us: ctr.startUs + skewUs })))
      .sort((a, b) => a.us - b.us);
    this.items = all.map(({ pod, ctr }) => ({ pod, ctr }));
    this.times = all.map((a) => a.us);
  }

  pick(rng: Rng, us: number): { pod: Pod; ctr: Container } {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] ?? 0) <= us) lo = mid + 1;
      else hi = mid;
    }
    const n = Math.min(Math.max(1, lo), this.items.length);
    const s = this.items[Math.floor(rng.float() * n)];
    if (!s) throw new Error('no containers');
    return s;
  }
}
