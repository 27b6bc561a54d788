// Memory: the kernel's OOM kills (one report = the lines from "invoked oom-killer" to "Killed
// process" and its reaper), who ran out (a container's own limit, a pod's, all pods', or the node),
// containerd's TaskOOM events, kubelet's eviction manager reclaiming memory, the node's memory
// condition, kubelet's system OOM notices, the restart loops of OOM-killed pods, and memory pressure
// (PSI memory stalls, swapping, vmstat's free + buffers + cache collapsing).

import type { AnalysisInput, Evidence, Finding, LineSignal } from './types';
import { cgroupNames, crashLoopLine, kernelOomLine, kubeletMemoryLine, scopeOf, taskOomContainer, type Constraint, type OomScope } from './memory-lines';
import { memoryPressure } from './memory-pressure';
import { SEC, clamp01, clusters, finish, goDurationSec, lineEvidence, originOf, type NewFinding } from './util';

/** Kills of one container keep coming for as long as it crash-loops (back-offs reach 5 min). */
const KILL_GAP_US = 15 * 60 * SEC;
/** The eviction manager runs every 10 s: its lines more than 5 min apart are separate episodes. */
const EVICTION_GAP_US = 5 * 60 * SEC;
/** A line naming no resource (ranked, evicted) belongs to the reclaim logged this shortly before it. */
const RECLAIM_SPAN_US = 60 * SEC;
const MAX_EVIDENCE = 60;

/** One OOM kill, from its report's lines. */
interface Kill {
  ts: number;
  from: number;
  pid: number;
  process: string;
  constraint: Constraint;
  scope: OomScope;
  /** The cgroup whose limit was hit (memcg), else the victim's. */
  cgroup: string;
  podUid: string;
  containerId: string;
  limitKb: number;
  anonRssKb: number;
  lines: LineSignal[];
}

export function detectMemory(input: AnalysisInput): Finding[] {
  const kills = oomKills(input.signals);
  const podOf = new Map<string, string>();
  for (const k of kills) if (k.containerId && k.podUid) podOf.set(k.containerId, k.podUid);
  const kubelet = kubeletFindings(input.signals);
  const taskOoms = taskOomFindings(input.signals, podOf);
  const oomPods = new Set([...kills.map((k) => k.podUid), ...kubelet.oomPods, ...taskOoms.pods].filter(Boolean));
  const out: NewFinding[] = [
    ...killFindings(kills),
    ...taskOoms.findings,
    ...kubelet.findings,
    ...crashLoops(input.signals, oomPods),
    ...memoryPressure(input.metrics),
  ];
  return finish('memory', out);
}

/** Kernel lines (tapped as `problem`) read report by report, per source in file order. */
function oomKills(signals: readonly LineSignal[]): Kill[] {
  const bySource = new Map<string, LineSignal[]>();
  for (const s of signals) {
    if (s.text === '' || originOf(s.sourceId) !== 'kernel') continue;
    const list = bySource.get(s.sourceId);
    if (list) list.push(s);
    else bySource.set(s.sourceId, [s]);
  }
  const kills: Kill[] = [];
  for (const list of bySource.values()) {
    list.sort((a, b) => a.line - b.line);
    let report: Report | null = null;
    const flush = () => {
      if (report?.killed) kills.push(killOf(report));
      report = null;
    };
    for (const s of list) {
      const l = kernelOomLine(s.text);
      if (l === null) {
        // Other kernel trouble inside an open report (its Call Trace) belongs to it.
        if (report && !report.killed && s.line - report.lastLine <= 200) report.lines.push(s);
        continue;
      }
      if (l.what === 'reaped') {
        const k = report?.killed?.pid === l.pid ? report : null;
        if (k) k.lines.push(s);
        else kills.findLast((x) => x.pid === l.pid)?.lines.push(s);
        continue;
      }
      if (l.what === 'invoked' || (report?.killed && !(l.what === 'killed' && l.pid === report.killed.pid))) flush();
      report ??= { from: s.ts, lines: [], lastLine: s.line };
      report.lines.push(s);
      report.lastLine = s.line;
      if (l.what === 'usage') report.limitKb = l.limitKb;
      else if (l.what === 'constraint') report.constraint = l;
      else if (l.what === 'task-in') report.taskIn = l;
      else if (l.what === 'killed') report.killed ??= { ...l, ts: s.ts };
    }
    flush();
  }
  return kills.sort((a, b) => a.ts - b.ts);
}

