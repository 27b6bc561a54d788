import type { AnalysisInput, DetectorOptions, Finding } from './types';
import { defaultDetectorOptions } from './types';

/** Runs every detector over one bundle's aligned data. */
export function runDetectors(input: AnalysisInput, opts: DetectorOptions = defaultDetectorOptions): Finding[] {
  void input;
  void opts;
  return [];
}
