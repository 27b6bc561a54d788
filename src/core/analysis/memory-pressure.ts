// Memory pressure from metric captures: PSI memory stalls (tasks waiting on reclaim), swapping,
// and vmstat's free + buffers + cache falling to a small part of what it was (the page cache
// reclaimed to the bone). Overlapping windows become one `memory-pressure` finding.

import type { AlignedMetric, Evidence } from './types';
import { clamp01, type NewFinding, overlapGroups, SEC } from './util';

/** PSI memory avg10 (%) past which tasks spend real time stalled on reclaim (a healthy node stays near 0). */
export const PSI_MEMORY_SOME = 25;
export const PSI_MEMORY_FULL = 10;
/** vmstat si/so (kB/s by default): swapping at all is unusual on a Kubernetes node. */
export const VMSTAT_SWAP = 64;
/** free + buff + cache under this share of its largest sample: reclaim has eaten the page cache. */
export const VMSTAT_AVAILABLE_SHARE = 0.1;

interface Window {
  kind: string;
  from: number;
  to: number;
  /** How far over its threshold (1 = at it). */
  over: number;
  evidence: Evidence;
  peak: number;
}

export function memoryPressure(metrics: readonly AlignedMetric[]): NewFinding[] {
  const windows: Window[] = [];
  const vmstat = new Map<string, Map<string, AlignedMetric>>();
  for (const m of metrics) {
    if (m.series === 'psi.memory.some.avg10') windows.push(...over(m, 'psi-memory-some', (v) => v / PSI_MEMORY_SOME));
    else if (m.series === 'psi.memory.full.avg10') windows.push(...over(m, 'psi-memory-full', (v) => v / PSI_MEMORY_FULL));
    else if (m.series === 'vmstat.si' || m.series === 'vmstat.so') windows.push(...over(m, 'vmstat-swap', (v) => v / VMSTAT_SWAP));
    if (m.series.startsWith('vmstat.')) {
      const bySeries = vmstat.get(m.sourceId) ?? new Map<string, AlignedMetric>();
      bySeries.set(m.series, m);
      vmstat.set(m.sourceId, bySeries);
    }
  }
  for (const bySeries of vmstat.values()) windows.push(...lowAvailable(bySeries));
  return union(windows);
}

/** Runs of samples whose ratio to the threshold exceeds 1. */
function over(m: AlignedMetric, kind: string, ratio: (v: number, i: number) => number, valueOf: (i: number) => number = (i) => m.value[i]!): Window[] {
  const out: Window[] = [];
  let cur: Window | null = null;
  for (let i = 0; i < m.ts.length; i++) {
    const t = m.ts[i]!;
    if (t !== t) continue;
    const r = ratio(valueOf(i), i);
    if (r > 1) {
      cur ??= { kind, from: t, to: t, over: r, peak: valueOf(i), evidence: { kind: 'metric', fileId: m.fileId, sourceId: m.sourceId, series: m.series, from: t, to: t } };
      cur.to = t;
      cur.over = Math.max(cur.over, r);
      cur.peak = kind === 'vmstat-low-memory' ? Math.min(cur.peak, valueOf(i)) : Math.max(cur.peak, valueOf(i));
      if (cur.evidence.kind === 'metric') cur.evidence.to = t;
    } else if (cur) {
      out.push(cur);
      cur = null;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** vmstat rows where free + buff + cache (kB) fell under a share of its largest value in the capture. */
function lowAvailable(bySeries: Map<string, AlignedMetric>): Window[] {
  const free = bySeries.get('vmstat.free');
  const buff = bySeries.get('vmstat.buff');
  const cache = bySeries.get('vmstat.cache');
  if (!free || !buff || !cache || buff.value.length !== free.value.length || cache.value.length !== free.value.length) return [];
  const avail = (i: number): number => free.value[i]! + buff.value[i]! + cache.value[i]!;
  let most = 0;
  for (let i = 0; i < free.value.length; i++) most = Math.max(most, avail(i));
  if (!(most > 0)) return [];
  const floor = most * VMSTAT_AVAILABLE_SHARE;
  // The ratio grows as the available memory shrinks: half the floor is twice over.
  return over(free, 'vmstat-low-memory', (v) => floor / Math.max(1, v), avail);
}

/** Windows of any kind within 30 s of each other (samplers tick at different times) become one finding. */
function union(windows: Window[]): NewFinding[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const out: NewFinding[] = [];
  const addFinding = (group: Window[]) => {
    const to = Math.max(...group.map((w) => w.to));
    const kinds = [...new Set(group.map((w) => w.kind))].sort();
    const peakOf = (kind: string): number => Math.max(0, ...group.filter((w) => w.kind === kind).map((w) => w.peak));
    const ratio = Math.max(...group.map((w) => w.over));
    const from = Math.min(...group.map((w) => w.from));
    const strength = clamp01(0.25 + 0.15 * kinds.length + 0.1 * Math.min(3, ratio - 1));
    const low = group.filter((w) => w.kind === 'vmstat-low-memory').map((w) => w.peak);
    out.push({
      kind: 'memory-pressure', title: `Memory pressure for ${((to - from) / SEC).toFixed(0)} s (${kinds.join(', ')})`,
      severity: kinds.length >= 2 && strength >= 0.6 ? 'error' : 'warn', from, to, strength,
      facts: {
        kinds: kinds.join(','), sources: kinds.length, peakRatio: Math.round(ratio * 100) / 100,
        psiSome: peakOf('psi-memory-some'), psiFull: peakOf('psi-memory-full'), ...(low.length ? { minAvailableMb: Math.round(Math.min(...low) / 1024) } : {}),
      },
      evidence: group.map((w) => w.evidence),
    });
  };
  for (const group of overlapGroups(sorted, 30 * SEC)) addFinding(group);
  return out;
}