interface Report {
  from: number;
  lines: LineSignal[];
  lastLine: number;
  limitKb?: number;
  constraint?: { constraint: Constraint; oomMemcg: string; taskMemcg: string };
  taskIn?: { taskMemcg: string; oomMemcg: string };
  killed?: { pid: number; process: string; memcg: boolean; anonRssKb: number; ts: number };
}

function killOf(r: Report): Kill {
  const killed = r.killed!;
  // Kernels before 4.19 print no constraint line: the kill message says which killer ran.
  const constraint: Constraint = r.constraint?.constraint ?? (r.taskIn || killed.memcg ? 'memcg' : 'global');
  const taskCgroup = r.constraint?.taskMemcg || r.taskIn?.taskMemcg || '';
  const limited = r.constraint?.oomMemcg || r.taskIn?.oomMemcg || taskCgroup;
  const scope = scopeOf(constraint, limited);
  const names = cgroupNames(taskCgroup || limited);
  return {
    ts: killed.ts, from: Math.min(r.from, killed.ts), pid: killed.pid, process: killed.process, constraint, scope,
    cgroup: constraint === 'memcg' ? limited : taskCgroup, podUid: names.podUid, containerId: names.containerId,
    limitKb: constraint === 'memcg' ? (r.limitKb ?? 0) : 0, anonRssKb: killed.anonRssKb, lines: r.lines,
  };
}

function killFindings(kills: Kill[]): NewFinding[] {
  const groups = new Map<string, Kill[]>();
  for (const k of kills) {
    // A restarted container has a new id: its kills are one story by pod and process.
    const key = k.scope === 'node' || k.scope === 'pods' ? k.scope : `${k.scope}|${k.podUid || k.cgroup}|${k.process}`;
    const list = groups.get(key);
    if (list) list.push(k);
    else groups.set(key, [k]);
  }
  const out: NewFinding[] = [];
  for (const list of groups.values()) {
    for (const group of clusters(list, KILL_GAP_US)) {
      const last = group[group.length - 1]!;
      const n = group.length;
      const victims = [...new Set(group.map((k) => k.process))];
      const limitMb = Math.round(last.limitKb / 1024);
      out.push({
        kind: 'oom-kill', title: killTitle(last, n, victims, limitMb), severity: 'error',
        from: Math.min(...group.map((k) => k.from)), to: last.ts, strength: clamp01(0.6 + 0.1 * n),
        facts: {
          constraint: last.constraint, scope: last.scope, process: last.process, pid: last.pid, victims: victims.join(','), count: n,
          podUid: last.podUid, containerId: last.containerId, containers: new Set(group.map((k) => k.containerId).filter(Boolean)).size,
          cgroup: last.cgroup, limitMb, anonRssMb: Math.round(Math.max(...group.map((k) => k.anonRssKb)) / 1024),
        },
        evidence: group.flatMap((k) => k.lines).slice(0, MAX_EVIDENCE).map(lineEvidence),
      });
    }
  }
  return out;
}

function killTitle(k: Kill, n: number, victims: string[], limitMb: number): string {
  switch (k.scope) {
    case 'container':
    case 'pod':
      return `${k.process} OOM-killed at its ${k.scope}'s memory limit${limitMb ? ` (${limitMb} MiB)` : ''}, ${n}×${k.podUid ? ` (pod ${k.podUid.slice(0, 8)})` : ''}`;
    case 'pods':
      return `All pods together hit the kubepods memory limit: ${victims.join(', ')} OOM-killed (${n}×)`;
    case 'system':
      return `${k.process} OOM-killed at the memory limit of ${k.cgroup || 'its memory cgroup (the log names none)'} (${n}×)`;
    case 'node':
      return `Node out of memory: the kernel killed ${victims.join(', ')} (${n}×)`;
  }
}

