// Scoring a trainee's attempt against the answer key: per role, full credit for evidence the key
// cites under that role, partial credit for the right evidence under the wrong role or a near miss,
// and a sentence saying which; then the remedy, hint penalties and the time limit.

import type { StepRole } from '../chains/types';
import { keyRoles, NO_FAULT, roleLabel, roles, type AnswerKey, type KeyEvidence, type KeyStep } from './answer-key';

export type PinEvidence =
  | { kind: 'line'; path: string; origin: string; offset: number; ts: number; signal?: string }
  | { kind: 'goroutine'; path: string; process: string; goroutine: number }
  | { kind: 'window'; from: number; to: number };

export interface Pin {
  role: StepRole;
  evidence: PinEvidence;
}

export interface Attempt {
  pins: Pin[];
  /** The chosen remedy: a pattern id, NO_FAULT, or null when none was picked. */
  remedy: string | null;
  /** Roles whose hint was shown. */
  hints: StepRole[];
  elapsedSec: number;
  /** Time limit, if the exercise had one. */
  minutes?: number | null;
}

export type Verdict = 'right' | 'wrong-role' | 'near-miss' | 'wrong' | 'missing' | 'extra' | 'empty';

export interface RoleScore {
  role: StepRole;
  verdict: Verdict;
  points: number;
  max: number;
  feedback: string;
}

export interface ScoreReport {
  total: number;
  roles: RoleScore[];
  remedy: { points: number; max: number; feedback: string };
  hintPenalty: number;
  timePenalty: number;
}

export const EVIDENCE_POINTS = 80;
export const REMEDY_POINTS = 20;
export const HINT_COST = 5;
export const OVERTIME_COST = 10;
/** Share of a role's points for the right evidence under the wrong role, or a near miss. */
const PARTIAL = 0.5;
/** Slack around a step's window for near misses and chart windows (clock skew between files). */
const SLACK_US = 30_000_000;
/** A healthy node: each pin claims a fault that is not there. */
const FALSE_ALARM_COST = 20;

function sameEvidence(pin: PinEvidence, e: KeyEvidence): boolean {
  if (pin.kind === 'line' && e.kind === 'line') return pin.path === e.path && pin.origin === e.origin && pin.offset === e.offset;
  // A kernel report is an event of the parser; its first line in the log carries the same stamp.
  if (pin.kind === 'line' && e.kind === 'event') return pin.path === e.path && Math.abs(pin.ts - e.ts) <= 1_000_000;
  if (pin.kind === 'goroutine' && e.kind === 'goroutine') return pin.path === e.path && pin.process === e.process && pin.goroutine === e.goroutine;
  if (pin.kind === 'window' && e.kind === 'window') return tightOverlap(pin, e);
  return false;
}

/** The pin overlaps the key window and at least half of it lies inside (a whole-bundle window does not count). */
function tightOverlap(pin: { from: number; to: number }, w: { from: number; to: number }): boolean {
  const from = Math.max(pin.from, w.from - SLACK_US);
  const to = Math.min(pin.to, w.to + SLACK_US);
  if (to <= from || pin.to < w.from || pin.from > w.to) return false;
  return (to - from) >= 0.5 * (pin.to - pin.from);
}

const proves = (pin: PinEvidence, step: KeyStep) => step.evidence.some((e) => sameEvidence(pin, e));

function nearMiss(pin: PinEvidence, step: KeyStep): string | null {
  const w = step.window;
  if (pin.kind === 'goroutine') {
    const sameDump = step.evidence.some((e) => e.kind === 'goroutine' && e.path === pin.path && e.process === pin.process);
    return sameDump ? 'close: the right dump, but not the goroutine that proves it' : null;
  }
  if (!w) return null;
  const near = pin.kind === 'line' ? pin.ts >= w.from - SLACK_US && pin.ts <= w.to + SLACK_US : pin.to >= w.from - SLACK_US && pin.from <= w.to + SLACK_US;
  if (!near) return null;
  if (pin.kind === 'window') {
    return step.evidence.some((e) => e.kind === 'window')
      ? 'close: the window overlaps it but is too wide; zoom to the stretch that proves it'
      : 'close: the right time, but a window only shows when; pin the line or goroutine that proves it';
  }
  const kindMatches = pin.signal ? step.lineKinds.includes(pin.signal) : step.evidence.some((e) => e.kind === 'line' && e.path === pin.path);
  return kindMatches ? 'close: a line of the right kind at the right time, but not one the chain cites' : null;
}

