// A small simulation of kubelet starting the node's pods after boot: per pod, in order, each
// container's image is pulled (or found present), then created and started; init containers run
// to completion first. Pods run in parallel, so pulls overlap. A "block" window models the bbolt
// stall: container operations and pull completions that fall inside it happen right after it.

import type { ImageSpec } from './catalog';
import type { Container, Pod } from './inventory';
import { Rng } from './rng';

const S = 1_000_000;

export interface PullRec {
  image: ImageSpec;
  pod: Pod;
  ctr: Container;
  startUs: number;
  endUs: number;
}

export interface PresentRec {
  pod: Pod;
  ctr: Container;
  atUs: number;
}

export interface SimParams {
  seed: number;
  incident: boolean;
  podsAddUs: number;
  /** containerd's own pull of the sandbox image (incident: after the reboot it is missing too). */
  pauseReadyUs: number;
  /** Images that must be pulled (all of them in the incident, a few in the healthy case). */
  newImages: Set<string>;
  blockFromUs: number;
  blockToUs: number;
  /** Pull end times fixed from outside (the pull whose commit holds the bbolt lock). */
  forcedPullEnd: Map<string, number>;
}

export interface SimResult {
  pulls: PullRec[];
  present: PresentRec[];
}

export function pullSeconds(rng: Rng, image: ImageSpec, incident: boolean): number {
  const mb = image.size / 1_048_576;
  if (!incident) return 0.6 + mb * rng.range(0.01, 0.03);
  return Math.min(170, 3 + mb * rng.range(0.2, 0.45));
}

export function simulate(pods: Pod[], p: SimParams): SimResult {
  // A fresh stream per pass: every pass draws the same numbers in the same order.
  const rng = new Rng(p.seed).fork('lifecycle');
  const pulls: PullRec[] = [];
  const present: PresentRec[] = [];
  const images = new Map<string, number>();
  /** Images whose pull completion waited for the stall. */
  const stalled = new Set<string>();
  const block = (us: number, jitter: number): [number, boolean] => {
    if (us >= p.blockFromUs && us <= p.blockToUs) return [p.blockToUs + Math.round(jitter), true];
    return [us, false];
  };
  for (const pod of pods) {
    pod.sandboxStartUs = p.podsAddUs + Math.round(rng.range(0.2, 6) * S);
    pod.sandboxReadyUs = Math.max(pod.sandboxStartUs, p.pauseReadyUs) + Math.round(rng.range(0.3, 1.2) * S);
    let t = pod.sandboxReadyUs + Math.round(rng.range(0.05, 0.3) * S);
    for (const c of pod.containers) {
      const d = Math.round(pullSeconds(rng, c.image, p.incident) * S);
      const j1 = rng.range(0.1, 2.5) * S;
      const j2 = rng.range(0.1, 2.5) * S;
      const j3 = rng.range(0.1, 2.5) * S;
      const createGap = Math.round(rng.range(0.05, 0.3) * S);
      const startGap = Math.round(rng.range(0.08, 0.5) * S);
      const runFor = Math.round(rng.range(0.2, 0.9) * S);
      const after = Math.round(rng.range(0.4, 1.2) * S);
      const dedupe = Math.round(rng.range(0.05, 0.5) * S);
      const ref = c.image.ref;
      const known = images.get(ref);
      let waited = false;
      if (!p.newImages.has(ref) || (known !== undefined && known <= t)) {
        present.push({ pod, ctr: c, atUs: t });
      } else if (known === undefined) {
        const forced = p.forcedPullEnd.get(ref);
        const [end, blocked] = block(forced ?? t + d, j1);
        if (blocked || (forced !== undefined && forced > p.blockToUs)) stalled.add(ref);
        images.set(ref, end);
        pulls.push({ image: c.image, pod, ctr: c, startUs: t, endUs: end });
        waited = stalled.has(ref);
        t = end;
      } else {
        // Another pod is pulling it: kubelet pulls too, containerd waits for the same content.
        pulls.push({ image: c.image, pod, ctr: c, startUs: t, endUs: known + dedupe });
        waited = stalled.has(ref);
        t = known + dedupe;
      }
      const [create, d1] = block(t + createGap, j2);
      const [start, d2] = block(create + startGap, j3);
      c.createUs = create;
      c.startUs = start;
      c.delayed = d1 || d2 || waited;
      if (c.init) {
        c.exitUs = start + runFor;
        c.exitCode = 0;
        t = c.exitUs + after;
      } else {
        c.exitUs = null;
        t = start + Math.round(after / 4);
      }
    }
  }
  pulls.sort((a, b) => a.startUs - b.startUs);
  present.sort((a, b) => a.atUs - b.atUs);
  return { pulls, present };
}

/** PIDs in start order: shims and container processes get increasing pids as they start. */
export function assignPids(rng: Rng, pods: Pod[], firstPid: number): void {
  const events: { us: number; set: (pid: number) => void }[] = [];
  for (const pod of pods) {
    events.push({ us: pod.sandboxStartUs, set: (pid) => (pod.shimPid = pid) });
    for (const c of pod.containers) events.push({ us: c.startUs, set: (pid) => (c.pid = pid) });
  }
  events.sort((a, b) => a.us - b.us);
  let pid = firstPid;
  for (const e of events) {
    pid += rng.int(6, 90);
    e.set(pid);
  }
}
