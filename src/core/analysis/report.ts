// Findings and chains as the summary JSON of `npm run analyze -- --json` and
// `window.causeway.summary()`: paths instead of ids, ISO times, 1-based lines.

import type { Chain } from '../chains/types';
import { isoUs } from '../summary';
import type { AnalysisInput, Evidence, Finding } from './types';

export type EvidenceReport =
  | { file: string; line: number; ts: string | null }
  | { file: string; goroutine: number }
  | { series: string; from: string | null; to: string | null };

export interface FindingReport {
  detector: string;
  kind: string;
  title: string;
  severity: Finding['severity'];
  from: string | null;
  to: string | null;
  evidence: EvidenceReport[];
}

export interface ChainReport {
  patternId: string;
  title: string;
  confidence: number;
  from: string | null;
  to: string | null;
  steps: { role: string; title: string; evidence: EvidenceReport[] }[];
  remedy: string;
}

export function reportEvidence(e: Evidence, pathOf: (fileId: string) => string): EvidenceReport {
  switch (e.kind) {
    case 'line':
      return { file: pathOf(e.fileId), line: e.line + 1, ts: isoUs(e.ts) };
    case 'event':
      return { file: pathOf(e.fileId), line: e.line + 1, ts: isoUs(e.ts) };
    case 'goroutine':
      return { file: pathOf(e.fileId), goroutine: e.goroutine };
    case 'metric':
      return { series: e.series, from: isoUs(e.from), to: isoUs(e.to) };
  }
}

export function reportAnalysis(input: AnalysisInput, findings: Finding[], chains: Chain[]): { findings: FindingReport[]; chains: ChainReport[] } {
  const paths = new Map(input.files.map((f) => [f.id, f.path]));
  const pathOf = (id: string) => paths.get(id) ?? id;
  const ev = (list: Evidence[]) => list.map((e) => reportEvidence(e, pathOf));
  return {
    findings: findings.map((f) => ({
      detector: f.detector, kind: f.kind, title: f.title, severity: f.severity, from: isoUs(f.from), to: isoUs(f.to), evidence: ev(f.evidence),
    })),
    chains: chains.map((c) => ({
      patternId: c.patternId, title: c.title, confidence: c.confidence, from: isoUs(c.from), to: isoUs(c.to),
      steps: c.steps.map((s) => ({ role: s.role, title: s.title, evidence: ev(s.evidence) })),
      remedy: c.remedy.text,
    })),
  };
}
