// Small helpers shared by the detectors.

import type { Evidence, Finding, LineSignal } from './types';

export const SEC = 1e6;

export function lineEvidence(s: LineSignal): Evidence {
  return { kind: 'line', fileId: s.fileId, sourceId: s.sourceId, line: s.line, offset: s.offset, ts: s.ts };
}

/** The origin part of a source id (`<fileId>:<origin>`). */
export function originOf(sourceId: string): string {
  const i = sourceId.indexOf(':');
  return i === -1 ? sourceId : sourceId.slice(i + 1);
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Groups time-sorted items into runs where consecutive items are at most `gapUs` apart. */
export function clusters<T extends { ts: number }>(items: T[], gapUs: number): T[][] {
  const out: T[][] = [];
  for (const it of [...items].sort((a, b) => a.ts - b.ts)) {
    const last = out[out.length - 1];
    if (last && it.ts - last[last.length - 1]!.ts <= gapUs) last.push(it);
    else out.push([it]);
  }
  return out;
}

/** Go's time.Duration text ("3m0.46s", "42.3s", "500ms", "1h2m") in seconds; NaN when not one. */
export function goDurationSec(text: string): number {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|µs|us|ns)/gy;
  let total = 0;
  let n = 0;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, µs: 1e-6, us: 1e-6, ns: 1e-9 };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unit[m[2]!]!;
    n++;
  }
  return n ? total : NaN;
}

/** Numbered ids per detector and kind, stable for one run over the same input. */
export function idMaker(detector: string): (kind: string) => string {
  const counts = new Map<string, number>();
  return (kind) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    return `${detector}:${kind}:${n}`;
  };
}

export type NewFinding = Omit<Finding, 'id' | 'detector'>;

export function finish(detector: string, list: NewFinding[]): Finding[] {
  const id = idMaker(detector);
  return list.map((f) => ({ id: id(f.kind), detector, ...f }));
}

/** The most frequent non-empty value ('' when none); ties go to the first seen. */
export function mostCommon(values: string[]): string {
  const n = new Map<string, number>();
  for (const v of values) if (v) n.set(v, (n.get(v) ?? 0) + 1);
  let best = '';
  for (const [v, c] of n) if (c > (n.get(best) ?? 0)) best = v;
  return best;
}

/**
 * Windows sorted by start, grouped while each starts within `slackUs` of the group's end so far
 * (samplers tick at different times: windows of one episode seldom touch).
 */
export function overlapGroups<T extends { from: number; to: number }>(sorted: readonly T[], slackUs: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let to = -Infinity;
  for (const w of sorted) {
    if (group.length && w.from > to + slackUs) {
      groups.push(group);
      group = [];
    }
    if (!group.length) to = w.to;
    group.push(w);
    to = Math.max(to, w.to);
  }
  if (group.length) groups.push(group);
  return groups;
}
