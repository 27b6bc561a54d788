// shim-umount-hung: no image-pull storm. A container exits; its shim's Delete unmounts the overlay
// rootfs and the umount's sync of the container's dirty pages blocks for minutes. The kernel reports
// the hung task and containerd's TaskExit handling times out.

import type { Container, Pod } from './inventory';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { sec, type VariantExtras } from './variant-common';

function exitedContainer(plan: Plan, rng: Rng): { pod: Pod; ctr: Container } {
  const inits = plan.pods.flatMap((pod) => pod.containers.filter((c) => c.init && c.exitUs !== null).map((ctr) => ({ pod, ctr })));
  if (inits.length > 0) return rng.pick(inits);
  // No init containers on this node: a job's container runs to completion instead.
  const pod = plan.pods.find((p) => p.kind === 'job') ?? (plan.pods[0] as Pod);
  const ctr = pod.containers[pod.containers.length - 1] as Container;
  ctr.exitUs = ctr.startUs + sec(rng, 20, 90);
  ctr.exitCode = 0;
  return { pod, ctr };
}

export function reshapeShimHung(plan: Plan): void {
  const rng = new Rng(plan.seed).fork('variant-shim-hung');
  const { pod, ctr } = exitedContainer(plan, rng);
  const exitUs = ctr.exitUs ?? plan.podsAddUs;
  const sinceUs = exitUs + sec(rng, 0.001, 0.005);
  // The kernel's khungtaskd checks every 120 s; the first report comes at the first check ≥ 120 s blocked.
  const phaseUs = plan.bootUs + sec(rng, 0, 120);
  const hungTaskUs = phaseUs + Math.ceil((sinceUs + 120 * S - phaseUs) / (120 * S)) * 120 * S + rng.int(0, 900);
  const untilUs = hungTaskUs + sec(rng, 10, 150);
  plan.incident = true; // the shim dump shows its Delete in umount
  plan.shim = { pod, ctr, sinceUs, untilUs, tid: pod.shimPid + rng.int(3, 14) };
  plan.hungTaskUs = hungTaskUs;
  plan.exitErrors = [{ pod, ctr, exitUs, logUs: exitUs + 10 * S + sec(rng, 0.0005, 0.003) }];
  plan.dumpUs = Math.min(untilUs - 5 * S, sinceUs + sec(rng, 70, 140));
  plan.shimDumpUs = plan.dumpUs + sec(rng, 2, 15);
  plan.endUs = Math.max(plan.endUs, untilUs + 300 * S);
}

export function shimHungExtras(plan: Plan): VariantExtras {
  const w = (us: number): number => us + plan.skewUs;
  return { kubelet: [], containerd: [], containerdGoroutines: [], chainWindow: { fromUs: w(plan.shim.sinceUs), toUs: w(plan.shim.untilUs) } };
}
