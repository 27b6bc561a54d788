// Matches one pattern against a bundle's findings: per step, the findings that fit the time links
// around an anchor; a score from weighted steps × link fit × evidence strength, with penalties for
// missing required steps and for evidence the pattern says must be absent.

import type { AnalysisInput, Evidence, Finding } from '../analysis/types';
import { matchesQuery, type Pattern, type PatternLink, type PatternQuery, type PatternStep } from './pattern';
import type { Chain, ChainStep } from './types';

const S = 1_000_000;
/** How many candidates of the anchor step are tried (strongest first). */
const MAX_ANCHORS = 30;
/** A link this far off (beyond its allowance) keeps 1/e of its fit. */
const LINK_DECAY_SEC = 60;
/** Order of starts may be off by this much (sources' clocks are aligned, not identical). */
const ORDER_SLACK_SEC = 5;
/** Each missing required step multiplies the confidence by this. */
const REQUIRED_MISSING_FACTOR = 0.35;
const DEFAULT_ABSENT_PENALTY = 0.6;
const DEFAULT_ABSENT_MARGIN_SEC = 120;
/** Steps without a link to the chain take candidates within this distance of the anchor. */
const UNLINKED_MARGIN_SEC = 300;
const MAX_EVIDENCE_PER_STEP = 200;
/** Fit of a step whose findings have no time (e.g. a dump without a capture time): plausible, unplaced. */
const UNTIMED_FIT = 0.9;

export interface Window {
  from: number;
  to: number;
}

const isTimed = (w: Window): boolean => Number.isFinite(w.from) && Number.isFinite(w.to);

/** The union of the findings' windows; findings without a time are left out (±Infinity when none has one). */
function windowOf(fs: readonly Finding[]): Window {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const f of fs) {
    if (!isTimed(f)) continue;
    from = Math.min(from, f.from);
    to = Math.max(to, f.to);
  }
  return { from, to };
}

/** How far (seconds) the windows of a link's `from` (a) and `to` (b) steps are from satisfying it. */
export function linkOffSeconds(link: PatternLink, a: Window, b: Window): number {
  const allow = (link.seconds ?? 0) * S;
  const order = ORDER_SLACK_SEC * S;
  let off: number;
  switch (link.relation) {
    case 'overlaps':
      off = Math.max(0, Math.max(a.from - b.to, b.from - a.to) - allow);
      break;
    case 'precedes-within':
      off = Math.max(0, a.from - b.from - order) + Math.max(0, b.from - a.to - allow);
      break;
    case 'follows-within':
      off = Math.max(0, b.from - a.from - order) + Math.max(0, a.from - b.to - allow);
      break;
  }
  return off / S;
}

export function linkFit(link: PatternLink, a: Window, b: Window): number {
  return Math.exp(-linkOffSeconds(link, a, b) / LINK_DECAY_SEC);
}

interface Assignment {
  chosen: Map<string, Finding[]>;
}

/** Mean fit of a candidate window for `step` against the links to steps already chosen. */
function fitAgainst(step: PatternStep, w: Window, links: readonly PatternLink[], chosen: Map<string, Finding[]>): number | null {
  let sum = 0;
  let n = 0;
  for (const l of links) {
    const other = l.from === step.id ? l.to : l.to === step.id ? l.from : null;
    const fs = other !== null ? chosen.get(other) : undefined;
    if (!fs || fs.length === 0) continue;
    const ow = windowOf(fs);
    if (!isTimed(ow)) continue;
    if (!isTimed(w)) return UNTIMED_FIT;
    sum += l.from === step.id ? linkFit(l, w, ow) : linkFit(l, ow, w);
    n++;
  }
  return n === 0 ? null : sum / n;
}

function assign(p: Pattern, anchorStep: PatternStep, anchor: Finding, candidates: Map<string, Finding[]>): Assignment {
  const chosen = new Map<string, Finding[]>([[anchorStep.id, [anchor]]]);
  const pending = p.steps.filter((s) => s !== anchorStep);
  // Linked steps first (breadth-first from the anchor), then the unlinked ones near the anchor.
  while (pending.length > 0) {
    const idx = pending.findIndex((s) => p.links.some((l) => (l.from === s.id && chosen.has(l.to)) || (l.to === s.id && chosen.has(l.from))));
    const step = pending.splice(idx < 0 ? 0 : idx, 1)[0] as PatternStep;
    const cands = candidates.get(step.id) ?? [];
    if (cands.length === 0) {
      chosen.set(step.id, []);
      continue;
    }
    if (idx < 0) {
      const margin = UNLINKED_MARGIN_SEC * S;
      chosen.set(step.id, cands.filter((c) => !isTimed(c) || (c.to >= anchor.from - margin && c.from <= anchor.to + margin)));
      continue;
    }
    const scored = cands.map((c) => ({ c, fit: fitAgainst(step, c, p.links, chosen) ?? 1 }));
    const fitting = scored.filter((x) => x.fit > 0.999).map((x) => x.c);
    if (fitting.length > 0) chosen.set(step.id, fitting);
    else chosen.set(step.id, [scored.reduce((a, b) => (b.fit > a.fit ? b : a)).c]);
  }
  return { chosen };
}

