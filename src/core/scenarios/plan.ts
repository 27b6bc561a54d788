// The scenario plan: every fact the files share (node, processes, pods, and the incident's
// timeline), decided once from the seed. All times here are true µs UTC; writers add the skew.

import { NODE_STYLES, PAUSE_IMAGE, type ImageSpec } from './catalog';
import { buildPods, imageIds, type Container, type ImageIds, type Pod } from './inventory';
import { assignPids, simulate, type PresentRec, type PullRec, type SimParams } from './lifecycle';
import { Rng } from './rng';
import type { ScenarioOptions } from './types';

export const S = 1_000_000;
const MB = 1_048_576;

export interface ExitError {
  pod: Pod;
  ctr: Container;
  exitUs: number;
  logUs: number;
}

export interface StopFailure {
  pod: Pod;
  ctr: Container;
  killUs: number;
  errorUs: number;
  grace: number;
}

export interface Scale {
  durationSec: number;
  podCount: number;
  psiEverySec: number;
  iostatEverySec: number;
  vmstatEverySec: number;
}

export interface Plan {
  incident: boolean;
  seed: number;
  targetBytes: number;
  zoneOffsetMin: number;
  skewUs: number;
  scale: Scale;
  host: string;
  nodeIp: string;
  kernel: string;
  device: string;
  cpus: number;
  memKb: number;
  containerdPid: number;
  kubeletPid: number;
  /** journald's PID for the kubelet unit (a wrapper may make it differ from klog's). */
  kubeletJournalPid: number;
  kubeletIdent: string;
  bootUs: number;
  containerdStartUs: number;
  kubeletStartUs: number;
  podsAddUs: number;
  pauseReadyUs: number;
  endUs: number;
  relists: number[];
  gap: { fromUs: number; toUs: number; unblockUs: number; lastSuccessUs: number } | null;
  storm: { fromUs: number; toUs: number } | null;
  unhealthyUs: number[];
  dumpUs: number;
  shimDumpUs: number;
  holderStartUs: number;
  waiterStartUs: number;
  pods: Pod[];
  pulls: PullRec[];
  present: PresentRec[];
  images: Map<string, ImageIds>;
  holderPull: PullRec | null;
  exitErrors: ExitError[];
  stopFailures: StopFailure[];
  /** The shim whose `Delete` hangs in umount (incident), or the shim that was dumped (healthy). */
  shim: { pod: Pod; ctr: Container; sinceUs: number; untilUs: number; tid: number };
  hungTaskUs: number | null;
}

export function scaleFor(targetBytes: number): Scale {
  const mb = Math.max(0.25, targetBytes / MB);
  const durationSec = Math.round(Math.min(14400, Math.max(720, 720 * Math.pow(mb, 0.45))));
  const podCount = Math.round(Math.min(48, Math.max(10, 10 + 6 * Math.log2(Math.max(1, mb)))));
  if (mb < 4) return { durationSec, podCount, psiEverySec: 10, iostatEverySec: 10, vmstatEverySec: 5 };
  if (mb < 60) return { durationSec, podCount, psiEverySec: 5, iostatEverySec: 5, vmstatEverySec: 2 };
  return { durationSec, podCount, psiEverySec: 2, iostatEverySec: 2, vmstatEverySec: 1 };
}

function defaultStartUs(rng: Rng): number {
  const year = rng.int(2023, 2025);
  if (rng.chance(0.12)) {
    // New Year's Eve: the capture crosses into the next year.
    return (Date.UTC(year, 11, 31, 23, rng.int(40, 56), rng.int(0, 59)) + rng.int(0, 999)) * 1000 + rng.int(0, 999);
  }
  const ms = Date.UTC(year, 0, 1) + rng.int(0, 364) * 86_400_000 + rng.int(0, 86_399) * 1000 + rng.int(0, 999);
  return ms * 1000 + rng.int(0, 999);
}

function relistTimes(rng: Rng, fromUs: number, toUs: number, gapAtUs: number | null, gapUs: number): { times: number[]; gapIndex: number } {
  const times: number[] = [];
  let t = fromUs;
  let gapIndex = -1;
  while (t < toUs) {
    times.push(t);
    if (gapAtUs !== null && gapIndex < 0 && t >= gapAtUs) {
      gapIndex = times.length - 1;
      t += gapUs;
      continue;
    }
    const took = rng.chance(0.02) ? rng.range(0.02, 0.3) : 0.0006 + rng.exp(0.0025);
    t += Math.round((1 + took) * S);
  }
  return { times, gapIndex };
}

