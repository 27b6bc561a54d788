import type { HighlightContext, Selection } from './view-state';

const none: HighlightContext = { evidence: [], label: null, band: null };

/** The evidence behind the selection (a chain step or a finding), highlighted everywhere at once. */
export function useHighlightFor(bundleId: string, selection: Selection | null): HighlightContext {
  void bundleId;
  void selection;
  return none;
}