interface Scored {
  confidence: number;
  chosen: Map<string, Finding[]>;
  stepFit: Map<string, number>;
  absentHits: { title: string; count: number }[];
}

function strengthOf(fs: readonly Finding[]): number {
  return fs.reduce((m, f) => Math.max(m, f.strength), 0);
}

function score(p: Pattern, a: Assignment, findings: readonly Finding[]): Scored {
  const stepFit = new Map<string, number>();
  let total = 0;
  let got = 0;
  let requiredMissing = 0;
  for (const s of p.steps) {
    total += s.weight;
    const fs = a.chosen.get(s.id) ?? [];
    if (fs.length === 0) {
      if (s.required) requiredMissing++;
      continue;
    }
    const fit = fitAgainst(s, windowOf(fs), p.links, a.chosen) ?? 1;
    stepFit.set(s.id, fit);
    got += s.weight * fit * (0.55 + 0.45 * strengthOf(fs));
  }
  let confidence = total > 0 ? got / total : 0;
  confidence *= Math.pow(REQUIRED_MISSING_FACTOR, requiredMissing);
  const present = [...a.chosen.values()].flat();
  const absentHits: Scored['absentHits'] = [];
  const w = windowOf(present);
  if (isTimed(w)) {
    for (const ab of p.absent ?? []) {
      const margin = (ab.marginSeconds ?? DEFAULT_ABSENT_MARGIN_SEC) * S;
      const hits = findings.filter((f) => matchesQuery(ab.query, f) && f.to >= w.from - margin && f.from <= w.to + margin);
      if (hits.length === 0) continue;
      confidence *= 1 - (ab.penalty ?? DEFAULT_ABSENT_PENALTY);
      absentHits.push({ title: ab.title, count: hits.length });
    }
  }
  return { confidence: Math.max(0, Math.min(1, confidence)), chosen: a.chosen, stepFit, absentHits };
}

/** What kind of input a detector reads, and whether the bundle has it (to say which file is missing). */
function sourcePresent(q: PatternQuery, input: AnalysisInput): { what: string; present: boolean } {
  const hasFile = (re: RegExp): boolean => input.files.some((f) => re.test(f.path) || re.test(f.origin) || re.test(f.format));
  switch (q.detector) {
    case 'io-pressure':
      return { what: 'PSI / iostat / vmstat samples', present: input.metrics.length > 0 };
    case 'goroutines':
      return { what: 'goroutine dumps', present: input.dumps.length > 0 };
    case 'kernel':
      return { what: 'the kernel log', present: input.events.length > 0 || hasFile(/dmesg|kern/i) };
    case 'pleg':
    case 'image-pulls':
      return { what: 'the kubelet log', present: hasFile(/kubelet/i) };
    case 'runtime':
      return { what: 'the kubelet and containerd logs', present: hasFile(/containerd|kubelet/i) };
    default:
      return { what: `${q.detector} input`, present: input.files.length > 0 };
  }
}

function fmtFact(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  return String(v);
}

/**
 * Fills `{fact}` (from the strongest finding that has it), `{count}` (how many findings) and
 * `{total}` (what they count together: the sum of their `count` facts, a finding without one
 * counting 1 — "4 OOM kills" where one finding groups them).
 */
export function explain(template: string, fs: readonly Finding[]): string {
  const byStrength = [...fs].sort((a, b) => b.strength - a.strength);
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    if (name === 'count') return String(fs.length);
    if (name === 'total') return String(fs.reduce((n, f) => n + (typeof f.facts.count === 'number' ? f.facts.count : 1), 0));
    // Go prints a wait only from one minute on: 0 means "under a minute", and the longest wait tells most.
    if (name === 'minutes') {
      const ms = fs.map((f) => f.facts.minutes).filter((m): m is number => typeof m === 'number');
      if (ms.length) {
        const longest = Math.max(...ms);
        return longest < 1 ? '< 1' : fmtFact(longest);
      }
    }
    const v = byStrength.find((f) => f.facts[name] !== undefined)?.facts[name];
    return v === undefined ? '?' : fmtFact(v);
  });
}