function scoreRole(key: AnswerKey, role: StepRole, pin: Pin | undefined, max: number): RoleScore {
  const label = roleLabel[role];
  if (!pin) return { role, verdict: 'missing', points: 0, max, feedback: `missing: nothing pinned as ${label}` };
  const own = key.steps.filter((s) => s.role === role);
  const hit = own.find((s) => proves(pin.evidence, s));
  if (hit) return { role, verdict: 'right', points: max, max, feedback: `right evidence: ${hit.title.toLowerCase()}` };
  const elsewhere = key.steps.find((s) => s.role !== role && proves(pin.evidence, s));
  if (elsewhere) {
    return { role, verdict: 'wrong-role', points: max * PARTIAL, max, feedback: `this is the ${roleLabel[elsewhere.role]} (${elsewhere.title.toLowerCase()}), not the ${label}` };
  }
  for (const s of own) {
    const why = nearMiss(pin.evidence, s);
    if (why) return { role, verdict: 'near-miss', points: max * PARTIAL, max, feedback: why };
  }
  return { role, verdict: 'wrong', points: 0, max, feedback: `not part of the chain: this does not show the ${label}` };
}

export function scoreAttempt(key: AnswerKey, attempt: Attempt): ScoreReport {
  const wanted = keyRoles(key);
  const pinOf = (r: StepRole) => [...attempt.pins].reverse().find((p) => p.role === r);
  const out: RoleScore[] = [];
  if (wanted.length === 0) {
    const pinned = roles.filter((r) => pinOf(r));
    for (const r of pinned) out.push({ role: r, verdict: 'extra', points: 0, max: 0, feedback: `nothing is wrong on this node: the ${roleLabel[r]} pin points at noise` });
    const points = Math.max(0, EVIDENCE_POINTS - FALSE_ALARM_COST * pinned.length);
    if (pinned.length === 0) out.push({ role: 'symptom', verdict: 'empty', points, max: EVIDENCE_POINTS, feedback: 'right: nothing pinned on a healthy node' });
    else out.unshift({ role: 'symptom', verdict: 'wrong', points, max: EVIDENCE_POINTS, feedback: `${pinned.length} pin(s) on a healthy node: the errors in it are unrelated noise` });
  } else {
    const max = EVIDENCE_POINTS / wanted.length;
    for (const r of roles) {
      if (wanted.includes(r)) out.push(scoreRole(key, r, pinOf(r), max));
      else if (pinOf(r)) out.push({ role: r, verdict: 'extra', points: 0, max: 0, feedback: `this incident has no ${roleLabel[r]} step` });
    }
  }
  const remedyRight = attempt.remedy === key.remedy;
  const remedy = {
    points: remedyRight ? REMEDY_POINTS : 0,
    max: REMEDY_POINTS,
    feedback: remedyRight ? 'right remedy' : attempt.remedy === null ? 'missing: no remedy chosen' : attempt.remedy === NO_FAULT ? 'wrong remedy: there is a fault to fix' : 'wrong remedy: it fixes another incident',
  };
  const hintPenalty = HINT_COST * new Set(attempt.hints).size;
  const over = attempt.minutes ? attempt.elapsedSec > attempt.minutes * 60 : false;
  const timePenalty = over ? OVERTIME_COST : 0;
  const raw = out.reduce((n, r) => n + r.points, 0) + remedy.points - hintPenalty - timePenalty;
  return { total: Math.max(0, Math.min(100, Math.round(raw))), roles: out, remedy, hintPenalty, timePenalty };
}

/** The pin a piece of key evidence makes; null for a parser event (its line is found by time, not offset). */
export function pinFromKey(e: KeyEvidence): PinEvidence | null {
  switch (e.kind) {
    case 'line': return { kind: 'line', path: e.path, origin: e.origin, offset: e.offset, ts: e.ts };
    case 'goroutine': return e;
    case 'window': return { kind: 'window', from: e.from, to: e.to };
    case 'event': return null;
  }
}

/** For each role of the key, a pin of its own evidence: what a perfect attempt pins. */
export function perfectPins(key: AnswerKey): Pin[] {
  return keyRoles(key).flatMap((role) => {
    const evidence = key.steps.filter((s) => s.role === role).flatMap((s) => s.evidence.map(pinFromKey)).find((p) => p !== null);
    return evidence ? [{ role, evidence }] : [];
  });
}
