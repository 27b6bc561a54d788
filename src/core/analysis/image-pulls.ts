// Image pulls: one finding per pull (start → end, from kubelet events, else containerd's CRI
// log), pull storms: windows where several pulls overlap and compete for the disk, and failed
// pulls (pull-failures.ts).

import type { AnalysisInput, Evidence, Finding, LineSignal } from './types';
import { isPullFailure, pullFailures } from './pull-failures';
import { SEC, clamp01, finish, goDurationSec, lineEvidence, originOf, type NewFinding } from './util';

const STORM_MIN = 3;
/** The image reference in quotes, plain or escaped inside a quoted message. */
const REF = String.raw`\\?"([^"\\\s]+)\\?"`;
const KUBELET_START = new RegExp(`Pulling image ${REF}`);
const KUBELET_END = new RegExp(String.raw`Successfully pulled image ${REF}(?: in (\S+?)(?:\s|\\|"|$))?`);
const CTRD_START = new RegExp(`PullImage ${REF}(?!\\s*returns)`);
const CTRD_END = new RegExp(`PullImage ${REF} returns image reference`);

interface Pull {
  image: string;
  from: number;
  to: number;
  seconds: number;
  evidence: Evidence[];
}

export function detectImagePulls(input: AnalysisInput): Finding[] {
  const kubelet: LineSignal[] = [];
  const containerd: LineSignal[] = [];
  const failed: LineSignal[] = [];
  for (const s of input.signals) {
    if (s.kind !== 'pull') continue;
    if (isPullFailure(s)) {
      failed.push(s);
      continue;
    }
    (originOf(s.sourceId) === 'kubelet' || KUBELET_START.test(s.text) || KUBELET_END.test(s.text) ? kubelet : containerd).push(s);
  }
  // Both sides describe the same pulls: kubelet's events are the user's view, containerd's the fallback.
  let pulls = pair(kubelet, KUBELET_START, KUBELET_END);
  if (!pulls.length) pulls = pair(containerd, CTRD_START, CTRD_END);
  pulls.sort((a, b) => a.from - b.from);
  const out: NewFinding[] = pulls.map((p) => ({
    kind: 'pull', title: `Pulled ${p.image} in ${p.seconds.toFixed(1)} s`, severity: 'info', from: p.from, to: p.to,
    strength: clamp01(p.seconds / 60), facts: { image: p.image, seconds: p.seconds }, evidence: p.evidence,
  }));
  out.push(...storms(pulls));
  out.push(...pullFailures(failed));
  return finish('image-pulls', out);
}

/** The pod a kubelet event is about (structured `object="ns/pod"` or legacy `Namespace:"ns", Name:"pod"`). */
function podOf(text: string): string {
  const m = /object=\\?"([^"\\]+)\\?"/.exec(text) ?? /Namespace:\\?"([^"\\]*)\\?", Name:\\?"([^"\\]+)/.exec(text);
  return m ? m.slice(1).join('/') : '';
}

function pair(lines: LineSignal[], start: RegExp, end: RegExp): Pull[] {
  // Pulls of one image by several pods overlap: pair a pod's start with the same pod's end.
  const open = new Map<string, LineSignal[]>();
  const pulls: Pull[] = [];
  for (const s of [...lines].sort((a, b) => a.ts - b.ts)) {
    const e = end.exec(s.text);
    if (e) {
      const image = e[1]!;
      const began = open.get(`${image}|${podOf(s.text)}`)?.shift();
      const said = goDurationSec(e[2] ?? '');
      const from = began ? began.ts : said === said ? s.ts - said * SEC : s.ts;
      pulls.push({ image, from, to: s.ts, seconds: said === said ? said : (s.ts - from) / SEC, evidence: began ? [lineEvidence(began), lineEvidence(s)] : [lineEvidence(s)] });
      continue;
    }
    const b = start.exec(s.text);
    if (b) {
      const key = `${b[1]!}|${podOf(s.text)}`;
      const list = open.get(key) ?? [];
      list.push(s);
      open.set(key, list);
    }
  }
  return pulls;
}

/** Sweep over pull intervals: windows where at least STORM_MIN pulls run at once. */
function storms(pulls: Pull[]): NewFinding[] {
  const edges: [number, number][] = [];
  for (const p of pulls) {
    if (p.to <= p.from) continue;
    edges.push([p.from, 1], [p.to, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: NewFinding[] = [];
  let active = 0;
  let from = NaN;
  let peak = 0;
  for (const [t, d] of edges) {
    active += d;
    if (active >= STORM_MIN && from !== from) {
      from = t;
      peak = active;
    }
    if (from === from) peak = Math.max(peak, active);
    if (active < STORM_MIN && from === from) {
      const to = t;
      const inside = pulls.filter((p) => p.from < to && p.to > from);
      out.push({
        kind: 'pull-storm', title: `${peak} image pulls at once (${inside.length} pulls in ${((to - from) / SEC).toFixed(0)} s)`,
        severity: 'warn', from, to, strength: clamp01(peak / 8 + inside.length / 40),
        facts: { maxConcurrent: peak, pulls: inside.length }, evidence: inside.flatMap((p) => p.evidence),
      });
      from = NaN;
      peak = 0;
    }
  }
  return out;
}
