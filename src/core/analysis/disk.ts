// A full disk: kubelet under disk pressure (reclaiming ephemeral-storage / nodefs / imagefs,
// NodeHasDiskPressure), pods evicted to free it, garbage collection that cannot free enough, the
// pods whose usage the eviction messages name, and writes failing with ENOSPC (container
// creation, container logs, journald, the kernel). Pulls failing with ENOSPC stay image-pulls'
// `pull-failed` (reason "no space left on device"); this detector does not count them again.

import { Level } from '../model';
import { evictionLine, gcLine, isDiskResource, noSpaceLine, type Consumer, type GcLine, type NoSpaceOp } from './disk-lines';
import type { AnalysisInput, Finding, LineSignal } from './types';
import { clamp01, clusters, finish, lineEvidence, mostCommon, type NewFinding, originOf, SEC } from './util';

/** The eviction manager runs every 10 s: a line naming no resource belongs to the reclaim logged just before it. */
const EPISODE_US = 120 * SEC;
const PRESSURE_GAP_US = 5 * 60 * SEC;
const EVICTION_GAP_US = 10 * 60 * SEC;
/** Image GC runs every 5 minutes: failures of consecutive runs are one outage. */
const GC_GAP_US = 11 * 60 * SEC;
const NO_SPACE_GAP_US = 10 * 60 * SEC;
/** A node that reports no disk pressure again within this long after the last pressure line recovered. */
const RECOVERY_US = 15 * 60 * SEC;
const MAX_EVIDENCE = 200;

interface Pressure { s: LineSignal; resource: string; condition: boolean; mustEvict: boolean }
/** `limit`: the event says the pod went over its own ephemeral-storage limit (no node pressure needed). */
interface Eviction { s: LineSignal; resource: string; pod: string; what: string; consumer: Consumer | null; limit: boolean }
interface Gc { s: LineSignal; gc: GcLine }
interface NoSpace { s: LineSignal; op: NoSpaceOp; path: string }

/** Words every line evictionLine, gcLine or noSpaceLine reads holds (keep in step with disk-lines.ts). */
const DISK_HINT = /viction|NodeHas|Evicted|arbage collect|FreeDiskSpaceFailed|ImageGCFailed|Disk usage on image|emoving image|delete unused|o space left|ENOSPC|errno:? ?-?28|error 28|Failed to write entry|is truncated/;

export function detectDisk(input: AnalysisInput): Finding[] {
  const pressure: Pressure[] = [];
  const recoveries: LineSignal[] = [];
  const evictions: Eviction[] = [];
  const gcs: Gc[] = [];
  const noSpace: NoSpace[] = [];
  // Per source, the resource the eviction manager last said it reclaims.
  const current = new Map<string, { resource: string; ts: number }>();
  const signals = input.signals.filter((s) => s.text !== '' && (s.kind === 'eviction' || s.kind === 'disk' || (s.level ?? 0) >= Level.warn));
  for (const s of signals.sort((a, b) => a.ts - b.ts)) {
    // Most warning and error lines are about something else: one scan rules them out before the readers' dozen.
    if (s.kind !== 'eviction' && s.kind !== 'disk' && !DISK_HINT.test(s.text)) continue;
    const origin = originOf(s.sourceId);
    const e = evictionLine(s.text);
    if (e) {
      switch (e.what) {
        case 'reclaim': case 'must-evict': case 'reduced': case 'threshold-met':
          if (e.what !== 'threshold-met') current.set(s.sourceId, { resource: e.resource, ts: s.ts });
          if (isDiskResource(e.resource)) pressure.push({ s, resource: e.resource, condition: false, mustEvict: e.what === 'must-evict' });
          break;
        case 'condition':
          if (e.disk && e.pressure) pressure.push({ s, resource: '', condition: true, mustEvict: false });
          else if (e.disk) recoveries.push(s);
          break;
        case 'evicted-event':
          if (e.disk) evictions.push({ s, resource: '', pod: e.pod, what: 'evicted', consumer: e.consumer, limit: e.consumer !== null && e.consumer.cause !== 'largest-consumer' });
          break;
        default: {
          const c = current.get(s.sourceId);
          if (c && s.ts - c.ts <= EPISODE_US && isDiskResource(c.resource)) {
            const pods = e.what === 'ranked' ? e.pods : [e.pod];
            for (const pod of pods.length ? pods : ['']) evictions.push({ s, resource: c.resource, pod, what: e.what, consumer: null, limit: false });
          }
        }
      }
      continue;
    }
    const gc = gcLine(s.text);
    if (gc) {
      gcs.push({ s, gc });
      continue;
    }
    // Failed pulls are image-pulls' (`pull-failed`, reason "no space left on device").
    if (s.kind === 'pull') continue;
    const ns = noSpaceLine(s.text, origin);
    if (ns) noSpace.push({ s, ...ns });
  }
  const out: NewFinding[] = [];
  const pressureFindings = pressureWindows(pressure, recoveries);
  out.push(...pressureFindings, ...evictionEpisodes(evictions), ...consumers(evictions), ...gcFindings(gcs, pressureFindings), ...noSpaceFindings(noSpace));
  return finish('disk', out);
}

