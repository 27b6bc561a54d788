import type { ViewFilters } from '../workspace/view-state';

/** One search hit: a line of a source (µs UTC after alignment, byte offset in its file). */
export interface SearchMatch {
  sourceId: string;
  ts: number;
  offset: number;
  length: number;
}

export interface SearchResult {
  /** Matches in time order, capped (see `total` for the full count). */
  matches: SearchMatch[];
  total: number;
  /** A regex that does not compile, etc. */
  error: string | null;
  elapsedMs: number;
}

/** Text/regex search over the stored raw lines of the bundle (in a worker); null while idle or empty. */
export function useSearch(bundleId: string, filters: ViewFilters): { data: SearchResult | null; isFetching: boolean } {
  void bundleId;
  void filters;
  return { data: null, isFetching: false };
}