/** containerd's TaskOOM events, per pod when the kernel's cgroup paths name it, else per container. */
function taskOomFindings(signals: readonly LineSignal[], podOf: Map<string, string>): { findings: NewFinding[]; pods: string[] } {
  const groups = new Map<string, { id: string; s: LineSignal }[]>();
  for (const s of signals) {
    if (s.kind !== 'runtime') continue;
    const id = taskOomContainer(s.text);
    if (id === null) continue;
    const key = podOf.get(id) ?? (id || 'unknown');
    const list = groups.get(key);
    if (list) list.push({ id, s });
    else groups.set(key, [{ id, s }]);
  }
  const findings: NewFinding[] = [];
  const pods: string[] = [];
  for (const list of groups.values()) {
    for (const group of clusters(list.map((x) => ({ ...x, ts: x.s.ts })), KILL_GAP_US)) {
      const last = group[group.length - 1]!;
      const podUid = podOf.get(last.id) ?? '';
      if (podUid) pods.push(podUid);
      const ids = new Set(group.map((x) => x.id).filter(Boolean));
      findings.push({
        kind: 'task-oom', title: `containerd: container ${last.id.slice(0, 12) || '?'} hit an OOM (${group.length}× TaskOOM${ids.size > 1 ? `, ${ids.size} containers` : ''})`,
        severity: 'warn', from: group[0]!.ts, to: last.ts, strength: clamp01(0.45 + 0.1 * group.length),
        facts: { containerId: last.id, podUid, containers: ids.size, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
      });
    }
  }
  return { findings, pods };
}

const isMemoryResource = (r: string): boolean => r === 'memory' || r.startsWith('memory.') || r.startsWith('allocatableMemory');

/** kubelet: memory evictions, the node's memory condition, system OOM notices. */
function kubeletFindings(signals: readonly LineSignal[]): { findings: NewFinding[]; oomPods: string[] } {
  const evictions: { s: LineSignal; evicted: string; failed: string; ts: number }[] = [];
  const conditions: { s: LineSignal; insufficient: boolean }[] = [];
  const ooms: { s: LineSignal; process: string; pid: number; scope: OomScope | 'unknown'; constraint: string; podUid: string; ts: number }[] = [];
  const reclaim = new Map<string, { resource: string; ts: number }>();
  for (const s of signals) {
    if (s.kind !== 'eviction' || s.text === '') continue;
    const l = kubeletMemoryLine(s.text);
    if (l === null) continue;
    if (l.what === 'reclaim') {
      reclaim.set(s.sourceId, { resource: l.resource, ts: s.ts });
      if (isMemoryResource(l.resource)) evictions.push({ s, evicted: '', failed: '', ts: s.ts });
    } else if (l.what === 'ranked' || l.what === 'evicted' || l.what === 'failed') {
      const last = reclaim.get(s.sourceId);
      const resource = l.what !== 'ranked' && l.resource ? l.resource : last && s.ts - last.ts <= RECLAIM_SPAN_US ? last.resource : '';
      if (!isMemoryResource(resource)) continue;
      evictions.push({ s, evicted: l.what === 'evicted' ? l.pod || '?' : '', failed: l.what === 'failed' ? l.pod || '?' : '', ts: s.ts });
    } else if (l.what === 'condition') {
      conditions.push({ s, insufficient: l.insufficient });
    } else if (l.what === 'system-oom') {
      const scope = l.constraint ? scopeOf(l.constraint, l.victimCgroup) : /SystemOOM/.test(s.text) ? 'node' : 'unknown';
      ooms.push({ s, process: l.process, pid: l.pid, scope, constraint: l.constraint, podUid: l.podUid, ts: s.ts });
    }
  }
  const findings: NewFinding[] = [];
  for (const group of clusters(evictions, EVICTION_GAP_US)) {
    const evicted = [...new Set(group.map((e) => e.evicted).filter(Boolean))];
    const failed = group.filter((e) => e.failed).length;
    findings.push({
      kind: 'eviction', title: `kubelet evicted ${evicted.length} pod(s) to reclaim memory${failed ? `, ${failed} eviction(s) failed` : ''}${evicted[0] ? ` (first ${evicted[0]})` : ''}`,
      severity: evicted.length || failed ? 'error' : 'warn', from: group[0]!.ts, to: group[group.length - 1]!.ts,
      strength: clamp01(0.45 + 0.1 * (evicted.length + failed) + 0.02 * group.length),
      facts: { resource: 'memory', scope: 'node', evicted: evicted.length, pods: evicted.slice(0, 10).join(','), failed, count: group.length },
      evidence: group.slice(0, MAX_EVIDENCE).map((e) => lineEvidence(e.s)),
    });
  }
  findings.push(...conditionWindows(conditions));
  const byScope = new Map<string, typeof ooms>();
  for (const o of ooms) byScope.set(o.scope, [...(byScope.get(o.scope) ?? []), o]);
  for (const [scope, list] of byScope) {
    for (const group of clusters(list, KILL_GAP_US)) {
      const last = group[group.length - 1]!;
      const victims = [...new Set(group.map((o) => o.process).filter(Boolean))];
      findings.push({
        kind: 'kubelet-oom', title: `kubelet saw ${group.length} OOM kill(s)${victims.length ? ` (${victims.join(', ')})` : ''}${scope === 'node' ? ': the node ran out of memory' : ''}`,
        severity: scope === 'node' ? 'error' : 'warn', from: group[0]!.ts, to: last.ts, strength: clamp01(0.45 + 0.1 * group.length),
        facts: { scope, constraint: last.constraint, process: last.process, pid: last.pid, victims: victims.join(','), podUid: last.podUid, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((o) => lineEvidence(o.s)),
      });
    }
  }
  return { findings, oomPods: ooms.map((o) => o.podUid).filter(Boolean) };
}

/** MemoryPressure windows: from `NodeHasInsufficientMemory` to the `NodeHasSufficientMemory` after it (or its last line). */
function conditionWindows(lines: { s: LineSignal; insufficient: boolean }[]): NewFinding[] {
  const out: NewFinding[] = [];
  let open: LineSignal[] = [];
  const close = (end: LineSignal | null) => {
    if (!open.length) return;
    const ev: Evidence[] = [...open, ...(end ? [end] : [])].slice(0, MAX_EVIDENCE).map(lineEvidence);
    out.push({
      kind: 'node-pressure', title: `Node reported MemoryPressure (NodeHasInsufficientMemory${end ? ', then recovered' : ''})`, severity: 'warn',
      from: open[0]!.ts, to: (end ?? open[open.length - 1]!).ts, strength: 0.55, facts: { condition: 'MemoryPressure', count: open.length, recovered: end !== null }, evidence: ev,
    });
    open = [];
  };
  for (const c of [...lines].sort((a, b) => a.s.ts - b.s.ts)) {
    if (c.insufficient) open.push(c.s);
    else close(c.s);
  }
  close(null);
  return out;
}

/** Restart back-offs of pods the kernel or kubelet saw OOM-killed (the pod UID links them); other crash loops are not memory's. */
function crashLoops(signals: readonly LineSignal[], oomPods: Set<string>): NewFinding[] {
  const groups = new Map<string, { s: LineSignal; pod: string; podUid: string; container: string; backoffSec: number; ts: number }[]>();
  for (const s of signals) {
    if (s.text === '' || originOf(s.sourceId) !== 'kubelet') continue;
    const l = crashLoopLine(s.text);
    if (!l || !oomPods.has(l.podUid)) continue;
    const key = `${l.podUid}|${l.container}`;
    const list = groups.get(key) ?? [];
    list.push({ s, pod: l.pod, podUid: l.podUid, container: l.container, backoffSec: goDurationSec(l.backoff) || 0, ts: s.ts });
    groups.set(key, list);
  }
  const out: NewFinding[] = [];
  for (const list of groups.values()) {
    for (const group of clusters(list, 2 * KILL_GAP_US)) {
      const last = group[group.length - 1]!;
      out.push({
        kind: 'crash-loop', title: `${last.pod || last.podUid}: container ${last.container || '?'} restarts in CrashLoopBackOff after OOM kills (${group.length} line(s))`,
        severity: 'warn', from: group[0]!.ts, to: last.ts, strength: clamp01(0.4 + 0.05 * group.length),
        facts: { pod: last.pod, podUid: last.podUid, container: last.container, count: group.length, backoffSec: Math.max(...group.map((g) => g.backoffSec)) },
        evidence: group.slice(0, MAX_EVIDENCE).map((g) => lineEvidence(g.s)),
      });
    }
  }
  return out;
}
