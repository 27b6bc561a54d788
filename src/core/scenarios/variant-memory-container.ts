// container-oom-killed: one workload's main container leaks past its memory limit. The kernel's
// memcg OOM killer ends it (its own cgroup: the node has memory to spare), containerd reports
// TaskOOM, kubelet restarts it with a growing back-off (CrashLoopBackOff between attempts), and
// each new container (new id, new pid) leaks to the limit again.

import type { TimedLine } from './chunks';
import type { Container, Pod } from './inventory';
import { podRef } from './kubelet';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { sec, VariantJournals, type VariantExtras } from './variant-common';
import { commOf, containerCgroup, oomReport, podCgroup, type CgroupLayout } from './variant-memory-kernel';

/** kubelet's restart back-off: 10 s doubling up to 5 minutes. */
const backoffSec = (restart: number): number => Math.min(300, 10 * 2 ** restart);

export function reshapeContainerOom(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-memory-container');
  const candidates = plan.pods.filter((p) => p.kind !== 'daemonset' && p.ns !== 'kube-system' && main(p) !== undefined);
  const pod = rng.pick(candidates.length ? candidates : plan.pods.filter((p) => main(p) !== undefined));
  const ctr = main(pod) as Container;
  const layout: CgroupLayout = rng.chance(0.6) ? 'systemd' : 'cgroupfs';
  const qos = rng.chance(0.7) ? 'burstable' : 'guaranteed';
  const limitKb = rng.pick([256, 384, 512, 768, 1024, 2048]) * 1024;
  const newTaskOom = rng.chance(0.5);
  const kills = rng.int(4, 7);
  // The first kill once the leak has filled the limit; each restarted container takes a while to fill it again.
  let killUs = Math.max(ctr.startUs, plan.podsAddUs) + sec(rng, 120, 300);
  const timeline: { killUs: number; id: string; pid: number; restartUs: number }[] = [];
  let id = ctr.id;
  let pid = ctr.pid || rng.int(3000, 30000);
  for (let i = 0; i < kills; i++) {
    const restartUs = killUs + backoffSec(i) * S + sec(rng, 0.2, 2);
    timeline.push({ killUs, id, pid, restartUs });
    id = rng.hex(64);
    pid += rng.int(40, 900);
    killUs = restartUs + sec(rng, 25, 90);
  }
  const lastRestart = timeline[timeline.length - 1]!.restartUs;
  plan.endUs = Math.max(plan.endUs, lastRestart + 300 * S);

  return () => {
    const journals = new VariantJournals(plan, rng);
    const { kubelet, containerd, at: w, kubeletLine: k } = journals;
    const c = (us: number, msg: string): void => journals.containerdLine(us, 'info', msg);
    const kernel: TimedLine[] = [];
    const podPath = podCgroup(layout, pod, qos);
    const comm = commOf(ctr);
    const oldPod = `${pod.name}_${pod.ns}(${pod.uid})`;
    timeline.forEach((x, i) => {
      kernel.push(...oomReport(plan, rng, w(x.killUs), { comm, pid: x.pid, uid: rng.pick([0, 1000, 1001, 65532]), oomScoreAdj: qos === 'guaranteed' ? -997 : rng.int(900, 999), cgroup: containerCgroup(layout, podPath, x.id), containerId: x.id, anonRssKb: limitKb - rng.int(2000, 9000) }, limitKb, layout));
      const oomUs = x.killUs + rng.int(2000, 40_000);
      c(oomUs, newTaskOom ? `TaskOOM event container_id:"${x.id}"` : `TaskOOM event &TaskOOM{ContainerID:${x.id},XXX_unrecognized:[],}`);
      k(x.killUs + sec(rng, 0.6, 1.5), 'I', 'kubelet.go:2130', `"SyncLoop (PLEG): event for pod" pod=${podRef(pod)} event=&{ID:${pod.uid} Type:ContainerDied Data:${x.id}}`);
      // While the back-off runs, every pod sync says so.
      const back = backoffSec(i);
      if (i > 0) {
        for (let u = x.killUs + sec(rng, 1, 3); u < x.restartUs - S; u += sec(rng, 9, 16)) {
          k(u, 'E', 'pod_workers.go:1294', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${ctr.name}\\" with CrashLoopBackOff: \\"back-off ${back < 60 ? `${back}s` : `${Math.floor(back / 60)}m${back % 60}s`} restarting failed container=${ctr.name} pod=${oldPod}\\"" pod=${podRef(pod)} podUID=${pod.uid}`);
        }
      }
      const next = timeline[i + 1]?.id ?? rng.hex(64);
      c(x.restartUs - rng.int(300_000, 900_000), `CreateContainer within sandbox "${pod.sandboxId}" for container &ContainerMetadata{Name:${ctr.name},Attempt:${i + 1},} returns container id "${next}"`);
      c(x.restartUs, `StartContainer for "${next}" returns successfully`);
      k(x.restartUs + rng.int(20_000, 300_000), 'I', 'kubelet.go:2130', `"SyncLoop (PLEG): event for pod" pod=${podRef(pod)} event=&{ID:${pod.uid} Type:ContainerStarted Data:${next}}`);
    });
    return { kubelet, containerd, kernel, containerdGoroutines: [], chainWindow: { fromUs: w(timeline[0]!.killUs), toUs: w(timeline[timeline.length - 1]!.killUs) } };
  };
}

function main(p: Pod): Container | undefined {
  return p.containers.find((c) => !c.init && c.startUs > 0);
}
