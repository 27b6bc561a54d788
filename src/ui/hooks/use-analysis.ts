import { useQuery } from '@tanstack/react-query';
import { analyzeBundleData } from '../../core/analysis/run';
import type { AnalysisInput, Finding } from '../../core/analysis/types';
import type { Chain } from '../../core/chains/types';
import { loadAnalysisInput } from '../../store/analysis-queries';

export interface BundleAnalysis {
  input: AnalysisInput;
  findings: Finding[];
  chains: Chain[];
}

/**
 * Detectors and chains over the open bundle. Runs on the main thread: on the 100 MB incident
 * bundle the detectors take a few ms (the input is the tapped lines, not the logs). Invalidated
 * with the other bundle queries when time settings change.
 */
export function useAnalysis(bundleId: string | null) {
  return useQuery({
    queryKey: ['analysis', bundleId],
    queryFn: async (): Promise<BundleAnalysis | null> => {
      if (!bundleId) return null;
      const input = await loadAnalysisInput(bundleId);
      return { input, ...analyzeBundleData(input) };
    },
    enabled: !!bundleId,
  });
}
