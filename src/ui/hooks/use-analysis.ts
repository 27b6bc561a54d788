import { useQuery } from '@tanstack/react-query';
import { useAfterTimelinePaint } from './use-after-timeline-paint';
import { analyzeBundleData } from '../../core/analysis/run';
import type { AnalysisInput, Finding } from '../../core/analysis/types';
import type { Chain } from '../../core/chains/types';
import { loadAnalysisInput } from '../../store/analysis-queries';
import { db } from '../../store/db';
import type { Pattern } from '../../core/chains/pattern';
import { validatePattern } from '../../core/chains/validate';

/** The user's enabled patterns that still validate (a stored pattern never breaks the analysis). */
async function enabledUserPatterns(): Promise<Pattern[]> {
  const stored = await db().patterns.toArray();
  const out: Pattern[] = [];
  for (const p of stored) {
    if (!p.enabled) continue;
    try {
      const v = validatePattern(JSON.parse(p.json));
      if (v.ok) out.push(v.pattern);
    } catch {
      // Unparsable JSON: the editor shows why; the analysis just skips it.
    }
  }
  return out;
}

export interface BundleAnalysis {
  input: AnalysisInput;
  findings: Finding[];
  chains: Chain[];
}

/**
 * Detectors and chains over the open bundle. Runs on the main thread: on the 100 MB incident
 * bundle reading the tapped lines and running the detectors take ~100–200 ms (the input is the
 * tapped lines, not the logs), after the timeline's first frame. Invalidated with the other
 * bundle queries when time settings change.
 */
export function useAnalysis(bundleId: string | null) {
  const ready = useAfterTimelinePaint();
  return useQuery({
    queryKey: ['analysis', bundleId],
    queryFn: async (): Promise<BundleAnalysis | null> => {
      if (!bundleId) return null;
      const [input, userPatterns] = await Promise.all([loadAnalysisInput(bundleId), enabledUserPatterns()]);
      return { input, ...analyzeBundleData(input, undefined, userPatterns) };
    },
    enabled: !!bundleId && ready,
  });
}
