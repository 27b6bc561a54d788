import { fmtZone, sourceShiftUs } from './align';
import { reportAnalysis, type ChainReport, type FindingReport } from './analysis/report';
import type { AnalysisInput } from './analysis/types';
import type { ChainResult } from './chains/types';
import type { Source, SourceFile } from './model';

/** The JSON shape shared by `npm run analyze -- --json` and `window.causeway.summary()`. */
export interface SummaryFile {
  path: string;
  format: string;
  origin: string;
  events: number;
  metrics: string[];
  goroutines: number;
  firstTs: string | null;
  lastTs: string | null;
  zone: string | null;
  errors: string[];
}

export interface Summary {
  files: SummaryFile[];
  /** Detector findings in time order. */
  findings: FindingReport[];
  /** Causal chains, best first. */
  chains: ChainReport[];
}

/** ISO-8601 UTC with microseconds, e.g. 2023-06-02T05:48:06.350695Z. */
export function isoUs(ts: number): string | null {
  if (ts !== ts) return null;
  const ms = Math.floor(ts / 1000);
  const us = Math.round(ts - ms * 1000);
  const base = new Date(ms).toISOString(); // ...HH:MM:SS.mmmZ
  return `${base.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}

export function buildSummary(files: SourceFile[], sources: Source[], analysis?: { input: AnalysisInput; result: ChainResult }): Summary {
  const out: SummaryFile[] = [];
  const byFile = new Map<string, Source[]>();
  for (const s of sources) {
    const list = byFile.get(s.fileId) ?? [];
    list.push(s);
    byFile.set(s.fileId, list);
  }
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const list = byFile.get(f.id) ?? [];
    if (list.length === 0) {
      out.push({ path: f.path, format: f.format, origin: 'unknown', events: 0, metrics: [], goroutines: 0, firstTs: null, lastTs: null, zone: null, errors: f.errors });
      continue;
    }
    for (const s of [...list].sort((a, b) => b.lines - a.lines)) {
      const shift = sourceShiftUs(s);
      out.push({
        path: f.path,
        format: s.format,
        origin: s.origin,
        events: s.records,
        metrics: s.metrics,
        goroutines: s.goroutines,
        firstTs: isoUs(s.firstTs + shift),
        lastTs: isoUs(s.lastTs + shift),
        zone: s.time.basis === 'local' ? fmtZone(s.zoneOffsetMin) : s.time.basis === 'utc' ? 'UTC' : null,
        errors: f.errors,
      });
    }
  }
  const { findings, chains } = analysis ? reportAnalysis(analysis.input, analysis.result.findings, analysis.result.chains) : { findings: [], chains: [] };
  return { files: out, findings, chains };
}
