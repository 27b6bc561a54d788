// The pattern format: a causal chain described as data (JSON), matched against findings by the
// engine. Built-in patterns live in ./patterns; users write their own in the same shape.

import type { Finding } from '../analysis/types';
import type { StepRole } from './types';

export type FactValue = string | number | boolean;

/** One comparison on a finding's facts; all of a query's conditions must hold. */
export interface FactCondition {
  fact: string;
  op: 'eq' | 'gte' | 'lte' | 'contains' | 'in';
  value: FactValue | FactValue[];
}

/** Which findings back a step: a detector and one kind (or several), optionally filtered on facts. */
export interface PatternQuery {
  detector: string;
  kind?: string;
  kinds?: string[];
  where?: FactCondition[];
}

export interface PatternStep {
  id: string;
  role: StepRole;
  title: string;
  /** One line; `{fact}` is replaced by the strongest finding's fact, `{count}` by the number of findings, `{total}` by the sum of their `count` facts. */
  explanation: string;
  query: PatternQuery;
  required: boolean;
  /** Relative importance in the score (> 0). */
  weight: number;
  /** Shown when the step has no evidence: which file would supply it. */
  missingHint: string;
}

export type LinkRelation = 'overlaps' | 'precedes-within' | 'follows-within';

/**
 * A time relation between two steps' windows: `overlaps` (within `seconds` of slack, default 0),
 * `precedes-within` (from starts no later than to, and ends at most `seconds` before to starts),
 * `follows-within` (the mirror).
 */
export interface PatternLink {
  from: string;
  to: string;
  relation: LinkRelation;
  seconds?: number;
}

/** Evidence that argues against the pattern when present near the chain's window. */
export interface PatternAbsent {
  id: string;
  title: string;
  query: PatternQuery;
  /** 0..1: how much of the confidence it takes away (default 0.6). */
  penalty?: number;
  /** How far around the chain's window to look, in seconds (default 120). */
  marginSeconds?: number;
}

export interface RemedySnippet {
  title: string;
  language: string;
  code: string;
}

export interface Pattern {
  id: string;
  title: string;
  description: string;
  steps: PatternStep[];
  links: PatternLink[];
  absent?: PatternAbsent[];
  remedy: { text: string; snippets: RemedySnippet[]; references: string[] };
}

function conditionHolds(c: FactCondition, facts: Finding['facts']): boolean {
  const v = facts[c.fact];
  if (v === undefined) return false;
  switch (c.op) {
    case 'eq':
      return v === c.value;
    case 'gte':
      return typeof v === 'number' && typeof c.value === 'number' && v >= c.value;
    case 'lte':
      return typeof v === 'number' && typeof c.value === 'number' && v <= c.value;
    case 'contains':
      return typeof c.value === 'string' && String(v).toLowerCase().includes(c.value.toLowerCase());
    case 'in':
      return Array.isArray(c.value) && c.value.includes(v);
  }
}

export function matchesQuery(q: PatternQuery, f: Finding): boolean {
  if (f.detector !== q.detector) return false;
  const kinds = q.kinds ?? (q.kind !== undefined ? [q.kind] : []);
  if (kinds.length > 0 && !kinds.includes(f.kind)) return false;
  return (q.where ?? []).every((c) => conditionHolds(c, f.facts));
}
