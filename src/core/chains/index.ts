import type { AnalysisInput, Finding } from '../analysis/types';
import type { Chain } from './types';

/** Scores every pattern against the findings and returns the chains, best first. */
export function rankChains(findings: Finding[], input: AnalysisInput): Chain[] {
  void findings;
  void input;
  return [];
}
