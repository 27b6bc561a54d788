/**
 * Analysis worker: reads a bundle's analysis input from the store and runs the detectors and the
 * chain engine off the page's main thread. On the 1 GB bundle that work froze the page for
 * ~1.0-1.3 s right after the timeline's first frame (and before it, when that frame came late).
 */
import * as Comlink from 'comlink';
import { analyzeBundleData } from '../core/analysis/run';
import type { AnalysisInput, Finding } from '../core/analysis/types';
import type { Chain } from '../core/chains/types';
import { enabledUserPatterns, loadAnalysisInput } from '../store/analysis-queries';

export interface BundleAnalysis {
  input: AnalysisInput;
  findings: Finding[];
  chains: Chain[];
}

export interface AnalysisWorkerApi {
  analyze(bundleId: string): Promise<BundleAnalysis>;
}

const api: AnalysisWorkerApi = {
  async analyze(bundleId) {
    const [input, userPatterns] = await Promise.all([loadAnalysisInput(bundleId), enabledUserPatterns()]);
    return { input, ...analyzeBundleData(input, undefined, userPatterns) };
  },
};

Comlink.expose(api);
