// Seeded, deterministic generator of node-log bundles: the reference incident
// (INCIDENT.md: IO storm → overlay umount → bbolt lock → PLEG stall), a healthy control, and four
// other faults built on the healthy node (variants.ts): pleg-slow-relist, shim-umount-hung,
// cri-lock-contention, runtime-down, disk-pressure-eviction, container-oom-killed, node-memory-exhausted, cni-sandbox-failure, api-server-unreachable.
// Pure TypeScript: runs in a browser worker and in Node.

import { chunked, measure, sortByTime } from './chunks';
import { containerdChunks, containerdSignal } from './containerd';
import { distractorLines } from './distractors';
import { dmesgChunks } from './dmesg';
import { buildIoModel } from './io-model';
import { kubeletChunks, kubeletSignal } from './kubelet';
import { iostatChunks, psiChunks, vmstatChunks } from './metrics';
import { buildPlan } from './plan';
import { buildContainerdDump } from './stacks-containerd';
import { buildShimDump } from './stacks-shim';
import type { GeneratedFile, GeneratedScenario, ScenarioOptions, ScenarioTruth } from './types';
import { appendGoroutines } from './variant-common';
import { shapeVariant } from './variants';

export type { GeneratedFile, GeneratedScenario, ImagePullTruth, ScenarioName, ScenarioOptions, ScenarioTruth, TaskExitTruth, TimeWindow } from './types';

/** Share of the noise budget that goes to kubelet (the rest to containerd), as on real nodes at -v=5 / debug. */
const KUBELET_SHARE = 0.58;

/** Workers ask for the same scenario once per file: keep the last few (files are pure and re-iterable). */
const memo = new Map<string, GeneratedScenario>();

export function generateScenario(opts: ScenarioOptions): GeneratedScenario {
  const key = JSON.stringify([opts.scenario, opts.seed, opts.targetBytes, opts.zoneOffsetMin ?? 0, opts.skewUs ?? 0, opts.startUs ?? null, opts.plegGapSec ?? null, opts.noise ?? 0]);
  const hit = memo.get(key);
  if (hit) return hit;
  const made = buildScenario(opts);
  memo.set(key, made);
  if (memo.size > 3) memo.delete(memo.keys().next().value as string);
  return made;
}