function pressureWindows(lines: Pressure[], recoveries: LineSignal[]): NewFinding[] {
  return clusters(lines.map((p) => ({ ...p, ts: p.s.ts })), PRESSURE_GAP_US).map((group) => {
    const first = group[0]!.ts;
    const last = group[group.length - 1]!.ts;
    const recovery = recoveries.find((r) => r.ts > last && r.ts <= last + RECOVERY_US);
    const condition = group.some((p) => p.condition);
    const mustEvict = group.some((p) => p.mustEvict);
    const resource = mostCommon(group.map((p) => p.resource)) || 'disk';
    const reclaims = group.filter((p) => !p.condition).length;
    const to = recovery?.ts ?? last;
    const what = condition ? 'NodeHasDiskPressure' : `reclaiming ${resource}`;
    return {
      kind: 'disk-pressure', title: `Node under disk pressure: ${what} (${reclaims} reclaim attempt(s) over ${((to - first) / SEC).toFixed(0)} s${recovery ? ', recovered' : ''})`,
      severity: condition || mustEvict ? 'error' : 'warn', from: first, to,
      strength: clamp01(0.5 + (condition ? 0.2 : 0) + (mustEvict ? 0.1 : 0) + group.length / 50),
      facts: { resource, condition, reclaims, mustEvict, recovered: recovery !== undefined, count: group.length },
      evidence: [...group.map((p) => p.s), ...(recovery ? [recovery] : [])].slice(0, MAX_EVIDENCE).map(lineEvidence),
    };
  });
}

function evictionEpisodes(lines: Eviction[]): NewFinding[] {
  return clusters(lines.map((e) => ({ ...e, ts: e.s.ts })), EVICTION_GAP_US).map((group) => {
    const evicted = new Set(group.filter((e) => e.what === 'evicted' && e.pod).map((e) => e.pod));
    const failed = group.filter((e) => e.what === 'failed').length;
    const pods = new Set(group.filter((e) => e.what !== 'ranked' && e.pod).map((e) => e.pod));
    const limitOnly = group.every((e) => e.limit);
    const resource = mostCommon(group.map((e) => e.resource)) || (limitOnly ? 'ephemeral-storage limit' : 'ephemeral-storage');
    const firstPod = [...evicted][0] ?? [...pods][0] ?? '';
    const from = group[0]!.ts;
    const to = group[group.length - 1]!.ts;
    const lines = [...new Set(group.map((e) => e.s))];
    return {
      kind: 'disk-eviction',
      title: `kubelet evicted ${evicted.size} pod(s) to reclaim ${resource}${failed ? `, ${failed} eviction(s) failed` : ''}${firstPod ? ` (first ${firstPod})` : ''}`,
      // A pod over its own ephemeral-storage limit is that workload's problem; node pressure is the node's.
      severity: limitOnly ? 'warn' : 'error', from, to,
      strength: clamp01((limitOnly ? 0.45 : 0.65) + 0.05 * pods.size + (failed ? 0.1 : 0)),
      facts: { resource, cause: limitOnly ? 'limit' : 'node-pressure', pods: pods.size, pod: firstPod, evicted: evicted.size, failed, count: lines.length },
      evidence: lines.slice(0, MAX_EVIDENCE).map(lineEvidence),
    };
  });
}

/** Per pod: what the eviction message says filled the disk (an emptyDir, a container's writes, its logs). */
function consumers(lines: Eviction[]): NewFinding[] {
  const byPod = new Map<string, Eviction[]>();
  for (const e of lines) {
    if (!e.consumer) continue;
    const list = byPod.get(e.pod) ?? [];
    list.push(e);
    byPod.set(e.pod, list);
  }
  const out: NewFinding[] = [];
  for (const [pod, list] of byPod) {
    const c = list[0]!.consumer!;
    const bytes = quantityBytes(c.quantity);
    const where = c.cause === 'emptydir' ? `emptyDir volume ${c.volume}` : c.container ? `container ${c.container}` : 'its containers';
    const how = c.cause === 'largest-consumer' ? `used ${c.quantity} of ephemeral storage when it was evicted` : `went over its ephemeral-storage limit of ${c.quantity}`;
    out.push({
      kind: 'disk-consumer', title: `${pod}: ${where} ${how}`, severity: 'warn', from: list[0]!.s.ts, to: list[list.length - 1]!.s.ts,
      strength: clamp01(0.6 + (bytes === bytes ? Math.min(0.3, bytes / 2 ** 36) : 0)),
      facts: { pod, cause: c.cause, container: c.container, volume: c.volume, quantity: c.quantity, bytes: bytes === bytes ? bytes : 0, count: list.length },
      evidence: list.slice(0, MAX_EVIDENCE).map((e) => lineEvidence(e.s)),
    });
  }
  return out;
}

