import { rankChains } from '../chains';
import type { ChainResult } from '../chains/types';
import type { Pattern } from '../chains/pattern';
import { runDetectors } from '.';
import type { AnalysisInput, DetectorOptions } from './types';
import { defaultDetectorOptions } from './types';

/** Detectors then chains: what the CLI, the page and the tests call. */
export function analyzeBundleData(input: AnalysisInput, opts: DetectorOptions = defaultDetectorOptions, userPatterns: readonly Pattern[] = []): ChainResult {
  const findings = runDetectors(input, opts);
  return { findings, chains: rankChains(findings, input, userPatterns) };
}