/** `generateScenario` without the memo (tests of determinism use it). */
export function buildScenario(opts: ScenarioOptions): GeneratedScenario {
  if (!(opts.targetBytes > 0)) throw new Error('targetBytes must be positive');
  const plan = buildPlan(opts);
  const variantExtras = shapeVariant(plan, opts.scenario);
  const w = (us: number): number => us + plan.skewUs;
  const host = plan.host.replace(/\./g, '-');
  const root = host.startsWith('node-') ? host : `node-${host}`;
  const cdump = buildContainerdDump(plan);
  const extras = variantExtras(cdump.text);
  const distractors = distractorLines(plan, opts.noise ?? 0);
  cdump.text = appendGoroutines(cdump.text, extras.containerdGoroutines);
  cdump.count += extras.containerdGoroutines.length;
  const sdump = buildShimDump(plan);
  const model = buildIoModel(plan);
  extras.shapeModel?.(model);

  const paths: ScenarioTruth['paths'] = {
    kubelet: `${root}/journal/kubelet.log`,
    containerd: `${root}/journal/containerd.log`,
    containerdStacks: `${root}/stacks/containerd.${plan.containerdPid}.stacks.log`,
    shimStacks: `${root}/stacks/shim-${plan.shim.pod.sandboxId.slice(0, 12)}.stacks.log`,
    psiIo: `${root}/proc/pressure-io.log`,
    psiMemory: `${root}/proc/pressure-memory.log`,
    psiCpu: `${root}/proc/pressure-cpu.log`,
    iostat: `${root}/iostat-x.log`,
    vmstat: `${root}/vmstat.log`,
    dmesg: `${root}/dmesg.log`,
  };

  const fixed: [string, () => Generator<string>][] = [
    [paths.containerdStacks, () => chunked([cdump.text])],
    [paths.shimStacks, () => chunked([sdump.text])],
    [paths.psiIo, psiChunks(plan, model, 'io')],
    [paths.psiMemory, psiChunks(plan, model, 'memory')],
    [paths.psiCpu, psiChunks(plan, model, 'cpu')],
    [paths.iostat, iostatChunks(plan, model)],
    [paths.vmstat, vmstatChunks(plan, model)],
    [paths.dmesg, dmesgChunks(plan, extras.kernel)],
  ];
  const fixedFiles: GeneratedFile[] = fixed.map(([path, chunks]) => ({ path, chunks, approxBytes: measure(chunks) }));
  const fixedBytes = fixedFiles.reduce((s, f) => s + f.approxBytes, 0);

  const ks = kubeletSignal(plan);
  const cs = containerdSignal(plan, cdump.text);
  ks.lines = sortByTime([...ks.lines, ...extras.kubelet, ...distractors.kubelet]);
  cs.lines = sortByTime([...cs.lines, ...extras.containerd, ...distractors.containerd]);
  const kBytes = ks.lines.reduce((s, l) => s + l.text.length, 0);
  const cBytes = cs.lines.reduce((s, l) => s + l.text.length, 0);
  const remaining = Math.max(0, opts.targetBytes - fixedBytes - kBytes - cBytes);
  const kNoise = Math.round(remaining * KUBELET_SHARE);
  const cNoise = remaining - kNoise;

  const files: GeneratedFile[] = [
    { path: paths.kubelet, chunks: () => kubeletChunks(plan, ks.lines, kNoise), approxBytes: kBytes + kNoise },
    { path: paths.containerd, chunks: () => containerdChunks(plan, cs.lines, cNoise), approxBytes: cBytes + cNoise },
    ...fixedFiles,
  ];

  const gap = plan.gap;
  const truth: ScenarioTruth = {
    scenario: opts.scenario,
    seed: opts.seed,
    hostname: plan.host,
    zoneOffsetMin: plan.zoneOffsetMin,
    skewUs: plan.skewUs,
    bootUs: w(plan.bootUs),
    capture: { fromUs: w(plan.bootUs), toUs: w(plan.endUs) },
    paths,
    pids: { kubelet: plan.kubeletPid, containerd: plan.containerdPid, shim: plan.shim.pod.shimPid },
    plegGap: gap ? { fromUs: w(gap.fromUs), toUs: w(gap.toUs) } : undefined,
    relistCount: ks.relists,
    plegUnhealthyLines: ks.unhealthy,
    ioPressure: plan.storm ? { fromUs: w(plan.storm.fromUs), toUs: w(plan.storm.toUs) } : undefined,
    imagePulls: ks.pulls,
    taskExitErrors: cs.taskExits.length,
    taskExits: cs.taskExits,
    stopContainerErrors: ks.stopErrors,
    lockHolderGoroutine: cdump.holder,
    lockWaiterGoroutine: cdump.waiter,
    bboltWaiterGoroutines: cdump.bboltWaiters,
    statusWaiterGoroutines: cdump.statusWaiters,
    exitHandlerGoroutine: cdump.exitHandler,
    shimDeleteGoroutine: sdump.deleteGoroutine,
    dbPointer: cdump.dbPtr,
    statusPointer: cdump.statusPtr,
    containerdDump: { path: paths.containerdStacks, pid: plan.containerdPid, takenAtUs: w(plan.dumpUs), goroutines: cdump.count },
    shimDump: { path: paths.shimStacks, pid: plan.shim.pod.shimPid, containerId: plan.shim.ctr.id, goroutines: sdump.count },
    hungTask: plan.hungTaskUs !== null ? { pid: plan.shim.tid, atUs: w(plan.hungTaskUs), uptimeSec: (plan.hungTaskUs - plan.bootUs) / 1_000_000 } : undefined,
    delayedContainers: plan.pods.reduce((n, p) => n + p.containers.filter((c) => c.delayed).length, 0),
    chainWindow: extras.chainWindow,
  };
  return { name: `${opts.scenario}-${opts.seed}`, files, truth };
}
