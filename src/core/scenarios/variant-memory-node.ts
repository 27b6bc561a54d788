// node-memory-exhausted: a batch pod without a memory limit (BestEffort or a low request) grows
// until the node runs out. Memory PSI climbs and the page cache is reclaimed; kubelet reports
// MemoryPressure and its eviction manager ranks and evicts pods to reclaim memory, but the growth
// outruns its 10 s loop: the kernel's global OOM killer (constraint NONE) kills the hog, and
// kubelet's OOM watcher reports the system OOM. The condition clears a few minutes later.

import type { TimedLine } from './chunks';
import type { Container, Pod } from './inventory';
import type { IoModel } from './io-model';
import { KubeletFmt, podRef } from './kubelet';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { WallClock } from './stamps';
import { goQuote } from './text';
import { sec, type VariantExtras } from './variant-common';
import { commOf, containerCgroup, oomReport, podCgroup, type CgroupLayout } from './variant-memory-kernel';

export function reshapeNodeMemory(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-memory-node');
  // Old kubelets (≤ 1.20) log the eviction manager unstructured and name pods name_ns(uid).
  const old = rng.chance(0.4);
  const layout: CgroupLayout = rng.chance(0.6) ? 'systemd' : 'cgroupfs';
  const workloads = plan.pods.filter((p) => p.kind !== 'daemonset' && p.ns !== 'kube-system' && main(p) !== undefined);
  const hog = rng.pick(workloads.length ? workloads : plan.pods.filter((p) => main(p) !== undefined));
  const others = rng.shuffle(plan.pods.filter((p) => p !== hog && p.ns !== 'kube-system' && main(p) !== undefined));
  const growUs = plan.podsAddUs + sec(rng, 180, 420);
  const pressureUs = growUs + sec(rng, 40, 120);
  const killUs = pressureUs + sec(rng, 15, 60);
  const secondKill = rng.chance(0.5);
  const releaseUs = killUs + sec(rng, 20, 60) + (secondKill ? 45 * S : 0);
  // kubelet keeps the condition for the pressure transition period (5 minutes) after the last observation.
  const clearUs = releaseUs + 300 * S + sec(rng, 1, 10);
  plan.endUs = Math.max(plan.endUs, clearUs + 240 * S);

  return () => {
    const fmt = new KubeletFmt(plan, new WallClock(plan.zoneOffsetMin));
    const w = (us: number): number => us + plan.skewUs;
    const kubelet: TimedLine[] = [];
    const kernel: TimedLine[] = [];
    const k = (us: number, sev: string, src: string, msg: string): void => {
      kubelet.push({ us: w(us), text: fmt.text(w(us), sev, src, msg) });
    };
    const oldRef = (p: Pod): string => `${p.name}_${p.ns}(${p.uid})`;
    const ref = (p: Pod): string => `${p.ns}/${p.name}`;

    k(pressureUs, 'I', 'kubelet_node_status.go:696', `"Recording event message for node" node="${plan.host}" event="NodeHasInsufficientMemory"`);
    // Eviction rounds every 10 s while memory.available stays under the threshold: BestEffort
    // neighbours rank first and go; the hog, within its request, is left for the kernel.
    const ranked = [...others.slice(0, rng.int(1, 3)), hog];
    for (let u = pressureUs + sec(rng, 0.5, 9); u < releaseUs; u += 10 * S + rng.int(0, 400_000)) {
      if (old) {
        k(u, 'W', 'eviction_manager.go:335', 'eviction manager: attempting to reclaim memory');
        k(u + rng.int(100, 900), 'I', 'eviction_manager.go:346', 'eviction manager: must evict pod(s) to reclaim memory');
        k(u + rng.int(1000, 3000), 'I', 'eviction_manager.go:364', `eviction manager: pods ranked for eviction: ${ranked.map(oldRef).join(', ')}`);
      } else {
        k(u, 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="memory"');
        k(u + rng.int(100, 900), 'I', 'eviction_manager.go:377', '"Eviction manager: must evict pod(s) to reclaim" resourceName="memory"');
        k(u + rng.int(1000, 3000), 'I', 'eviction_manager.go:395', `"Eviction manager: pods ranked for eviction" pods=[${ranked.map((p) => `"${ref(p)}"`).join(',')}]`);
      }
      const victim = ranked[0] as Pod;
      if (victim === hog) break;
      const ctr = main(victim) as Container;
      const msg = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${rng.int(40_000, 98_000)}Ki. Container ${ctr.name} was using ${rng.int(300_000, 900_000)}Ki, request is 0, has larger consumption of memory.`;
      k(u + rng.int(5000, 20_000), 'I', 'event.go:294', `"Event occurred" object="${ref(victim)}" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message=${goQuote(msg)}`);
      const doneUs = u + sec(rng, 1.5, 6);
      if (old) k(doneUs, 'I', 'eviction_manager.go:571', `eviction manager: pod ${oldRef(victim)} is evicted successfully`);
      else k(doneUs, 'I', 'eviction_manager.go:596', `"Eviction manager: pod is evicted successfully" pod="${ref(victim)}"`);
      ranked.shift();
    }

    // The growth outruns the eviction loop: the kernel kills the hog (and maybe a neighbour).
    const hogCtr = main(hog) as Container;
    const kills: [number, Pod, Container][] = [[killUs, hog, hogCtr]];
    const neighbour = others[others.length - 1];
    if (secondKill && neighbour) kills.push([killUs + sec(rng, 20, 45), neighbour, main(neighbour) as Container]);
    for (const [at, pod, ctr] of kills) {
      const pid = ctr.pid || rng.int(3000, 30000);
      const cgroup = containerCgroup(layout, podCgroup(layout, pod, pod === hog ? 'besteffort' : 'burstable'), ctr.id);
      kernel.push(...oomReport(plan, rng, w(at), { comm: commOf(ctr), pid, uid: rng.pick([0, 1000]), oomScoreAdj: pod === hog ? 1000 : rng.int(900, 999), cgroup, containerId: ctr.id, anonRssKb: Math.round(plan.memKb * (pod === hog ? rng.range(0.55, 0.8) : rng.range(0.05, 0.15))) }, 0, layout));
      const death = new Date(Math.floor(w(at) / 1000)).toISOString().replace('T', ' ').replace('Z', ' +0000 UTC');
      k(at + sec(rng, 0.3, 1.5), 'I', 'oom_watcher_linux.go:83', `"Got sys oom event" event=&{Pid:${pid} ProcessName:${commOf(ctr)} TimeOfDeath:${death} ContainerName:/ VictimContainerName:${cgroup} Constraint:CONSTRAINT_NONE}`);
      k(at + sec(rng, 0.8, 2), 'I', 'kubelet.go:2130', `"SyncLoop (PLEG): event for pod" pod=${podRef(pod)} event=&{ID:${pod.uid} Type:ContainerDied Data:${ctr.id}}`);
    }
    k(clearUs, 'I', 'kubelet_node_status.go:696', `"Recording event message for node" node="${plan.host}" event="NodeHasSufficientMemory"`);

    const shapeModel = (m: IoModel): void => {
      const at = (us: number): number => Math.floor((us - plan.bootUs) / S);
      for (let i = Math.max(0, at(growUs)); i < Math.min(m.length, at(releaseUs) + 20); i++) {
        // Ramps up from the start of the growth, peaks between pressure and the kill, eases after the release.
        const up = Math.min(1, (i - at(growUs)) / Math.max(1, at(pressureUs) - at(growUs)));
        const down = i > at(releaseUs) ? Math.max(0, 1 - (i - at(releaseUs)) / 20) : 1;
        const squeeze = Math.min(up, down);
        m.memTight[i] = Math.max(m.memTight[i]!, 0.98 * squeeze);
        const stall = squeeze * squeeze * rng.range(0.45, 0.85);
        m.memSome[i] = Math.max(m.memSome[i]!, stall);
        m.memFull[i] = Math.max(m.memFull[i]!, stall * rng.range(0.45, 0.7));
        m.cpuSome[i] = Math.max(m.cpuSome[i]!, squeeze * rng.range(0.05, 0.2));
      }
    };
    return { kubelet, containerd: [], kernel, containerdGoroutines: [], shapeModel, chainWindow: { fromUs: w(pressureUs), toUs: w(kills[kills.length - 1]![0]) } };
  };
}

function main(p: Pod): Container | undefined {
  return p.containers.find((c) => !c.init && c.startUs > 0);
}
