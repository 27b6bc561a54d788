import { useMemo } from 'react';
import type { Evidence, Finding } from '../../core/analysis/types';
import { useAnalysis } from '../hooks/use-analysis';
import type { HighlightContext, Selection } from './view-state';

const none: HighlightContext = { evidence: [], label: null, band: null };

function bandOf(findings: Finding[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const f of findings) {
    if (f.from === f.from && f.from < from) from = f.from;
    if (f.to === f.to && f.to > to) to = f.to;
  }
  return from <= to ? { from, to } : null;
}

/** The evidence behind the selection (a chain step or a finding), highlighted everywhere at once. */
export function useHighlightFor(bundleId: string, selection: Selection | null): HighlightContext {
  const { data } = useAnalysis(bundleId);
  return useMemo(() => {
    if (!data || !selection) return none;
    const byId = new Map(data.findings.map((f) => [f.id, f]));
    if (selection.kind === 'step') {
      const chain = data.chains.find((c) => c.patternId === selection.patternId);
      const step = chain?.steps[selection.step];
      if (!chain || !step) return none;
      const findings = step.findingIds.map((id) => byId.get(id)).filter((f): f is Finding => !!f);
      const evidence: Evidence[] = step.evidence.length ? step.evidence : findings.flatMap((f) => f.evidence);
      return { evidence, label: `${chain.title} · ${step.title}`, band: bandOf(findings) };
    }
    if (selection.kind === 'finding') {
      const f = byId.get(selection.id);
      return f ? { evidence: f.evidence, label: f.title, band: bandOf([f]) } : none;
    }
    return none;
  }, [data, selection]);
}
