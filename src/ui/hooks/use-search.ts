import * as Comlink from 'comlink';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { compareLines, type SearchResult } from '../../core/search';
import type { SearchRequest, SearchWorkerApi } from '../../worker/search.worker';
import type { ViewFilters } from '../workspace/view-state';

export type { SearchMatch, SearchResult } from '../../core/search';

/** Matches kept for the log view and the timeline's density row; the count is always exact. */
const MATCH_LIMIT = 200_000;

/** One search worker per core (two at most): the files of a bundle are dealt between them by size. */
const WORKERS = Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 2));
let apis: Comlink.Remote<SearchWorkerApi>[] | null = null;
function searchWorkers(): Comlink.Remote<SearchWorkerApi>[] {
  apis ??= Array.from({ length: WORKERS }, (_, i) => Comlink.wrap<SearchWorkerApi>(
    new Worker(new URL('../../worker/search.worker.ts', import.meta.url), { type: 'module', name: `search-${i}` }),
  ));
  return apis;
}

async function searchAll(req: Omit<SearchRequest, 'part'>): Promise<SearchResult> {
  const workers = searchWorkers();
  const parts = await Promise.all(workers.map((w, index) => w.search({ ...req, part: workers.length > 1 ? { index, of: workers.length } : undefined })));
  const error = parts.find((p) => p.error)?.error ?? null;
  const matches = parts.flatMap((p) => p.matches).sort(compareLines);
  return {
    matches: matches.length > req.limit ? matches.slice(0, req.limit) : matches,
    total: parts.reduce((n, p) => n + p.total, 0), error, elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
  };
}

/** Text/regex search over the stored raw lines of the bundle (in a worker); null while idle or empty. */
export function useSearch(bundleId: string, filters: ViewFilters): { data: SearchResult | null; isFetching: boolean } {
  const { text, regex, sources, minLevel } = filters;
  const caseSensitive = !!filters.caseSensitive;
  const q = useQuery({
    queryKey: ['search', bundleId, text, regex, caseSensitive, sources.join(','), minLevel],
    queryFn: () => searchAll({ bundleId, text, regex, caseSensitive, sourceIds: sources, minLevel, limit: MATCH_LIMIT }),
    enabled: text !== '',
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    // While a new search runs, the previous matches stay drawn instead of flashing empty.
    placeholderData: keepPreviousData,
  });
  return { data: text ? q.data ?? null : null, isFetching: q.isFetching };
}
