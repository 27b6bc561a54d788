// Pod networking: pods stuck in ContainerCreating because the CNI plugin cannot set up their
// sandbox's network (the pod's IP pool is empty, the plugin's node agent is down or unreachable,
// the plugin cannot reach or authenticate to the API server, its config or binary is missing),
// the runtime's network not ready, sandboxes whose network cannot be torn down, and what the CNI
// agents' own logs say. kubelet and containerd each log every failed attempt (several lines per
// attempt): findings count lines, pods and attempts per plugin and cause, not per side.

import { Level } from '../model';
import { networkLine, type NetworkCause, type NetworkLine } from './network-lines';
import type { AnalysisInput, Finding, LineSignal } from './types';
import { SEC, clamp01, clusters, finish, lineEvidence, originOf, type NewFinding } from './util';

/** kubelet retries a pod's sandbox with a back-off capped at 5 minutes: attempts of one outage are at most that apart, plus slack. */
const FAILURE_GAP_US = 10 * 60 * SEC;
/** kubelet checks the runtime's network every 5 s and logs each failed check. */
const NOT_READY_GAP_US = 60 * SEC;
/** A node starting up reports its network not ready until the CNI DaemonSet has written its config: normal for the first minutes. */
const STARTUP_US = 180 * SEC;
const MAX_EVIDENCE = 200;
const MAX_PODS_LISTED = 10;

interface Seen { s: LineSignal; line: NetworkLine; ts: number }

export function detectNetwork(input: AnalysisInput): Finding[] {
  const setup: Seen[] = [];
  const teardown: Seen[] = [];
  const notReady: Seen[] = [];
  const agent: Seen[] = [];
  for (const s of input.signals) {
    // Every family's warning and error lines: a sandbox failure may have been tapped for a refused dial or a deadline.
    if (s.text === '' || (s.kind !== 'network' && (s.level ?? 0) < Level.warn)) continue;
    const line = networkLine(s.text, originOf(s.sourceId));
    if (!line) continue;
    const seen = { s, line, ts: s.ts };
    if (line.what === 'setup') setup.push(seen);
    else if (line.what === 'teardown') teardown.push(seen);
    else if (line.what === 'not-ready') notReady.push(seen);
    // An agent's own errors say why only when they name a cause; the rest are left to `problems`.
    else if (line.cause !== 'other' && (s.level ?? 0) >= Level.warn) agent.push(seen);
  }
  const out: NewFinding[] = [
    ...failures(setup, 'sandbox-failure', [...teardown, ...notReady]),
    ...failures(teardown, 'teardown-failure', [...setup, ...notReady]),
    ...notReadyWindows(notReady, input),
    ...agentErrors(agent),
  ];
  return finish('network', out);
}

/**
 * A line whose error names no plugin (kubelet's "network is not ready", "cni plugin not
 * initialized") joins the plugin the other lines of its cause name (`hints`: the other kinds' lines).
 */
function byPluginAndCause(lines: Seen[], hints: Seen[]): Map<string, Seen[]> {
  const pluginOfCause = new Map<NetworkCause, Map<string, number>>();
  for (const l of [...lines, ...hints]) {
    if (l.line.plugin === 'unknown') continue;
    const counts = pluginOfCause.get(l.line.cause) ?? new Map<string, number>();
    counts.set(l.line.plugin, (counts.get(l.line.plugin) ?? 0) + 1);
    pluginOfCause.set(l.line.cause, counts);
  }
  const groups = new Map<string, Seen[]>();
  for (const l of lines) {
    const plugin = l.line.plugin !== 'unknown' ? l.line.plugin : mostCommon(pluginOfCause.get(l.line.cause)) ?? 'unknown';
    const key = `${plugin}|${l.line.cause}`;
    const list = groups.get(key) ?? [];
    list.push(l);
    groups.set(key, list);
  }
  return groups;
}

