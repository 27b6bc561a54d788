// Wall-clock steps (chronyd, ntpd, systemd) and holes in the logging of the whole node. Both make
// a silence in one log that is no stall: a forward step moves every later stamp, so kubelet's
// relists seem to stop for the size of the step; a capture gap or a node powered off silences
// every log at once. `gapCause` says when a gap in one source is one of these.

import type { AnalysisInput, Finding, LineSignal, SourceSpan } from './types';
import { SEC, clamp01, clusters, finish, lineEvidence, originOf, type NewFinding } from './util';

/** Lines of one step (chronyd's "wrong by", "stepped by", systemd's "Time has been changed") come together. */
const STEP_LINES_US = 60 * SEC;
/** A step line this close to a gap's ends explains it (it is logged just after the step). */
const NEAR_US = 60 * SEC;
/** The step sizes each daemon logs, in seconds. */
const STEP_SIZE = /(?:wrong by|stepped by|offset|time reset|jumped(?: forward| backward)? by) ([+-]?\d+(?:\.\d+)?) ?s/;

export function detectClock(input: AnalysisInput): Finding[] {
  const lines = input.signals.filter((s) => s.kind === 'clock');
  const out: NewFinding[] = clusters(lines, STEP_LINES_US).map((group) => {
    const stepSec = stepOf(group);
    const size = stepSec === stepSec ? `${stepSec > 0 ? '+' : ''}${stepSec.toFixed(1)} s` : 'by an unknown amount';
    return {
      kind: 'clock-step', title: `Wall clock stepped ${size} (${originOf(group[0]!.sourceId)}): stamps on either side are not comparable`,
      severity: 'warn', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.3 + (stepSec === stepSec ? Math.abs(stepSec) / 600 : 0)),
      facts: { stepSec: stepSec === stepSec ? stepSec : 0, known: stepSec === stepSec, count: group.length }, evidence: group.map(lineEvidence),
    };
  });
  return finish('clock', out);
}

/** The largest step a group of lines states, NaN when none says. */
function stepOf(group: LineSignal[]): number {
  let step = NaN;
  for (const s of group) {
    const m = STEP_SIZE.exec(s.text);
    if (!m) continue;
    const v = Number(m[1]);
    if (!(Math.abs(v) <= Math.abs(step))) step = v;
  }
  return step;
}

export type GapCause = { cause: 'clock-step'; stepSec: number; lines: LineSignal[] } | { cause: 'node-silent'; sources: number };

/** Prepares the clock lines, holes and source spans once; the returned function explains one gap. */
export function gapExplainer(input: AnalysisInput): (sourceId: string, from: number, to: number) => GapCause | null {
  const steps = clusters(input.signals.filter((s) => s.kind === 'clock'), STEP_LINES_US);
  const silences = new Map<string, LineSignal[]>();
  for (const s of input.signals) {
    if (s.kind !== 'silence') continue;
    const list = silences.get(s.sourceId);
    if (list) list.push(s);
    else silences.set(s.sourceId, [s]);
  }
  const spans: SourceSpan[] = input.sources ?? [];
  return (sourceId, from, to) => {
    const gapSec = (to - from) / SEC;
    for (const group of steps) {
      if (group[group.length - 1]!.ts < from - NEAR_US || group[0]!.ts > to + NEAR_US) continue;
      // A step much smaller than the gap (chrony's routine corrections) leaves most of it unexplained.
      const stepSec = stepOf(group);
      if (stepSec !== stepSec || Math.abs(stepSec) >= gapSec / 2) return { cause: 'clock-step', stepSec: stepSec === stepSec ? stepSec : 0, lines: group };
    }
    // Node-wide silence: every source that was logging before and after the gap (the gap's own
    // source included: kubelet logs more than relists) has a hole covering it.
    const slack = Math.max(2 * SEC, 0.05 * (to - from));
    let spanning = 0;
    let others = 0;
    for (const span of spans) {
      if (span.from > from + slack || span.to < to - slack) continue;
      spanning++;
      if (span.id !== sourceId) others++;
      const holes = silences.get(span.id);
      if (!holes?.some((h) => h.since! <= from + slack && h.ts >= to - slack)) return null;
    }
    return others > 0 ? { cause: 'node-silent', sources: spanning } : null;
  };
}
