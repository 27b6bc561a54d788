// The `noise` option: unrelated trouble every real node has — failing readiness probes, exec probes
// timing out, a pod of another team stuck in ImagePullBackOff, stats warnings — scaled 0..1. None of
// it is part of the scenario's fault; a correct analysis must not be swayed by it.

import type { TimedLine } from './chunks';
import { ContainerdFmt, kv } from './containerd';
import { RunningIndex } from './inventory';
import { KubeletFmt, podRef } from './kubelet';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { WallClock } from './stamps';

const BAD_IMAGES = ['registry.example.com/payments/api:v2.3.1', 'ghcr.io/acme/report-worker:sha-3f9c2e1', 'docker.io/library/nginx:1.25-alpine-nonexistent'];

export function distractorLines(plan: Plan, noise: number): { kubelet: TimedLine[]; containerd: TimedLine[] } {
  const kubelet: TimedLine[] = [];
  const containerd: TimedLine[] = [];
  const level = Math.max(0, Math.min(1, noise));
  if (level === 0) return { kubelet, containerd };
  const rng = new Rng(plan.seed).fork('distractors');
  const clock = new WallClock(plan.zoneOffsetMin);
  const kf = new KubeletFmt(plan, clock);
  const cf = new ContainerdFmt(plan, clock, rng);
  const running = new RunningIndex(plan.pods, 0);
  const w = (us: number): number => us + plan.skewUs;
  const k = (us: number, sev: string, src: string, msg: string): void => {
    kubelet.push({ us: w(us), text: kf.text(w(us), sev, src, msg) });
  };
  const c = (us: number, lvl: string, msg: string, fields = ''): void => {
    containerd.push({ us: w(us), text: cf.text(w(us), lvl, msg, fields) });
  };
  const fromUs = plan.podsAddUs + 60 * S;
  const spanUs = Math.max(S, plan.endUs - fromUs);
  const count = Math.round(level * (30 + plan.scale.durationSec / 8));
  const badPod = { ns: 'payments', name: `api-${rng.alnum(10)}-${rng.alnum(5)}`, uid: rng.uuid(), image: rng.pick(BAD_IMAGES) };
  for (let i = 0; i < count; i++) {
    const us = fromUs + Math.floor(rng.float() * spanUs);
    const { pod, ctr } = running.pick(rng, us);
    const x = rng.float();
    if (x < 0.35) {
      k(us, 'I', 'prober.go:116', `"Probe failed" probeType="Readiness" pod=${podRef(pod)} podUID=${pod.uid} containerName="${ctr.name}" probeResult=failure output="HTTP probe failed with statuscode: 503"`);
    } else if (x < 0.6) {
      const ref = `"${badPod.ns}/${badPod.name}"`;
      const img = badPod.image;
      const why = `failed to pull and unpack image \\"${img}\\": failed to resolve reference \\"${img}\\": ${img}: not found`;
      k(us, 'E', 'remote_image.go:238', `"PullImage from image service failed" err="rpc error: code = NotFound desc = ${why}" image="${img}"`);
      k(us + rng.int(200, 3000), 'E', 'pod_workers.go:191', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"api\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"${img}\\\\\\"\\"" pod=${ref} podUID=${badPod.uid}`);
      c(us - rng.int(500, 3000), 'error', `PullImage "${img}" failed`, kv('error', `rpc error: code = NotFound desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": ${img}: not found`));
    } else if (x < 0.75) {
      const cmd = '[/bin/sh -c pg_isready -U postgres -h 127.0.0.1]';
      k(us, 'E', 'remote_runtime.go:394', `"ExecSync cmd from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" containerID="${ctr.id}" cmd=${cmd}`);
      c(us - rng.int(1000, 5000), 'error', `ExecSync for "${ctr.id}" failed`, kv('error', 'failed to exec in container: timeout 1s exceeded: context deadline exceeded'));
    } else if (x < 0.9) {
      const uidU = pod.uid.replace(/-/g, '_');
      k(us, 'W', 'container.go:586', `Failed to update stats for container "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uidU}.slice/cri-containerd-${ctr.id}.scope": unable to determine device info for dir: /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${rng.int(10, 900)}/fs: stat failed on /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${rng.int(10, 900)}/fs with error: no such file or directory, continuing to push stats`);
    } else {
      k(us, 'E', 'summary_sys_containers.go:48', '"Failed to get system container stats" err="failed to get cgroup stats for \\"/system.slice/kubelet.service\\": failed to get container info for \\"/system.slice/kubelet.service\\": unknown container \\"/system.slice/kubelet.service\\"" containerName="/system.slice/kubelet.service"');
    }
  }
  return { kubelet, containerd };
}
