import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryWindow } from '../../store/queries';
import { bundleDetailQuery } from './use-bundles';
import { timelineData } from '../../store/timeline-queries';
import { recordPerf } from '../perf';

/**
 * Lanes (density pyramids), error markers, dumps and metrics of a bundle: computed once, kept in
 * memory. `startedAt` (performance.now()) lets the chart time "data asked → painted".
 */
export function useTimelineData(bundleId: string) {
  return useQuery({
    queryKey: ['timeline', bundleId],
    queryFn: async () => {
      const startedAt = performance.now();
      const timeline = await timelineData(bundleId);
      recordPerf('timeline.query', performance.now() - startedAt);
      return { timeline, startedAt };
    },
    staleTime: Infinity,
  });
}

/** Individual lines of a zoomed-in window (null = not zoomed in enough: nothing read). */
export function useTimelineLines(bundleId: string, window: { from: number; to: number } | null, limit: number) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['timeline-lines', bundleId, window?.from, window?.to, limit],
    queryFn: async () => {
      if (!window) return null;
      const detail = await qc.fetchQuery(bundleDetailQuery(bundleId));
      return queryWindow(bundleId, { from: window.from, to: window.to, limit }, detail?.sources);
    },
    enabled: !!window,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
