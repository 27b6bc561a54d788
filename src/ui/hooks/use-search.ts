import * as Comlink from 'comlink';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchResult } from '../../core/search';
import type { SearchWorkerApi } from '../../worker/search.worker';
import type { ViewFilters } from '../workspace/view-state';

export type { SearchMatch, SearchResult } from '../../core/search';

/** Matches kept for the log view and the timeline's density row; the count is always exact. */
const MATCH_LIMIT = 200_000;

let api: Comlink.Remote<SearchWorkerApi> | null = null;
function searchWorker(): Comlink.Remote<SearchWorkerApi> {
  api ??= Comlink.wrap<SearchWorkerApi>(new Worker(new URL('../../worker/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }));
  return api;
}

/** Text/regex search over the stored raw lines of the bundle (in a worker); null while idle or empty. */
export function useSearch(bundleId: string, filters: ViewFilters): { data: SearchResult | null; isFetching: boolean } {
  const { text, regex, sources, minLevel } = filters;
  const caseSensitive = !!filters.caseSensitive;
  const q = useQuery({
    queryKey: ['search', bundleId, text, regex, caseSensitive, sources.join(','), minLevel],
    queryFn: () => searchWorker().search({ bundleId, text, regex, caseSensitive, sourceIds: sources, minLevel, limit: MATCH_LIMIT }),
    enabled: text !== '',
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    // While a new search runs, the previous matches stay drawn instead of flashing empty.
    placeholderData: keepPreviousData,
  });
  return { data: text ? q.data ?? null : null, isFetching: q.isFetching };
}
