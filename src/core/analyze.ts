import { buildAnalysisInput, type Placed, type StoredMetric } from './analysis/input';
import { analyzeBundleData } from './analysis/run';
import type { AnalysisInput } from './analysis/types';
import type { ChainResult } from './chains/types';
import { assembleBundle, type ParsedEntry } from './assemble';
import type { InputFile, WalkOptions } from './bundle/types';
import { walkInputs } from './bundle/walk';
import type { GoroutineDump, NodeEvent } from './formats/types';
import { ingestEntry } from './ingest';
import { buildSummary, type Summary } from './summary';

export interface AnalyzeOptions {
  walk?: WalkOptions;
  /** Skip the detectors and chains (parse-only benchmark). */
  parseOnly?: boolean;
}

/**
 * Parses inputs without storing anything and summarises them: what the CLI prints, what the
 * benchmark times in Node, and what the end-to-end tests expect the page to show. Metric series,
 * dumps, events and tapped signal lines are kept in memory for the detectors.
 */
export async function analyzeInputs(inputs: InputFile[], opts: AnalyzeOptions = {}): Promise<Summary & { problems: string[] }> {
  const { summary, problems } = await parseAndAnalyze(inputs, opts);
  return { ...summary, problems };
}

/** The same, also returning the detectors' input and raw result (tests, tools). */
export async function parseAndAnalyze(inputs: InputFile[], opts: AnalyzeOptions = {}): Promise<{
  summary: Summary; problems: string[]; input: AnalysisInput | null; result: ChainResult | null;
}> {
  const entries: ParsedEntry[] = [];
  const problems: string[] = [];
  const metrics: StoredMetric[] = [];
  const dumps: Placed<GoroutineDump>[] = [];
  const events: Placed<NodeEvent>[] = [];
  const thisYear = new Date().getUTCFullYear();
  let n = 0;
  for await (const entry of walkInputs(inputs, opts.walk ?? {}, (p) => problems.push(`${p.path}: ${p.message}`))) {
    const fileId = `f${++n}`;
    const year = entry.lastModified ? new Date(entry.lastModified).getUTCFullYear() : thisYear;
    const result = await ingestEntry(entry, {
      fileId, year, sink: {
        raw: () => undefined,
        block: () => undefined,
        extras: opts.parseOnly ? undefined : (sourceId, x) => {
          for (const m of x.metrics ?? []) if (m.ts.length > 0) metrics.push({ ...m, sourceId });
          (x.dumps ?? []).forEach((d, i) => dumps.push({ ...d, id: `${fileId}:d${i}`, fileId, sourceId }));
          (x.events ?? []).forEach((e, i) => events.push({ ...e, id: `${fileId}:e${i}`, fileId, sourceId }));
        },
      },
    });
    entries.push({
      fileId, result, rawKey: '', rawOffset: 0, size: entry.size, archive: entry.archive, lastModified: entry.lastModified,
      formatChosenByUser: false, yearSource: entry.lastModified ? 'file-date' : 'assumed-current',
    });
  }
  const { files, sources } = assembleBundle('analysis', entries);
  if (opts.parseOnly) return { summary: buildSummary(files, sources), problems, input: null, result: null };
  const input = buildAnalysisInput({ files, sources, entries, metrics, dumps, events });
  const result = analyzeBundleData(input);
  return { summary: buildSummary(files, sources, { input, result }), problems, input, result };
}
