// Builds the detectors' AnalysisInput from what parsing produced, with every stamp moved by its
// source's shift (zone, year, boot, user clock offset) for its own basis. The same code serves
// the CLI (data kept in memory) and the page (data read back from IndexedDB).

import { dumpTakenAtUs, sourceShiftUs } from '../align';
import type { EntryResult } from '../ingest';
import type { GoroutineDump, NodeEvent } from '../formats/types';
import type { Source, SourceFile } from '../model';
import type { AlignedDump, AlignedEvent, AlignedMetric, AnalysisInput, LineSignal, SourceSpan } from './types';

/** A parsed extra with the ids that place it: the file and the source it is attached to. */
export type Placed<T> = T & { id: string; fileId: string; sourceId: string };

export interface StoredMetric {
  sourceId: string;
  series: string;
  unit?: string;
  basis: 'utc' | 'local' | 'relative';
  ts: ArrayLike<number>;
  value: ArrayLike<number>;
}

export interface RawAnalysisData {
  files: SourceFile[];
  sources: Source[];
  entries: { fileId: string; result: EntryResult }[];
  metrics: StoredMetric[];
  dumps: Placed<GoroutineDump>[];
  events: Placed<NodeEvent>[];
}

const SIGNAL_BASIS = ['utc', 'local', 'relative'] as const;

export function buildAnalysisInput(data: RawAnalysisData): AnalysisInput {
  const sourceById = new Map(data.sources.map((s) => [s.id, s]));
  const pathOf = new Map(data.files.map((f) => [f.id, f.path]));
  const shift = (sourceId: string, basis: Source['time']['basis']): number => {
    const s = sourceById.get(sourceId);
    return s ? sourceShiftUs(s, basis) : 0;
  };

  const mainSource = new Map<string, Source>();
  for (const s of data.sources) {
    const m = mainSource.get(s.fileId);
    if (!m || s.lines > m.lines) mainSource.set(s.fileId, s);
  }
  const files = data.files.map((f) => ({ id: f.id, path: f.path, format: f.format, origin: mainSource.get(f.id)?.origin ?? 'unknown' }));

  const signals: LineSignal[] = [];
  for (const e of data.entries) {
    for (const s of e.result.sources) {
      const byBasis = SIGNAL_BASIS.map((b) => shift(s.id, b));
      for (const t of s.signals ?? []) {
        const ts = t.ts + byBasis[t.basis]!;
        if (ts !== ts) continue;
        const signal: LineSignal = { kind: t.kind, ts, fileId: e.fileId, sourceId: s.id, line: t.line, offset: t.offset, text: t.text };
        if (t.level !== undefined) signal.level = t.level;
        if (t.since !== undefined) signal.since = t.since + byBasis[t.basis]!;
        signals.push(signal);
      }
    }
  }
  signals.sort((a, b) => a.ts - b.ts);

  const metrics: AlignedMetric[] = data.metrics.map((m) => {
    const d = shift(m.sourceId, m.basis);
    const ts = new Float64Array(m.ts.length);
    for (let i = 0; i < ts.length; i++) ts[i] = m.ts[i]! + d;
    const fileId = sourceById.get(m.sourceId)?.fileId ?? m.sourceId.split(':')[0]!;
    return { fileId, sourceId: m.sourceId, path: pathOf.get(fileId) ?? '', series: m.series, unit: m.unit, ts, value: m.value };
  });

  const dumps: AlignedDump[] = data.dumps.map((d) => {
    const takenAt = dumpTakenAtUs(d, sourceById.get(d.sourceId));
    return {
      id: d.id, fileId: d.fileId, path: pathOf.get(d.fileId) ?? '', process: d.process, pid: d.pid,
      takenAt, takenAtSource: d.takenAtSource, goroutines: d.goroutines,
    };
  });

  const events: AlignedEvent[] = [];
  for (const e of data.events) {
    // Kept when it cannot be placed (seconds since an unknown boot): a hung task is worth showing untimed.
    const ts = e.ts + shift(e.sourceId, e.basis);
    events.push({ id: e.id, fileId: e.fileId, path: pathOf.get(e.fileId) ?? '', kind: e.kind, ts, title: e.title, fields: e.fields, stack: e.stack, line: e.line, lineCount: e.lineCount });
  }

  const sources: SourceSpan[] = [];
  for (const s of data.sources) {
    const d = shift(s.id, s.time.basis);
    if (s.firstTs + d === s.firstTs + d) sources.push({ id: s.id, origin: s.origin, from: s.firstTs + d, to: s.lastTs + d });
  }
  return { files, signals, metrics, dumps, events, sources };
}
