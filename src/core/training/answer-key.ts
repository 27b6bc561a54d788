// The answer key of an exercise: the chain of the scenario's own pattern, as found by the real
// detectors and engine on the generated bundle, with every piece of evidence named by what survives
// re-ingesting the same files (path, origin, byte offset; dump path, process, goroutine) rather than
// this browser's ids.

import type { AnalysisInput, Evidence, Finding } from '../analysis/types';
import type { ChainResult, StepRole } from '../chains/types';

export const roles: readonly StepRole[] = ['symptom', 'blocked-call', 'lock-holder', 'resource', 'root-cause'];

export const roleLabel: Record<StepRole, string> = {
  symptom: 'symptom',
  'blocked-call': 'blocked call',
  'lock-holder': 'lock holder',
  resource: 'resource',
  'root-cause': 'root cause',
};

export type KeyEvidence =
  | { kind: 'line'; path: string; origin: string; offset: number; ts: number; signal?: string }
  | { kind: 'goroutine'; path: string; process: string; goroutine: number }
  | { kind: 'window'; path: string; series: string; from: number; to: number }
  | { kind: 'event'; path: string; ts: number; line: number };

export interface KeyStep {
  id: string;
  role: StepRole;
  title: string;
  evidence: KeyEvidence[];
  /** When the step happened (its findings' span), µs UTC; null when nothing in it is timed. */
  window: { from: number; to: number } | null;
  /** Signal kinds of its lines: another line of the same kind near the step is a near miss. */
  lineKinds: string[];
}

export interface AnswerKey {
  scenario: string;
  /** The chain's pattern; null = a healthy node (nothing to pin, "no fault" is the remedy). */
  patternId: string | null;
  title: string;
  /** The right remedy: a pattern id, or NO_FAULT. */
  remedy: string;
  steps: KeyStep[];
}

export const NO_FAULT = 'none';

/** µs UTC of a piece of key evidence, where it has one. */
export function evidenceTime(e: KeyEvidence): number | null {
  return e.kind === 'goroutine' ? null : e.kind === 'window' ? e.from : e.ts;
}

/** One browser-independent name for each piece of chain evidence. */
export function keyEvidence(e: Evidence, input: AnalysisInput): KeyEvidence | null {
  const path = (fileId: string) => input.files.find((f) => f.id === fileId)?.path;
  switch (e.kind) {
    case 'line': {
      const p = path(e.fileId);
      if (!p) return null;
      const signal = input.signals.find((s) => s.sourceId === e.sourceId && s.offset === e.offset)?.kind;
      const origin = e.sourceId.slice(e.fileId.length + 1);
      return { kind: 'line', path: p, origin, offset: e.offset, ts: e.ts, ...(signal ? { signal } : {}) };
    }
    case 'goroutine': {
      const d = input.dumps.find((x) => x.id === e.dumpId);
      return d ? { kind: 'goroutine', path: d.path, process: d.process, goroutine: e.goroutine } : null;
    }
    case 'metric': {
      const p = path(e.fileId);
      return p ? { kind: 'window', path: p, series: e.series, from: e.from, to: e.to } : null;
    }
    case 'event': {
      const p = path(e.fileId);
      return p ? { kind: 'event', path: p, ts: e.ts, line: e.line } : null;
    }
  }
}

function span(findings: Finding[]): { from: number; to: number } | null {
  const timed = findings.filter((f) => Number.isFinite(f.from) && Number.isFinite(f.to));
  if (timed.length === 0) return null;
  return { from: Math.min(...timed.map((f) => f.from)), to: Math.max(...timed.map((f) => f.to)) };
}

/**
 * The key of a bundle for a pattern: its chain's steps that have evidence. `patternId` null (a
 * healthy node) gives an empty key. Throws when the pattern found no chain: the exercise would have
 * no answer.
 */
export function deriveAnswerKey(scenario: string, patternId: string | null, input: AnalysisInput, result: ChainResult): AnswerKey {
  if (patternId === null) return { scenario, patternId: null, title: 'No fault: the node is healthy', remedy: NO_FAULT, steps: [] };
  const chain = result.chains.find((c) => c.patternId === patternId);
  if (!chain) throw new Error(`the analysis found no ${patternId} chain in this bundle`);
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const steps: KeyStep[] = [];
  for (const s of chain.steps) {
    const evidence = s.evidence.map((e) => keyEvidence(e, input)).filter((e): e is KeyEvidence => e !== null);
    if (evidence.length === 0) continue;
    const findings = s.findingIds.map((id) => byId.get(id)).filter((f): f is Finding => !!f);
    const lineKinds = [...new Set(evidence.flatMap((e) => (e.kind === 'line' && e.signal ? [e.signal] : [])))];
    steps.push({ id: s.id, role: s.role, title: s.title, evidence, window: span(findings), lineKinds });
  }
  return { scenario, patternId, title: chain.title, remedy: patternId, steps };
}

/** The roles the key asks for, in chain order (symptom first). */
export function keyRoles(key: AnswerKey): StepRole[] {
  return roles.filter((r) => key.steps.some((s) => s.role === r));
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const utc = (us: number) => new Date(us / 1000).toISOString().slice(11, 19);

/** Where to look for a role, without giving the answer away: the file and the time. */
export function hintFor(key: AnswerKey, role: StepRole): string {
  const step = key.steps.find((s) => s.role === role);
  if (!step) return `This incident has no ${roleLabel[role]} step: leave it empty.`;
  const e = step.evidence[0]!;
  const t = evidenceTime(e) ?? step.window?.from ?? null;
  const where = e.kind === 'goroutine' ? `the goroutine dump ${basename(e.path)} (${e.process})`
    : e.kind === 'window' ? `the ${e.series} series (${basename(e.path)})`
    : basename(e.path);
  return `Look at ${where}${t !== null ? ` around ${utc(t)} UTC` : ''}: ${step.title.toLowerCase()}.`;
}