const sec = (rng: Rng, lo: number, hi: number): number => Math.round(rng.range(lo, hi) * S);

export function buildPlan(opts: ScenarioOptions): Plan {
  const root = new Rng(opts.seed);
  const rNode = root.fork('node');
  const rTime = root.fork('time');
  const rPods = root.fork('pods');
  const rRelist = root.fork('relist');
  const rInc = root.fork('incident');
  const incident = opts.scenario === 'io-storm-umount-bbolt';
  const scale = scaleFor(opts.targetBytes);

  const style = rNode.pick(NODE_STYLES);
  const host = style.hostname(rNode);
  const ipMatch = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(host);
  const nodeIp = ipMatch ? `${ipMatch[1]}.${ipMatch[2]}.${ipMatch[3]}.${ipMatch[4]}` : `10.${rNode.int(0, 200)}.${rNode.int(0, 255)}.${rNode.int(2, 250)}`;
  const cpus = rNode.pick(style.cpus);
  const memKb = cpus * rNode.pick([2, 4, 8]) * 1024 * 1024 - rNode.int(300_000, 900_000);
  const containerdPid = rNode.int(600, 2600);
  const kubeletPid = rNode.chance(0.5) ? containerdPid + rNode.int(150, 1400) : Math.max(400, containerdPid - rNode.int(100, 500));
  const wrapped = rNode.chance(0.3);

  const bootUs = opts.startUs ?? defaultStartUs(rTime);
  const containerdStartUs = bootUs + sec(rTime, 6, 12);
  const kubeletStartUs = containerdStartUs + sec(rTime, 2, 6);
  const firstRelistUs = kubeletStartUs + sec(rTime, 3, 6);
  const podsAddUs = kubeletStartUs + sec(rTime, 4, 8);
  const pauseReadyUs = incident ? podsAddUs + sec(rTime, 1, 3) : podsAddUs;
  let endUs = bootUs + scale.durationSec * S;

  const pods = buildPods(rPods, scale.podCount, nodeIp);
  const allImages: ImageSpec[] = [PAUSE_IMAGE];
  for (const p of pods) for (const c of p.containers) if (!allImages.includes(c.image)) allImages.push(c.image);
  const images = imageIds(rPods, allImages);
  const newImages = new Set<string>();
  if (incident) {
    for (const img of allImages) newImages.add(img.ref);
  } else {
    const small = allImages.filter((i) => i.size < 40 * MB && i !== PAUSE_IMAGE);
    const n = rPods.int(0, 2);
    for (let i = 0; i < n && small.length > 0; i++) newImages.add(rPods.pick(small).ref);
  }
  const sim: SimParams = {
    seed: opts.seed,
    incident,
    podsAddUs,
    pauseReadyUs,
    newImages,
    blockFromUs: Number.POSITIVE_INFINITY,
    blockToUs: Number.NEGATIVE_INFINITY,
    forcedPullEnd: new Map(),
  };
  let result = simulate(pods, sim);

  if (!incident) {
    const { times } = relistTimes(rRelist, firstRelistUs, endUs, null, 0);
    const dumpUs = podsAddUs + sec(rInc, 150, 450);
    assignPids(rPods, pods, Math.max(containerdPid, kubeletPid) + rPods.int(200, 900));
    const pod = rInc.pick(pods);
    const ctr = pod.containers[pod.containers.length - 1] as Container;
    return {
      incident, seed: opts.seed, targetBytes: opts.targetBytes, zoneOffsetMin: opts.zoneOffsetMin ?? 0, skewUs: opts.skewUs ?? 0, scale,
      host, nodeIp, kernel: style.kernel, device: style.device, cpus, memKb, containerdPid, kubeletPid,
      kubeletJournalPid: wrapped ? kubeletPid + 1 : kubeletPid, kubeletIdent: wrapped ? 'kubelet_init' : 'kubelet',
      bootUs, containerdStartUs, kubeletStartUs, podsAddUs, pauseReadyUs, endUs, relists: times, gap: null, storm: null, unhealthyUs: [],
      dumpUs, shimDumpUs: dumpUs + sec(rInc, 2, 20), holderStartUs: 0, waiterStartUs: 0, pods,
      pulls: result.pulls, present: result.present, images, holderPull: null, exitErrors: [], stopFailures: [],
      shim: { pod, ctr, sinceUs: ctr.startUs, untilUs: endUs, tid: 0 }, hungTaskUs: null,
    };
  }

  // 1. Where the storm starts: when pulls begin to overlap.
  const starts = result.pulls.map((p) => p.startUs);
  let stormFromUs = (starts[0] ?? podsAddUs) + 3 * S;
  for (let i = 0; i < result.pulls.length; i++) {
    const s = result.pulls[i]?.startUs ?? 0;
    const active = result.pulls.filter((p) => p.startUs <= s && p.endUs > s).length;
    if (active >= 2) {
      stormFromUs = s;
      break;
    }
  }
  stormFromUs += sec(rInc, 1, 4);
  const initExits = (): Container[] =>
    pods.flatMap((p) => p.containers).filter((c) => c.init && c.exitUs !== null).sort((a, b) => (a.exitUs ?? 0) - (b.exitUs ?? 0));
  let first = initExits().find((c) => (c.exitUs ?? 0) >= stormFromUs + S);
  if (!first) {
    first = initExits()[0] as Container;
    stormFromUs = (first.exitUs ?? stormFromUs) - sec(rInc, 3, 6);
  }
  const firstErrExitUs = first.exitUs ?? stormFromUs;

  // 2. The stalled relist, the dump taken during it, and the lock holder that causes it.
  const gapTargetUs = Math.max(stormFromUs + sec(rInc, 40, 75), firstErrExitUs + sec(rInc, 66, 80));
  const gapLenUs = Math.round((opts.plegGapSec ?? rInc.range(30, 60)) * S);
  const relist = relistTimes(rRelist, firstRelistUs, Math.max(endUs, gapTargetUs + gapLenUs + 600 * S), gapTargetUs, gapLenUs);
  const gapFromUs = relist.times[relist.gapIndex] ?? gapTargetUs;
  const gapToUs = gapFromUs + gapLenUs;
  const lastSuccessUs = relist.times[relist.gapIndex - 1] ?? gapFromUs;
  const unblockUs = gapToUs - S - sec(rInc, 0.0006, 0.004);
  const dumpUs = gapFromUs + Math.round(rInc.range(0.55, 0.9) * gapLenUs);
  const waiterStartUs = gapFromUs - sec(rInc, 0.05, 0.8);
  const holderStartUs = Math.min(Math.max(firstErrExitUs + sec(rInc, 0.5, 10), dumpUs - sec(rInc, 62, 110)), waiterStartUs - sec(rInc, 2, 20));

  // 3. Re-run the pods with the stall, and find the pull whose commit holds the lock.
  sim.blockFromUs = holderStartUs;
  sim.blockToUs = unblockUs;
  result = simulate(pods, sim);
  const findHolder = (): PullRec | null => {
    const active = result.pulls.filter((p) => p.startUs <= holderStartUs - 2 * S && p.endUs > unblockUs);
    active.sort((a, b) => b.image.size - a.image.size);
    return active[0] ?? null;
  };
  let holderPull = findHolder();
  if (!holderPull) {
    const before = result.pulls.filter((p) => p.startUs <= holderStartUs - 2 * S);
    const cand = before[before.length - 1] ?? result.pulls[0];
    if (cand) {
      sim.forcedPullEnd.set(cand.image.ref, unblockUs + sec(rInc, 0.3, 4));
      result = simulate(pods, sim);
      holderPull = findHolder();
    }
  }

  // 4. Exits whose TaskExit handling times out, and the kubelet stops that time out.
  const exitErrors: ExitError[] = [];
  for (const c of initExits()) {
    const ex = c.exitUs ?? 0;
    if (ex < firstErrExitUs || ex > unblockUs + 25 * S) continue;
    const pod = pods.find((p) => p.containers.includes(c)) as Pod;
    exitErrors.push({ pod, ctr: c, exitUs: ex, logUs: ex + 10 * S + sec(rInc, 0.0005, 0.003) });
  }
  const stopFailures: StopFailure[] = [];
  const candidates = pods.filter((p) => p.kind === 'deployment' || p.kind === 'job')
    .flatMap((pod) => pod.containers.filter((c) => !c.init && c.startUs < holderStartUs - 2 * S).map((ctr) => ({ pod, ctr })));
  rInc.shuffle(candidates);
  const stops = Math.min(candidates.length, rInc.int(1, 3));
  for (let i = 0; i < stops; i++) {
    const { pod, ctr } = candidates[i] as { pod: Pod; ctr: Container };
    if (stopFailures.some((s) => s.pod === pod)) continue;
    const grace = rInc.pick([2, 5, 10]);
    const killUs = Math.max(ctr.startUs + 3 * S, holderStartUs - sec(rInc, 5, 25));
    if (killUs > unblockUs - 10 * S) continue;
    stopFailures.push({ pod, ctr, killUs, errorUs: killUs + (120 + grace) * S + sec(rInc, 0.001, 0.04), grace });
  }

  // 5. The end of the storm, the hung shim and the kernel's report about it.
  const firstPod = pods.find((p) => p.containers.includes(first as Container)) as Pod;
  const lastPullEnd = Math.max(...result.pulls.map((p) => p.endUs));
  let stormToUs = Math.max(
    lastPullEnd + sec(rInc, 10, 30),
    unblockUs + sec(rInc, 30, 80),
    firstErrExitUs + sec(rInc, 140, 200),
    ...stopFailures.map((s) => s.errorUs + sec(rInc, 3, 10)),
  );
  const sinceUs = firstErrExitUs + sec(rInc, 0.001, 0.005);
  let untilUs = stormToUs - sec(rInc, 2, 8);
  const phaseUs = bootUs + sec(rInc, 0, 120);
  const k = Math.ceil((sinceUs + 120 * S - phaseUs) / (120 * S));
  const hungTaskUs = phaseUs + k * 120 * S + rInc.int(0, 900);
  if (untilUs < hungTaskUs + 5 * S) {
    untilUs = hungTaskUs + sec(rInc, 5, 20);
    stormToUs = untilUs + sec(rInc, 2, 8);
  }
  endUs = Math.max(endUs, stormToUs + 240 * S, dumpUs + 120 * S);
  if (relist.times.length > 0) {
    while ((relist.times[relist.times.length - 1] ?? 0) > endUs) relist.times.pop();
  }

  const unhealthyUs: number[] = [];
  if (gapLenUs > 180 * S) {
    let t = lastSuccessUs + 180 * S + sec(rInc, 0.01, 0.9);
    let backoff = 0.1;
    while (t < unblockUs) {
      unhealthyUs.push(t);
      t += Math.round(backoff * S) + rInc.int(100, 4000);
      backoff = Math.min(5, backoff * 2);
    }
  }

  assignPids(rPods, pods, Math.max(containerdPid, kubeletPid) + rPods.int(200, 900));
  return {
    incident, seed: opts.seed, targetBytes: opts.targetBytes, zoneOffsetMin: opts.zoneOffsetMin ?? 0, skewUs: opts.skewUs ?? 0, scale,
    host, nodeIp, kernel: style.kernel, device: style.device, cpus, memKb, containerdPid, kubeletPid,
    kubeletJournalPid: wrapped ? kubeletPid + 1 : kubeletPid, kubeletIdent: wrapped ? 'kubelet_init' : 'kubelet',
    bootUs, containerdStartUs, kubeletStartUs, podsAddUs, pauseReadyUs, endUs,
    relists: relist.times,
    gap: { fromUs: gapFromUs, toUs: gapToUs, unblockUs, lastSuccessUs },
    storm: { fromUs: stormFromUs, toUs: stormToUs },
    unhealthyUs, dumpUs, shimDumpUs: dumpUs + sec(rInc, 2, 15), holderStartUs, waiterStartUs,
    pods, pulls: result.pulls, present: result.present, images, holderPull, exitErrors, stopFailures,
    shim: { pod: firstPod, ctr: first, sinceUs, untilUs, tid: firstPod.shimPid + rInc.int(3, 14) },
    hungTaskUs,
  };
}
