// IO pressure: windows where a pressure series stays over its threshold (PSI avg10, iostat
// %util / w_await per device, vmstat wa / b), and `io-window`, their union, as the "disk was
// saturated" fact chains rely on. Strength grows with how far over and how many sources agree.

import type { AlignedMetric, AnalysisInput, DetectorOptions, Evidence, Finding } from './types';
import { clamp01, finish, type NewFinding, overlapGroups, SEC } from './util';

interface Rule {
  kind: string;
  /** Whether the window counts as IO pressure (memory and CPU windows do not). */
  io: boolean;
  match: (series: string) => { device?: string } | null;
  threshold: (o: DetectorOptions) => number;
  label: string;
}

const RULES: Rule[] = [
  { kind: 'psi-io-full', io: true, match: (s) => (s === 'psi.io.full.avg10' ? {} : null), threshold: (o) => o.psiIoFullAvg10, label: 'PSI io full avg10' },
  { kind: 'psi-io-some', io: true, match: (s) => (s === 'psi.io.some.avg10' ? {} : null), threshold: (o) => o.psiIoSomeAvg10, label: 'PSI io some avg10' },
  { kind: 'psi-memory-full', io: false, match: (s) => (s === 'psi.memory.full.avg10' ? {} : null), threshold: (o) => o.psiIoFullAvg10, label: 'PSI memory full avg10' },
  { kind: 'psi-cpu-some', io: false, match: (s) => (s === 'psi.cpu.some.avg10' ? {} : null), threshold: (o) => o.psiIoSomeAvg10, label: 'PSI cpu some avg10' },
  { kind: 'iostat-util', io: true, match: deviceSeries(/^(util|%util)$/), threshold: (o) => o.iostatUtil, label: '%util' },
  { kind: 'iostat-await', io: true, match: deviceSeries(/^w_await$/), threshold: (o) => o.iostatAwaitMs, label: 'w_await ms' },
  { kind: 'vmstat-wa', io: true, match: (s) => (s === 'vmstat.wa' ? {} : null), threshold: (o) => o.vmstatWa, label: 'vmstat wa' },
  { kind: 'vmstat-blocked', io: true, match: (s) => (s === 'vmstat.b' ? {} : null), threshold: (o) => o.vmstatBlocked, label: 'vmstat b (blocked tasks)' },
];

function deviceSeries(col: RegExp): (s: string) => { device?: string } | null {
  return (s) => {
    const m = /^iostat\.(.+)\.([^.]+)$/.exec(s);
    return m && m[1] !== 'cpu' && col.test(m[2]!) ? { device: m[1]! } : null;
  };
}

interface Window {
  from: number;
  to: number;
  peak: number;
  threshold: number;
  evidence: Evidence;
}

export function detectIoPressure(input: AnalysisInput, opts: DetectorOptions): Finding[] {
  const out: NewFinding[] = [];
  const ioWindows: (Window & { kind: string })[] = [];
  const memoryWindows: Window[] = [];
  for (const m of input.metrics) {
    for (const rule of RULES) {
      const hit = rule.match(m.series);
      if (!hit) continue;
      const threshold = rule.threshold(opts);
      for (const w of windowsOver(m, threshold)) {
        out.push({
          kind: rule.kind, title: `${rule.label}${hit.device ? ` on ${hit.device}` : ''} over ${threshold} (peak ${round(w.peak)}) for ${((w.to - w.from) / SEC).toFixed(0)} s`,
          severity: 'warn', from: w.from, to: w.to, strength: clamp01((w.peak / threshold - 1) / 2 + 0.3),
          facts: { series: m.series, peak: w.peak, threshold, ...(hit.device ? { device: hit.device } : {}) }, evidence: [w.evidence],
        });
        if (rule.io) ioWindows.push({ ...w, kind: rule.kind });
        else if (rule.kind === 'psi-memory-full') memoryWindows.push(w);
      }
    }
  }
  out.push(...union(ioWindows, memoryWindows));
  return finish('io-pressure', out);
}

/** A dip under the threshold this short (a sample or two of a 5-10 s sampler) does not end a window. */
const DIP_US = 20 * SEC;

/** Runs of samples over the threshold (short dips included); a window spans from its first such sample to its last. */
function windowsOver(m: AlignedMetric, threshold: number): Window[] {
  const out: Window[] = [];
  let from = NaN;
  let last = NaN;
  let peak = -Infinity;
  const close = () => {
    if (from === from) out.push({ from, to: last, peak, threshold, evidence: { kind: 'metric', fileId: m.fileId, sourceId: m.sourceId, series: m.series, from, to: last } });
    from = NaN;
    peak = -Infinity;
  };
  for (let i = 0; i < m.ts.length; i++) {
    const v = m.value[i]!;
    const t = m.ts[i]!;
    if (t !== t) continue;
    if (v > threshold) {
      if (from !== from) from = t;
      last = t;
      peak = Math.max(peak, v);
    } else if (from === from && t - last > DIP_US) close();
  }
  close();
  return out;
}

/** Counters that rise for any IO, a memory shortage's refaults and swap included (PSI io and iostat say which disk, and why less ambiguously). */
const VMSTAT_ONLY = new Set(['vmstat-wa', 'vmstat-blocked']);

/**
 * Overlapping IO windows (30 s slack: samplers tick at different times) merged into one. A window
 * only vmstat's wa/b show, during memory pressure for most of it, is the memory shortage's IO
 * (reclaim, refaults, swap), not a disk incident of its own: `memoryDriven`.
 */
function union(windows: (Window & { kind: string })[], memory: Window[]): NewFinding[] {
  const out: NewFinding[] = [];
  // Ties by kind and series: the same bundle read in another file order gives the same union.
  const tie = (w: Window & { kind: string }) => `${w.kind}|${w.evidence.kind === 'metric' ? w.evidence.series : ''}`;
  const sorted = [...windows].sort((a, b) => a.from - b.from || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0));
  const addFinding = (group: (Window & { kind: string })[]) => {
    const to = Math.max(...group.map((w) => w.to));
    const kinds = [...new Set(group.map((w) => w.kind))];
    const over = Math.max(...group.map((w) => w.peak / w.threshold));
    const from = Math.min(...group.map((w) => w.from));
    const overlap = memory.reduce((n, w) => n + Math.max(0, Math.min(to, w.to) - Math.max(from, w.from)), 0);
    const memoryDriven = kinds.every((k) => VMSTAT_ONLY.has(k)) && overlap >= 0.5 * (to - from);
    const strength = clamp01(0.2 + 0.15 * kinds.length + 0.15 * Math.min(3, over - 1)) * (memoryDriven ? 0.5 : 1);
    out.push({
      kind: 'io-window',
      title: `Disk saturated for ${((to - from) / SEC).toFixed(0)} s (${kinds.join(', ')})${memoryDriven ? ', while memory was short: reclaim and refault IO' : ''}`,
      severity: kinds.length >= 2 && strength >= 0.6 ? 'error' : 'warn', from, to, strength,
      facts: { sources: kinds.length, kinds: kinds.join(','), peakRatio: round(over), memoryDriven }, evidence: group.map((w) => w.evidence),
    });
  };
  for (const group of overlapGroups(sorted, 30 * SEC)) addFinding(group);
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
