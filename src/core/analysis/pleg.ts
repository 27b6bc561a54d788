// PLEG: kubelet's pod lifecycle event generator relists every second; a long silence between two
// "GenericPLEG: Relisting" lines means relist() (CRI ListPodSandbox + ListContainers) was stuck.

import { gapExplainer } from './clock';
import { streamPathOf } from './log-stream';
import type { AnalysisInput, DetectorOptions, LineSignal } from './types';
import { SEC, clamp01, clusters, finish, goDurationSec, lineEvidence, median, type NewFinding } from './util';
import type { Finding } from './types';

const CLUSTER_GAP_US = 60 * SEC;
/** Late relists in a row (a normal one between them allowed) that make a slow-relist window, not gaps. */
const SLOW_RUN = 5;
/** PLEG waits this long after a relist ends before the next starts (relistPeriod): the rest of a gap is the relist. */
const RELIST_PERIOD_US = SEC;
const MAX_WINDOW_EVIDENCE = 200;

export function detectPleg(input: AnalysisInput, opts: DetectorOptions): Finding[] {
  const out: NewFinding[] = [...relistGaps(input, opts)];
  const health: LineSignal[] = [];
  const slow: LineSignal[] = [];
  const status: LineSignal[] = [];
  for (const s of input.signals) {
    if (s.kind !== 'pleg') continue;
    if (s.text.includes('relist took') || /relist(ing)? took/i.test(s.text)) slow.push(s);
    if (s.text.includes('untime status check') || /untime not ready|untime is down|untime sanity check failed/i.test(s.text)) status.push(s);
    if (s.text.includes('last seen active') || (s.text.includes('PLEG is not healthy') && !s.text.includes('yet to be successful'))) health.push(s);
  }
  for (const group of clusters(health, CLUSTER_GAP_US)) {
    const lastSeenSec = Math.max(0, ...group.map((s) => goDurationSec(/last seen active (\S+) ago/.exec(s.text)?.[1] ?? '')).filter((x) => x === x));
    out.push({
      kind: 'not-healthy', title: `PLEG is not healthy${lastSeenSec ? ` (last seen active ${Math.round(lastSeenSec)} s before)` : ''}`,
      severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.6 + lastSeenSec / 900),
      facts: { lastSeenSec, count: group.length }, evidence: group.map(lineEvidence),
    });
  }
  for (const s of slow) {
    const seconds = goDurationSec(/took (\d[\w.µ]*)/.exec(s.text)?.[1] ?? '');
    out.push({
      kind: 'relist-slow', title: `PLEG relist took ${seconds === seconds ? `${seconds.toFixed(1)} s` : 'long'}`,
      severity: 'warn', from: s.ts - (seconds === seconds ? seconds * SEC : 0), to: s.ts, strength: clamp01((seconds || 0) / 60),
      facts: { seconds: seconds === seconds ? seconds : 0 }, evidence: [lineEvidence(s)],
    });
  }
  for (const group of clusters(status, CLUSTER_GAP_US)) {
    // "...may not have completed yet, PLEG ... has yet to be successful" is kubelet starting up, not a fault.
    const startup = group.every((s) => s.text.includes('yet to be successful'));
    out.push({
      kind: 'runtime-status', title: startup ? 'Container runtime status not known yet (kubelet starting)' : 'Container runtime status check failing',
      severity: startup ? 'info' : 'warn', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: startup ? 0.2 : 0.6,
      facts: { count: group.length, startup }, evidence: group.map(lineEvidence),
    });
  }
  return finish('pleg', out);
}

/** Runs of ≥ SLOW_RUN late periods (one on-time period between two late ones does not end a run), as [first, last] period indexes. */
function slowWindows(periods: number[], limit: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let late = 0;
  let lastLate = -1;
  for (let i = 0; i <= periods.length; i++) {
    const isLate = i < periods.length && periods[i]! > limit;
    if (isLate) {
      if (start < 0) start = i;
      late++;
      lastLate = i;
    } else if (start >= 0 && (i >= periods.length || i - lastLate > 1 || periods[i + 1]! <= limit)) {
      if (late >= SLOW_RUN) out.push([start, lastLate]);
      start = -1;
      late = 0;
    }
  }
  return out;
}

/**
 * A window of late relists: relist() itself taking seconds, inferred from the spacing of the
 * "Relisting" lines (each starts a period after the last one ended), for kubelets that do not log
 * "relist took" at their verbosity.
 */
