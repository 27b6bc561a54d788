import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { perfCount, subscribePerf } from '../perf';
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
  const ready = useTimelineShownOrLate();
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

/** How long the analysis waits for the timeline's first frame at most (a bundle may have nothing to draw). */
const ANALYSIS_DELAY_MS = 1000;

/**
 * The analysis starts once the timeline has drawn its first frame: both want the main thread
 * while a bundle opens, and the timeline is what the user looks at first (the chain follows a
 * few hundred ms later instead of both arriving late).
 */
function useTimelineShownOrLate(): boolean {
  const painted = useSyncExternalStore(subscribePerf, () => perfCount('timeline.paint') > 0);
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), ANALYSIS_DELAY_MS);
    return () => clearTimeout(t);
  }, []);
  return painted || late;
}
