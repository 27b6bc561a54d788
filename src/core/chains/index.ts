import type { AnalysisInput, Finding } from '../analysis/types';
import { runPatterns } from './engine';
import type { Pattern } from './pattern';
import { builtinPatterns } from './patterns';
import type { Chain } from './types';

export { evaluatePattern, runPatterns } from './engine';
export type { Pattern } from './pattern';
export { patternSchema } from './pattern-schema';
export { builtinPatterns } from './patterns';
export { validatePattern } from './validate';

/** Scores every pattern (built-in and the user's) against the findings; chains above 0.05, best first. */
export function rankChains(findings: Finding[], input: AnalysisInput, userPatterns: readonly Pattern[] = []): Chain[] {
  return runPatterns([...builtinPatterns, ...userPatterns], findings, input);
}
