// Chains: a pattern (declarative data) matched against findings.

import type { Evidence, Finding } from '../analysis/types';

export type StepRole = 'symptom' | 'blocked-call' | 'lock-holder' | 'resource' | 'root-cause';

export interface ChainStep {
  /** The pattern step's id. */
  id: string;
  role: StepRole;
  title: string;
  /** One line saying what this step means in this bundle. */
  explanation: string;
  /** The findings that back the step (empty = missing). */
  findingIds: string[];
  evidence: Evidence[];
  required: boolean;
  /** When missing: what evidence would supply it ("add /proc/pressure/io samples"). */
  missing?: string;
}

export interface Chain {
  patternId: string;
  title: string;
  /** 0..1 */
  confidence: number;
  from: number;
  to: number;
  steps: ChainStep[];
  remedy: { text: string; snippets: { title: string; language: string; code: string }[]; references: string[] };
  /** Why it scored as it did: missing steps, window mismatch, weak evidence. */
  reasons: string[];
}

export interface ChainResult {
  findings: Finding[];
  chains: Chain[];
}
