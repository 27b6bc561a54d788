// Runtime errors: the container runtime failing kubelet (CRI deadlines, unreachable socket),
// containerd failing its own work (TaskExit handling, dead shims), and runtime restarts.

import type { AnalysisInput, Finding, LineSignal } from './types';
import { SEC, clamp01, clusters, finish, lineEvidence, originOf, type NewFinding } from './util';

const CLUSTER_GAP_US = 60 * SEC;
/** kubelet's CRI calls time out after 2 min (runtime-request-timeout): one call's repeated deadlines come that far apart. */
const DEADLINE_GAP_US = 5 * 60 * SEC;
/** CRI RuntimeService / ImageService methods, as both kubelet and containerd name them. */
const CRI_CALL = /\b(StopContainer|RemoveContainer|ListContainers|ListPodSandbox|UpdateContainerResources|ContainerStatus|PodSandboxStatus|StopPodSandbox|RemovePodSandbox|RunPodSandbox|CreateContainer|StartContainer|ExecSync|ContainerStats|ListContainerStats|PodSandboxStats|ListPodSandboxStats|ReopenContainerLog|ImageStatus|PullImage|RemoveImage|ListImages|ImageFsInfo)\b/;
const DEADLINE = /deadline exceeded|DeadlineExceeded/;
const UNREACHABLE = /connection refused|transport is closing|code = Unavailable|error reading from server: EOF/;
const FIRST_CODE = /\bcode = (\w+)/;
const DIAL = /\bdial (unix|tcp[46]?|udp) ([^\s:"\\]+)/;
/** CRI endpoints: containerd, CRI-O, cri-dockerd / dockershim, or a socket named after the runtime. */
const RUNTIME_SOCKET = /containerd|crio|cri-dockerd|dockershim|docker\.sock|runtime/;
/** An HTTP client's request (`Get "https://…"`) or a name lookup: never a CRI call. */
const API_CLIENT = /\bhttps?:\/\/|dial tcp[46]?: lookup /;
/** Origins that are the runtime itself (its daemon log and its shims). */
const RUNTIME_ORIGINS = new Set(['containerd', 'shim', 'crio', 'dockerd']);

export function detectRuntime(input: AnalysisInput): Finding[] {
  const taskExits = new Map<string, LineSignal[]>();
  const deadlines = new Map<string, LineSignal[]>();
  const shims: LineSignal[] = [];
  const unreachable: LineSignal[] = [];
  const starts: LineSignal[] = [];
  const exits: LineSignal[] = [];
  for (const s of input.signals) {
    if (s.kind !== 'runtime') continue;
    const t = s.text;
    if (t.includes('TaskExit') && t.includes('failed to handle')) {
      // Go's struct print (`ContainerID:…`, containerd ≤ 1.6), the protobuf text of 1.7+
      // (`container_id:\"…\"`, escaped or not), or an `id=` field.
      const id = /(?:ContainerID:|\bcontainer_id:(?:\\*")?)([0-9a-f]{12,64})/.exec(t)?.[1] ?? /\bid=([0-9a-f]{12,64})/.exec(t)?.[1] ?? 'unknown';
      push(taskExits, id, s);
    } else if (DEADLINE.test(t)) {
      // kubelet's kill path names no CRI call ("Container termination failed", KillContainerError): it is StopContainer's caller.
      const call = CRI_CALL.exec(t)?.[1] ?? (/Container termination failed|[Kk]illContainer/.test(t) ? 'KillContainer' : undefined);
      if (call) push(deadlines, `${call}|${originOf(s.sourceId)}`, s);
    } else if (t.includes('shim disconnected') || t.includes('dead shim')) {
      shims.push(s);
    } else if (cannotReachRuntime(t, originOf(s.sourceId))) {
      unreachable.push(s);
    } else if (/starting containerd|containerd successfully booted/.test(t)) {
      starts.push(s);
    } else if (/containerd\.service: (Main process exited|Failed with result|Scheduled restart|Killing process|Deactivated)/.test(t)) {
      exits.push(s);
    }
  }
  const out: NewFinding[] = [];
  for (const [containerId, list] of taskExits) {
    out.push({
      kind: 'taskexit-failed', title: `containerd failed to handle the exit of container ${containerId.slice(0, 12)} (${list.length}×)`,
      severity: 'error', from: list[0]!.ts, to: list[list.length - 1]!.ts, strength: clamp01(0.7 + 0.1 * list.length),
      facts: { containerId, count: list.length, call: 'TaskExit' }, evidence: list.map(lineEvidence),
    });
  }
  for (const [key, list] of deadlines) {
    const [call, origin] = key.split('|') as [string, string];
    for (const group of clusters(list, DEADLINE_GAP_US)) {
      out.push({
        kind: 'cri-deadline', title: `CRI ${call} timed out (${origin}, ${group.length}×)`,
        severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.6 + 0.1 * group.length),
        facts: { call, origin, count: group.length }, evidence: group.map(lineEvidence),
      });
    }
  }
  for (const group of clusters(shims, CLUSTER_GAP_US)) {
    out.push({
      kind: 'shim-disconnected', title: `Shim disconnected / cleaned up (${group.length} line(s))`,
      severity: 'info', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.2 + 0.05 * group.length),
      facts: { count: group.length }, evidence: group.map(lineEvidence),
    });
  }
  for (const group of clusters(unreachable, CLUSTER_GAP_US)) {
    out.push({
      kind: 'runtime-unavailable', title: `kubelet cannot reach the container runtime (${group.length}×)`,
      severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.6 + 0.05 * group.length),
      facts: { count: group.length, origin: originOf(group[0]!.sourceId) }, evidence: group.map(lineEvidence),
    });
  }
  out.push(...restarts(starts, exits));
  return finish('runtime', out);
}

/** The first start in a bundle is the boot; every later start, and systemd exits, are restarts. */
function restarts(starts: LineSignal[], exits: LineSignal[]): NewFinding[] {
  const boots = clusters(starts, 30 * SEC);
  const out: NewFinding[] = [];
  for (const group of boots.slice(1)) {
    out.push({
      kind: 'runtime-restart', title: 'containerd started again', severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts,
      strength: 0.8, facts: { count: group.length, cause: 'start' }, evidence: group.map(lineEvidence),
    });
  }
  for (const group of clusters(exits, 30 * SEC)) {
    out.push({
      kind: 'runtime-restart', title: 'containerd.service exited', severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts,
      strength: 0.7, facts: { count: group.length, cause: 'systemd' }, evidence: group.map(lineEvidence),
    });
  }
  return out;
}

/**
 * Whether a line says the CRI client could not reach the runtime, not that the runtime answered
 * with an error of its own: sandbox network setup (CNI plugins dialling the API server or their
 * agent) and registry pulls fail with "connection refused" too, wrapped in the runtime's reply.
 */
export function cannotReachRuntime(text: string, origin: string): boolean {
  if (!UNREACHABLE.test(text)) return false;
  // The runtime's own log can say what it failed to reach, never that it is itself unreachable.
  if (RUNTIME_ORIGINS.has(origin)) return false;
  // kubelet's HTTPS calls to the API server (a reflector listing *v1.RuntimeClass, a status update)
  // fail with the same words, and a DNS failure's dial names no address; CRI is gRPC over a unix socket.
  if (API_CLIENT.test(text)) return false;
  // The first gRPC status is the CRI call's own; a nested one belongs to whatever the runtime called.
  const code = FIRST_CODE.exec(text)?.[1];
  if (code !== undefined && code !== 'Unavailable') return false;
  // A refused dial names its target: the CRI endpoint is the runtime's unix socket, not a TCP peer or another agent's socket.
  const dial = DIAL.exec(text);
  if (dial && !(dial[1] === 'unix' && RUNTIME_SOCKET.test(dial[2]!))) return false;
  return /containerd\.sock|runtime|CRI|RuntimeService|ImageService/i.test(text);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
