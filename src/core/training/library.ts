// The training library: the generated scenarios with what a trainee is told before starting.
// Everything that could be memorised (zone, clock skew, noise and so which distracting errors
// appear, pod names, times) is drawn from the seed; the fault itself stays the scenario's.

import { generateScenario, type ScenarioName, type ScenarioOptions } from '../scenarios';
import { buildPlan } from '../scenarios/plan';
import { Rng } from '../scenarios/rng';

export type Difficulty = 'easy' | 'medium' | 'hard';

export interface TrainingScenario {
  id: ScenarioName;
  title: string;
  difficulty: Difficulty;
  /** The fault-free summary shown in the library before a seed is chosen. */
  teaser: string;
  /** What the bundle holds, in the words a trainee would use to find it. */
  files: string[];
}

const NODE_FILES = [
  'kubelet journal', 'containerd journal', 'containerd goroutine dump', 'containerd-shim goroutine dump',
  'PSI io / memory / cpu', 'iostat -x -t', 'vmstat -t', 'dmesg',
];

export const trainingScenarios: readonly TrainingScenario[] = [
  { id: 'io-storm-umount-bbolt', title: 'Slow container starts after a reboot', difficulty: 'hard', teaser: 'After a node reboot, pods stay in ContainerCreating for minutes and the node flaps NotReady.', files: NODE_FILES },
  { id: 'healthy', title: 'A node someone worried about', difficulty: 'medium', teaser: 'A developer thinks a node is "slow". Is anything actually wrong?', files: NODE_FILES },
  { id: 'pleg-slow-relist', title: 'PLEG is not healthy', difficulty: 'easy', teaser: 'The node goes NotReady with "PLEG is not healthy" while the disk looks calm.', files: NODE_FILES },
  { id: 'shim-umount-hung', title: 'A pod that will not terminate', difficulty: 'medium', teaser: 'One pod hangs in Terminating; kubectl delete never returns.', files: NODE_FILES },
  { id: 'cri-lock-contention', title: 'kubectl shows stale pod status', difficulty: 'medium', teaser: 'Pod status stops updating on one node; the kubelet relist stalls.', files: NODE_FILES },
  { id: 'runtime-down', title: 'Pods cannot start for a minute', difficulty: 'easy', teaser: 'For about a minute nothing could be started or stopped on a node, then it recovered.', files: NODE_FILES },
  { id: 'disk-pressure-eviction', title: 'Pods evicted from one node', difficulty: 'medium', teaser: 'Pods on one node were evicted and new ones would not start there; a few minutes later the node was fine again.', files: NODE_FILES },
  { id: 'container-oom-killed', title: 'A pod that keeps restarting', difficulty: 'easy', teaser: 'One workload\'s pod restarts again and again; the node itself looks fine.', files: NODE_FILES },
  { id: 'node-memory-exhausted', title: 'Pods killed and evicted on one node', difficulty: 'medium', teaser: 'Several pods on one node died or were evicted within a few minutes; other nodes were fine.', files: NODE_FILES },
  { id: 'api-server-unreachable', title: 'A node goes NotReady on its own', difficulty: 'medium', teaser: 'One node turned NotReady for a few minutes while its containers kept running; then it came back.', files: NODE_FILES },
  { id: 'cni-sandbox-failure', title: 'New pods stuck in ContainerCreating', difficulty: 'easy', teaser: 'New pods scheduled to one node never start; the pods already running there are fine.', files: NODE_FILES },
];

export function trainingScenario(id: string): TrainingScenario | undefined {
  return trainingScenarios.find((s) => s.id === id);
}

/** Bundle size of an exercise: big enough to need the tools, small enough to ingest in seconds. */
export const TRAINING_BYTES = 3_000_000;

const ZONES = [0, 60, 120, 330, 480, 540, -300, -420, 600];

/** The generator options of an exercise: same scenario and seed → same bundle, on every machine. */
export function trainingOptions(scenario: ScenarioName, seed: number): ScenarioOptions {
  const rng = new Rng(seed).fork(`training:${scenario}`);
  return {
    scenario,
    seed,
    targetBytes: TRAINING_BYTES,
    zoneOffsetMin: rng.pick(ZONES),
    skewUs: rng.int(-90, 90) * 1_000_000,
    // Never zero: a bundle without distracting errors would make the fault stand out.
    noise: Math.round(rng.range(0.25, 1) * 100) / 100,
  };
}