function failures(lines: Seen[], kind: 'sandbox-failure' | 'teardown-failure', hints: Seen[]): NewFinding[] {
  // containerd's teardown and kubelet's StopPodSandbox name only the sandbox: its pod is the one whose setup named it.
  const podOfSandbox = new Map<string, string>();
  for (const l of [...lines, ...hints]) {
    if ((l.line.what === 'setup' || l.line.what === 'teardown') && l.line.sandbox !== '' && l.line.pod !== '') podOfSandbox.set(l.line.sandbox, l.line.pod);
  }
  const podOf = (l: Seen): string => (l.line.what === 'setup' || l.line.what === 'teardown' ? l.line.pod || podOfSandbox.get(l.line.sandbox) || '' : '');
  const out: NewFinding[] = [];
  for (const [key, list] of byPluginAndCause(lines, hints)) {
    const [plugin, cause] = key.split('|') as [string, NetworkCause];
    for (const group of clusters(list, FAILURE_GAP_US)) {
      const pods = [...new Set(group.map(podOf).filter((p) => p !== ''))];
      const sandboxes = new Set(group.map((l) => (l.line.what === 'setup' || l.line.what === 'teardown' ? l.line.sandbox : '')).filter((p) => p !== ''));
      const reason = mostCommon(counted(group.map((l) => l.line.reason))) ?? '';
      const from = group[0]!.ts;
      const to = group[group.length - 1]!.ts;
      const setup = kind === 'sandbox-failure';
      const pod = pods[0] ?? '';
      out.push({
        kind,
        title: setup
          ? `${plugin}: sandbox network setup failing for ${pods.length} pod(s)${pod ? ` (first ${pod})` : ''}, ${causeText(cause)}`
          : `${plugin}: sandbox network teardown failing for ${pods.length ? `${pods.length} pod(s)` : `${sandboxes.size} sandbox(es)`}, ${causeText(cause)}`,
        severity: setup || pods.length > 1 ? 'error' : 'warn', from, to,
        strength: clamp01((setup ? 0.6 : 0.45) + 0.05 * pods.length + Math.min(0.2, group.length / 50) + (cause === 'other' ? 0 : 0.05)),
        facts: { plugin, cause, reason, pods: pods.length, podList: pods.slice(0, MAX_PODS_LISTED).join(', '), pod, sandboxes: sandboxes.size, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
      });
    }
  }
  return out;
}

function notReadyWindows(lines: Seen[], input: AnalysisInput): NewFinding[] {
  const startOf = new Map<string, number>();
  for (const src of input.sources ?? []) startOf.set(src.id, src.from);
  const out: NewFinding[] = [];
  for (const group of clusters(lines, NOT_READY_GAP_US)) {
    const from = group[0]!.ts;
    const to = group[group.length - 1]!.ts;
    // While the node starts, the network is not ready until the CNI agent has written its config.
    const start = Math.min(...group.map((l) => startOf.get(l.s.sourceId) ?? -Infinity));
    const startup = start === start && start > -Infinity && from - start <= STARTUP_US && to - start <= STARTUP_US;
    const causes = counted(group.map((l) => l.line.cause).filter((c) => c !== 'other'));
    const cause = (mostCommon(causes) ?? 'other') as NetworkCause;
    const plugin = mostCommon(counted(group.map((l) => l.line.plugin).filter((p) => p !== 'unknown'))) ?? 'unknown';
    const reason = mostCommon(counted(group.map((l) => l.line.reason))) ?? '';
    const seconds = Math.round((to - from) / SEC);
    out.push({
      kind: 'network-not-ready',
      title: `Container runtime network not ready${startup ? ' while the node started' : ''} (${group.length} line(s) over ${seconds} s): ${reason}`,
      severity: startup ? 'info' : seconds >= 30 || group.length >= 3 ? 'error' : 'warn', from, to,
      strength: startup ? 0.15 : clamp01(0.55 + Math.min(0.3, seconds / 600) + Math.min(0.1, group.length / 100)),
      facts: { reason, cause, plugin, startup, seconds, count: group.length },
      evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
    });
  }
  return out;
}

function agentErrors(lines: Seen[]): NewFinding[] {
  const byAgent = new Map<string, Seen[]>();
  for (const l of lines) {
    const key = `${originOf(l.s.sourceId)}|${l.line.plugin}|${l.line.cause}`;
    const list = byAgent.get(key) ?? [];
    list.push(l);
    byAgent.set(key, list);
  }
  const out: NewFinding[] = [];
  for (const [key, list] of byAgent) {
    const [agent, plugin, cause] = key.split('|') as [string, string, NetworkCause];
    for (const group of clusters(list, FAILURE_GAP_US)) {
      const reason = mostCommon(counted(group.map((l) => l.line.reason))) ?? '';
      out.push({
        kind: 'agent-error', title: `${agent} (${plugin}) logs errors: ${causeText(cause)} (${group.length}×)`,
        severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts,
        strength: clamp01(0.55 + Math.min(0.3, group.length / 30)),
        facts: { agent, plugin, cause, reason, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
      });
    }
  }
  return out;
}

function causeText(cause: NetworkCause): string {
  switch (cause) {
    case 'ip-exhausted': return 'no pod IP address left to assign';
    case 'agent-unreachable': return 'the CNI agent on the node is down or unreachable';
    case 'api-access': return 'the CNI plugin cannot reach or authenticate to the API server';
    case 'config-missing': return 'CNI config or plugin binary missing';
    case 'other': return 'cause not recognised';
  }
}

function counted(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function mostCommon(counts: Map<string, number> | undefined): string | undefined {
  let best: string | undefined;
  let n = 0;
  for (const [v, c] of counts ?? []) {
    if (c > n) {
      best = v;
      n = c;
    }
  }
  return best;
}
