import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { linesFrom, logPage, type LogFilter, type LogKey } from '../../store/log-queries';
import type { WindowLine } from '../../store/queries';
import { bundleDetailQuery } from './use-bundles';
import type { ViewState } from '../workspace/view-state';

export type { LogFilter, LogKey, LogLine, LogPage } from '../../store/log-queries';

/**
 * Lines per page in the log view: ~30 screens to scroll freely, and few enough that opening the
 * view at a selected line reads and lays out half of what 3,000 did (~40 ms less).
 */
export const PAGE_LINES = 1500;

/** What the log view shows for a view: its window (or everything), sources and level. */
export function useLogFilter(view: ViewState): LogFilter {
  const { window: w, filters } = view;
  return useMemo(() => ({
    from: w?.from ?? -Infinity,
    to: w?.to ?? Infinity,
    sourceIds: filters.sources,
    minLevel: filters.minLevel,
  }), [w?.from, w?.to, filters.sources, filters.minLevel]);
}

export interface PageRequest {
  key: LogKey;
  mode: 'around' | 'after';
}

/** A page of lines with their text, rank and the filter's total. */
export function useLogPage(bundleId: string, filter: LogFilter, req: PageRequest) {
  const qc = useQueryClient();
  return useQuery({
    // ±Infinity do not survive the key's JSON: spell them out.
    queryKey: ['log-page', bundleId, String(filter.from), String(filter.to), filter.sourceIds.join(','), filter.minLevel, String(req.key.ts), req.key.sourceId, req.key.offset, req.mode],
    queryFn: async () => {
      // The workspace holds the bundle's sources and files already: no IndexedDB round trip (slow
      // while other queries run) before the page. Time settings invalidate both queries together.
      const detail = await qc.fetchQuery(bundleDetailQuery(bundleId));
      return logPage(bundleId, filter, req.key, req.mode, PAGE_LINES, detail ?? undefined);
    },
    staleTime: Infinity,
    gcTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export type StepKind = 'record' | 'error';

/** The next/previous record (or error line) from a position, for the keyboard; null at the end. */
export function useLogStepper(bundleId: string) {
  return useCallback(async (filter: LogFilter, from: LogKey, dir: 'after' | 'before', kind: StepKind): Promise<WindowLine | null> => {
    const pick = kind === 'record' ? { recordsOnly: true } : { minLevel: 5, recordsOnly: true };
    const [line] = await linesFrom(bundleId, filter, from, dir, 1, pick);
    return line ?? null;
  }, [bundleId]);
}
