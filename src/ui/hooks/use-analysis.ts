import * as Comlink from 'comlink';
import { useQuery } from '@tanstack/react-query';
import { useAfterTimelinePaint } from './use-after-timeline-paint';
import type { AnalysisWorkerApi, BundleAnalysis } from '../../worker/analysis.worker';

export type { BundleAnalysis } from '../../worker/analysis.worker';

let worker: Comlink.Remote<AnalysisWorkerApi> | null = null;
function analysisWorker(): Comlink.Remote<AnalysisWorkerApi> {
  worker ??= Comlink.wrap<AnalysisWorkerApi>(new Worker(new URL('../../worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' }));
  return worker;
}

/**
 * Detectors and chains over the open bundle, in a worker (the input is the tapped lines, not the
 * logs). Asked for after the timeline's first frame: the worker's store reads would otherwise
 * compete with the timeline's. Invalidated with the other bundle queries when time settings change.
 */
export function useAnalysis(bundleId: string | null) {
  const ready = useAfterTimelinePaint();
  return useQuery({
    queryKey: ['analysis', bundleId],
    queryFn: async (): Promise<BundleAnalysis | null> => (bundleId ? analysisWorker().analyze(bundleId) : null),
    enabled: !!bundleId && ready,
  });
}