/** A seed a trainer can read out loud. */
export function randomSeed(random: () => number = Math.random): number {
  return 1 + Math.floor(random() * 999_999);
}

/** Local wall-clock "HH:MM" of a µs UTC time in the node's zone (what the on-call would have seen). */
function localClock(us: number, zoneOffsetMin: number): string {
  const d = new Date(us / 1000 + zoneOffsetMin * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function zoneName(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** What the on-call saw, in their words: node, pods and times differ from seed to seed. */
export function briefing(scenario: ScenarioName, seed: number): string {
  const opts = trainingOptions(scenario, seed);
  const { truth } = generateScenario(opts);
  const plan = buildPlan(opts);
  const rng = new Rng(seed).fork('briefing');
  const app = rng.pick(plan.pods.filter((p) => p.ns !== 'kube-system').concat(plan.pods)).name;
  const zone = truth.zoneOffsetMin;
  const at = (us: number) => `${localClock(us, zone)} (${zoneName(zone)}, node clock)`;
  const when = truth.chainWindow?.fromUs ?? truth.plegGap?.fromUs ?? truth.bootUs + 300_000_000;
  const node = truth.hostname;
  switch (scenario) {
    case 'io-storm-umount-bbolt':
      return `${node} was rebooted at ${at(truth.bootUs)} for a kernel update. Afterwards containers took minutes to start: ${app} sat in ContainerCreating, kubectl showed the node NotReady for a while around ${at(when)}, and one pod would not finish terminating. Nothing was changed on the node. Find out why, and what to change before the next reboot.`;
    case 'healthy':
      return `The owner of ${app} says ${node} "felt slow" after it came up at ${at(truth.bootUs)}, and their dashboards show a few failed probes and image-pull errors. The node was never NotReady. Is anything on this node actually broken, and if so, what?`;
    case 'pleg-slow-relist':
      return `${node} went NotReady around ${at(when)} with "PLEG is not healthy" in the node conditions, then recovered on its own. Pods like ${app} showed stale status meanwhile. Disk graphs look calm. Explain the NotReady and what to change.`;
    case 'shim-umount-hung':
      return `Around ${at(when)} a container of ${app} on ${node} exited and the pod has been stuck in Terminating since; kubectl delete --wait never returns. Other pods on the node look fine. What is holding it?`;
    case 'cri-lock-contention':
      return `At ${at(when)} pod status on ${node} stopped updating: kubectl showed ${app} Running long after it had been restarted, and the kubelet logged CRI timeouts. It cleared up by itself a few minutes later. What blocked the kubelet?`;
    case 'runtime-down':
      return `Around ${at(when)} nothing could be started or stopped on ${node} for about a minute: ${app} was stuck in ContainerCreating and kubelet events said the runtime was not ready. Then everything recovered. What happened, and how do you keep it from happening again?`;
    case 'disk-pressure-eviction':
      return `Around ${at(when)} pods on ${node} were evicted and new containers would not start there (${app} among them); the node carried a taint for a few minutes, then everything looked normal again. Nobody changed the node. Why were the pods evicted, and what has to change so it does not happen again?`;
    case 'container-oom-killed':
      return `Since about ${at(when)} a pod on ${node} keeps restarting; its restart count climbs and kubectl shows it in CrashLoopBackOff between attempts. Other pods such as ${app} run fine and the node never went NotReady. Why does it restart, and what is the fix?`;
    case 'cni-sandbox-failure':
      return `From about ${at(when)} new pods scheduled to ${node} stayed in ContainerCreating for many minutes (a new replica of ${app} among them); pods already running on the node kept serving, and the other nodes started the same pods normally. Later the stuck pods started without anyone touching them. What kept them from starting, and what should be checked or changed on this node?`;
    case 'node-memory-exhausted':
      return `Around ${at(when)} several pods on ${node} were evicted or died at once (${app} among those affected), and the node showed a condition for a few minutes before everything settled. Nothing was deployed to the node just then. What happened to the node, and what has to change?`;
    case 'api-server-unreachable':
      return `Around ${at(when)} ${node} went NotReady in kubectl for a few minutes and the dashboards lost its pods' status, yet ${app} and the other containers on it kept serving traffic; nobody touched the node. Then it turned Ready again. Why did the control plane lose the node, and what has to change?`;
  }
}
