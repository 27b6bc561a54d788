// The contract between the signal tap (ingest), the detectors and the chain engine.
// Every time here is µs since the epoch, UTC, already aligned (source shift applied).

import type { Goroutine } from '../formats/types';

/**
 * A line worth remembering, noted by the signal tap while the file is parsed (one pass, no
 * re-read). `kind` is a coarse family chosen by a cheap prefilter; detectors read `text`.
 */
export interface LineSignal {
  kind: string;
  ts: number;
  fileId: string;
  sourceId: string;
  /** 0-based line number in the file. */
  line: number;
  /** Byte offset of the line in the file (the log view and the index locate it by this). */
  offset: number;
  /** The line's text, cut to a few hundred characters; empty for high-volume kinds (PLEG relists). */
  text: string;
  /** The line's level when warning or worse (any family). */
  level?: number;
  /** `silence` signals: the source's last stamp before the hole (`ts` is its first after it). */
  since?: number;
}

export interface AlignedMetric {
  fileId: string;
  sourceId: string;
  path: string;
  series: string;
  unit?: string;
  ts: ArrayLike<number>;
  value: ArrayLike<number>;
}

export interface AlignedDump {
  id: string;
  fileId: string;
  path: string;
  process: string;
  pid: number | null;
  /** Capture time, null when unknown. */
  takenAt: number | null;
  /** Where the capture time came from (a log line beats a file's modification time). */
  takenAtSource?: 'log-line' | 'file-name' | 'file-time' | 'user' | 'none';
  goroutines: Goroutine[];
}

export interface AlignedEvent {
  id: string;
  fileId: string;
  path: string;
  kind: string;
  ts: number;
  title: string;
  fields: Record<string, string | number>;
  stack: string[];
  line: number;
  /** Lines the event spans in its file from `line` (a hung-task report's taint, task and frame lines). */
  lineCount?: number;
}

/** One source's first and last stamp, aligned: whether it was logging at all around a moment. */
export interface SourceSpan {
  id: string;
  origin: string;
  from: number;
  to: number;
}

/** Everything the detectors see about one bundle. */
export interface AnalysisInput {
  files: { id: string; path: string; format: string; origin: string }[];
  signals: LineSignal[];
  metrics: AlignedMetric[];
  dumps: AlignedDump[];
  events: AlignedEvent[];
  /** Every source's span (built by `buildAnalysisInput`; hand-made inputs may leave it out). */
  sources?: SourceSpan[];
}

/** A pointer into the evidence. */
export type Evidence =
  | { kind: 'line'; fileId: string; sourceId: string; line: number; offset: number; ts: number }
  | { kind: 'goroutine'; fileId: string; dumpId: string; goroutine: number; line: number }
  | { kind: 'metric'; fileId: string; sourceId: string; series: string; from: number; to: number }
  | { kind: 'event'; fileId: string; eventId: string; line: number; ts: number };

/**
 * One thing a detector found. `detector` + `kind` are what patterns query (the list is in
 * src/core/analysis/README.md); `facts` carry numbers and names patterns may filter on.
 */
export interface Finding {
  id: string;
  detector: string;
  kind: string;
  title: string;
  severity: 'info' | 'warn' | 'error';
  from: number;
  to: number;
  /** 0..1: how strong the evidence is (a 5-minute wait beats a 1-minute one). */
  strength: number;
  facts: Record<string, string | number | boolean>;
  evidence: Evidence[];
}

/** Thresholds the user may change (IO pressure windows, wait lengths, gap rules). */
export interface DetectorOptions {
  psiIoFullAvg10: number;
  psiIoSomeAvg10: number;
  iostatUtil: number;
  iostatAwaitMs: number;
  vmstatWa: number;
  vmstatBlocked: number;
  plegGapFactor: number;
  plegGapMinSec: number;
  longWaitMinutes: number;
}

export const defaultDetectorOptions: DetectorOptions = {
  psiIoFullAvg10: 10,
  psiIoSomeAvg10: 40,
  iostatUtil: 90,
  iostatAwaitMs: 100,
  vmstatWa: 30,
  vmstatBlocked: 4,
  plegGapFactor: 3,
  plegGapMinSec: 10,
  longWaitMinutes: 1,
};