function slowRelists(list: LineSignal[], periods: number[], a: number, b: number, med: number, stallUs: number): NewFinding {
  // The stalls inside the window are findings of their own; the relists' own time is the rest.
  const window = periods.slice(a, b + 1);
  const longer = window.filter((p) => p > 2 * RELIST_PERIOD_US);
  const late = longer.length > 0 ? longer : window;
  const relists = late.filter((p) => p < stallUs);
  // Each period is the relist plus the wait before the next (never below zero for a custom period).
  const took = (relists.length > 0 ? relists : late).map((p) => Math.max(0, p - RELIST_PERIOD_US) / SEC);
  const seconds = Math.max(...took);
  const typical = median(took);
  const from = list[a]!.ts;
  const to = list[b + 1]!.ts;
  const minutes = (to - from) / SEC / 60;
  const lines = list.slice(a, b + 2);
  return {
    kind: 'relist-slow',
    title: `PLEG relists took ~${typical.toFixed(1)} s each (up to ${seconds.toFixed(1)} s) for ${minutes >= 1 ? `${minutes.toFixed(0)} min` : `${((to - from) / SEC).toFixed(0)} s`} (from the spacing of ${b - a + 2} relists; normally every ${(med / SEC).toFixed(1)} s)`,
    severity: 'warn', from, to, strength: clamp01(typical / 10 + Math.min(0.3, minutes / 30)),
    facts: { seconds, typicalSec: typical, count: took.length, inferred: true },
    evidence: (lines.length > MAX_WINDOW_EVIDENCE ? [...lines.slice(0, MAX_WINDOW_EVIDENCE / 2), ...lines.slice(-MAX_WINDOW_EVIDENCE / 2)] : lines).map(lineEvidence),
  };
}

function relistGaps(input: AnalysisInput, opts: DetectorOptions): NewFinding[] {
  // One kubelet log rotated mid-stall is one stream: its copies' relists are measured together.
  const streamOfFile = new Map(input.files.map((f) => [f.id, streamPathOf(f.path)]));
  const byStream = new Map<string, LineSignal[]>();
  for (const s of input.signals) {
    if (s.kind !== 'relist') continue;
    const key = `${streamOfFile.get(s.fileId) ?? s.fileId}\0${s.sourceId.slice(s.fileId.length + 1)}`;
    const list = byStream.get(key) ?? [];
    list.push(s);
    byStream.set(key, list);
  }
  const out: NewFinding[] = [];
  const explain = gapExplainer(input);
  for (const list of byStream.values()) {
    list.sort((a, b) => a.ts - b.ts);
    if (list.length < 3) continue;
    const periods: number[] = [];
    for (let i = 1; i < list.length; i++) periods.push(list[i]!.ts - list[i - 1]!.ts);
    const med = median(periods);
    const limit = Math.min(opts.plegGapFactor * med, opts.plegGapMinSec * SEC);
    const slow = slowWindows(periods, limit);
    for (const [a, b] of slow) out.push(slowRelists(list, periods, a, b, med, opts.plegGapMinSec * SEC));
    const inSlow = (i: number) => slow.some(([a, b]) => i - 1 >= a && i - 1 <= b);
    for (let i = 1; i < list.length; i++) {
      const gap = periods[i - 1]!;
      if (gap <= limit) continue;
      // Inside a slow window only real stalls stand alone; the window says the rest.
      if (inSlow(i) && gap < opts.plegGapMinSec * SEC) continue;
      const gapSec = gap / SEC;
      const from = list[i - 1]!.ts;
      const to = list[i]!.ts;
      // A clock step or a node-wide silence makes a gap in the stamps, not in kubelet's work: shown
      // under another kind, so no pattern takes it for a stall.
      const why = explain(list[i]!.sourceId, from, to);
      if (why) {
        const title = why.cause === 'clock-step'
          ? `Relists missing for ${gapSec.toFixed(1)} s across a wall-clock step${why.stepSec ? ` of ${why.stepSec.toFixed(1)} s` : ''}: not a PLEG stall`
          : `Relists missing for ${gapSec.toFixed(1)} s while every log of the node (${why.sources} sources) was silent: a capture gap or the node down, not a PLEG stall`;
        out.push({
          kind: 'relist-gap-unreliable', title, severity: 'info', from, to, strength: 0.05,
          facts: { gapSec, medianPeriodSec: med / SEC, cause: why.cause, stepSec: why.cause === 'clock-step' ? why.stepSec : 0 },
          evidence: [lineEvidence(list[i - 1]!), lineEvidence(list[i]!), ...(why.cause === 'clock-step' ? why.lines.map(lineEvidence) : [])],
        });
        continue;
      }
      out.push({
        kind: 'relist-gap', title: `PLEG relist stalled for ${gapSec.toFixed(1)} s (normally every ${(med / SEC).toFixed(1)} s)`,
        severity: gapSec >= opts.plegGapMinSec ? 'error' : 'warn', from: list[i - 1]!.ts, to: list[i]!.ts,
        strength: clamp01(gapSec / 60), facts: { gapSec, medianPeriodSec: med / SEC },
        evidence: [lineEvidence(list[i - 1]!), lineEvidence(list[i]!)],
      });
    }
  }
  return out;
}