function evidenceOf(fs: readonly Finding[]): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const f of fs) {
    for (const e of f.evidence) {
      const key = JSON.stringify(e);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
      if (out.length >= MAX_EVIDENCE_PER_STEP) return out;
    }
  }
  return out;
}

function buildChain(p: Pattern, s: Scored, input: AnalysisInput): Chain {
  const steps: ChainStep[] = [];
  const reasons: string[] = [];
  const missingRequired: string[] = [];
  const missingOptional: string[] = [];
  for (const st of p.steps) {
    const fs = s.chosen.get(st.id) ?? [];
    const step: ChainStep = {
      id: st.id,
      role: st.role,
      title: st.title,
      explanation: fs.length > 0 ? explain(st.explanation, fs) : '',
      findingIds: fs.map((f) => f.id),
      evidence: evidenceOf(fs),
      required: st.required,
    };
    if (fs.length === 0) {
      const src = sourcePresent(st.query, input);
      step.missing = src.present ? `${src.what} present, but nothing matched (${st.query.detector}: ${st.query.kind ?? st.query.kinds?.join('|') ?? ''}); ${st.missingHint}` : st.missingHint;
      (st.required ? missingRequired : missingOptional).push(`${st.title}: ${step.missing}`);
    }
    steps.push(step);
  }
  const present = steps.filter((x) => x.findingIds.length > 0).length;
  reasons.push(`${present} of ${steps.length} steps backed by evidence (${p.steps.filter((x) => x.required && (s.chosen.get(x.id)?.length ?? 0) > 0).length} of ${p.steps.filter((x) => x.required).length} required)`);
  for (const m of missingRequired) reasons.push(`required step missing — ${m}`);
  for (const m of missingOptional) reasons.push(`optional step missing — ${m}`);
  for (const l of p.links) {
    const a = s.chosen.get(l.from);
    const b = s.chosen.get(l.to);
    if (!a?.length || !b?.length) continue;
    const wa = windowOf(a);
    const wb = windowOf(b);
    if (!isTimed(wa) || !isTimed(wb)) continue;
    const off = linkOffSeconds(l, wa, wb);
    if (off > 0.5) reasons.push(`window mismatch: ${l.from} should ${l.relation.replace('-', ' ')} ${l.to}${l.seconds !== undefined ? ` (${l.seconds} s)` : ''}, off by ${Math.round(off)} s`);
  }
  for (const st of p.steps) {
    const fs = s.chosen.get(st.id) ?? [];
    if (fs.length > 0 && !isTimed(windowOf(fs))) reasons.push(`${st.id}: its evidence has no time (e.g. a dump without a capture time), so it is not placed on the timeline`);
  }
  for (const h of s.absentHits) reasons.push(`against: ${h.title} (${h.count} finding${h.count === 1 ? '' : 's'} near the chain)`);
  const all = windowOf([...s.chosen.values()].flat());
  const w = isTimed(all) ? all : { from: 0, to: 0 };
  return {
    patternId: p.id,
    title: p.title,
    confidence: Math.round(s.confidence * 1000) / 1000,
    from: w.from,
    to: w.to,
    steps,
    remedy: p.remedy,
    reasons,
  };
}

/** The best chain this pattern can make out of the findings (confidence 0 when nothing matches). */
export function evaluatePattern(p: Pattern, findings: readonly Finding[], input: AnalysisInput): Chain {
  const candidates = new Map<string, Finding[]>();
  for (const s of p.steps) candidates.set(s.id, findings.filter((f) => matchesQuery(s.query, f)));
  const anchorStep = p.steps.find((s) => s.required && (candidates.get(s.id)?.length ?? 0) > 0) ?? p.steps.find((s) => (candidates.get(s.id)?.length ?? 0) > 0);
  let best: Scored = { confidence: 0, chosen: new Map(), stepFit: new Map(), absentHits: [] };
  if (anchorStep) {
    const anchors = [...(candidates.get(anchorStep.id) ?? [])].sort((a, b) => b.strength - a.strength).slice(0, MAX_ANCHORS);
    for (const anchor of anchors) {
      const s = score(p, assign(p, anchorStep, anchor, candidates), findings);
      if (best.chosen.size === 0 || s.confidence > best.confidence) best = s;
    }
  }
  return buildChain(p, best, input);
}

/** Every pattern's chain with confidence above `floor`, best first. */
export function runPatterns(patterns: readonly Pattern[], findings: readonly Finding[], input: AnalysisInput, floor = 0.05): Chain[] {
  return patterns
    .map((p) => evaluatePattern(p, findings, input))
    .filter((c) => c.confidence > floor)
    .sort((a, b) => b.confidence - a.confidence);
}