function gcFindings(lines: Gc[], pressure: NewFinding[]): NewFinding[] {
  const out: NewFinding[] = [];
  const failures = lines.filter((l) => l.gc.what === 'failed');
  for (const target of ['images', 'containers'] as const) {
    const mine = failures.filter((l) => l.gc.what === 'failed' && l.gc.target === target);
    for (const group of clusters(mine.map((l) => ({ ...l, ts: l.s.ts })), GC_GAP_US)) {
      const fails = group.map((l) => l.gc).filter((g): g is Extract<GcLine, { what: 'failed' }> => g.what === 'failed');
      const repeated = fails.some((g) => g.repeated);
      const sized = fails.filter((g) => g.wanted === g.wanted);
      const wanted = Math.max(0, ...sized.map((g) => g.wanted));
      const freed = sized.length ? Math.min(...sized.map((g) => g.freed)) : -1;
      const said = sized.length ? `: wanted ${gib(wanted)}, could free ${gib(freed)}` : '';
      out.push({
        kind: 'gc-failed', title: `kubelet ${target === 'images' ? 'image' : 'container'} garbage collection failed${repeated ? ' repeatedly' : ''}${said} (${group.length}×)`,
        severity: repeated || group.length >= 2 ? 'error' : 'warn', from: group[0]!.ts, to: group[group.length - 1]!.ts,
        strength: clamp01(0.55 + (repeated ? 0.2 : 0) + (freed === 0 ? 0.15 : 0) + group.length / 40),
        facts: { target, repeated, wantedBytes: wanted, freedBytes: freed, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
      });
    }
  }
  const work = lines.filter((l) => l.gc.what !== 'failed');
  for (const group of clusters(work.map((l) => ({ ...l, ts: l.s.ts })), GC_GAP_US)) {
    const from = group[0]!.ts;
    const to = group[group.length - 1]!.ts;
    const over = group.map((l) => l.gc).filter((g): g is Extract<GcLine, { what: 'over-threshold' }> => g.what === 'over-threshold');
    const nearPressure = pressure.some((p) => p.from <= to + 120 * SEC && p.to >= from - 120 * SEC);
    // Deleting unused containers or images is what the eviction manager does under disk pressure; alone it says nothing.
    if (over.length === 0 && !nearPressure) continue;
    const usage = Math.max(-1, ...over.map((g) => g.usage).filter((u) => u === u));
    const high = Math.max(-1, ...over.map((g) => g.high).filter((u) => u === u));
    const removed = group.filter((l) => l.gc.what === 'removing').length;
    out.push({
      kind: 'gc', title: `kubelet garbage-collecting to free disk space${usage >= 0 ? `: image filesystem at ${usage}% (high threshold ${high}%)` : ''}${removed ? `, ${removed} image(s) removed` : ''}`,
      severity: usage >= 0 && usage >= high ? 'warn' : 'info', from, to,
      strength: clamp01(0.35 + (usage >= 0 ? 0.2 + Math.max(0, usage - 80) / 50 : 0) + (nearPressure ? 0.1 : 0)),
      facts: { usagePercent: usage, highThreshold: high, bytesToFree: Math.max(0, ...over.map((g) => g.toFree).filter((u) => u === u)), removed, count: group.length },
      evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
    });
  }
  return out;
}

const OP_WORDS: Record<NoSpaceOp, string> = {
  create: 'creating containers', sandbox: 'creating pod sandboxes', journal: 'journald writing the journal', kernel: 'kernel', log: 'writing container logs', write: 'writes',
};

function noSpaceFindings(lines: NoSpace[]): NewFinding[] {
  const byKey = new Map<string, NoSpace[]>();
  for (const l of lines) {
    const key = `${originOf(l.s.sourceId)}|${l.op}`;
    const list = byKey.get(key) ?? [];
    list.push(l);
    byKey.set(key, list);
  }
  const out: NewFinding[] = [];
  for (const [key, list] of byKey) {
    const [origin, op] = key.split('|') as [string, NoSpaceOp];
    for (const group of clusters(list.map((l) => ({ ...l, ts: l.s.ts })), NO_SPACE_GAP_US)) {
      const paths = new Set(group.map((l) => l.path).filter((p) => p !== ''));
      const path = mostCommon(group.map((l) => l.path));
      out.push({
        kind: 'no-space', title: `No space left on device: ${origin} ${OP_WORDS[op]}${path ? ` (${path})` : ''}, ${group.length}×`,
        severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.6 + 0.04 * group.length),
        facts: { origin, op, path, paths: paths.size, count: group.length, sources: new Set(group.map((l) => l.s.sourceId)).size },
        evidence: group.slice(0, MAX_EVIDENCE).map((l) => lineEvidence(l.s)),
      });
    }
  }
  return out;
}

/** Kubernetes quantities as kubelet prints them (`14Gi`, `5312Ki`, `2G`, `10120387530`) in bytes; NaN when not one. */
export function quantityBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?$/.exec(q);
  if (!m) return NaN;
  const unit: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
  return Number(m[1]) * (m[2] ? unit[m[2]]! : 1);
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
