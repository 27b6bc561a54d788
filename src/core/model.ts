// The data model shared by the worker, the store, the UI and the CLI.
// Every `ts` is integer microseconds since the Unix epoch, UTC; NaN means "no time".

export const Level = {
  unknown: 0,
  trace: 1,
  debug: 2,
  info: 3,
  warn: 4,
  error: 5,
  fatal: 6,
} as const;
export type Level = (typeof Level)[keyof typeof Level];
export const levelNames = ['unknown', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Where a line came from on the node; free text so unknown daemons keep their own name. */
export type Origin = 'kubelet' | 'containerd' | 'shim' | 'kernel' | 'docker' | 'metrics' | 'systemd' | 'goroutines' | 'unknown' | (string & {});

export type BundleStatus = 'ingesting' | 'ready' | 'incomplete';

export interface Bundle {
  id: string;
  name: string;
  /** SHA-256 tree hash over file paths and contents (see core/bundle/fingerprint.ts). */
  fingerprint: string;
  /** Cheap key (names, sizes, head/tail bytes) used to find a probable duplicate before reading everything. */
  probeKey: string;
  createdAt: number;
  status: BundleStatus;
  totalBytes: number;
  fileCount: number;
  /** Bundle-wide time facts inferred from the data (or set by the user). */
  zoneOffsetMin: number | null;
  /** The zone the user set for the whole bundle (overrides inference). */
  userZoneOffsetMin: number | null;
  /** Boot time (µs UTC) the user set, for stamps relative to boot. */
  userBootUs: number | null;
  bootUs: number | null;
  year: number | null;
  errors: string[];
  /** Dropped inputs fully processed: a resumed ingest skips them. */
  inputsDone: string[];
}

/** How a source's timestamps were resolved: shown to the user and overridable. */
export interface TimeAssumptions {
  /** 'utc': the stamps carried their own offset; 'local': wall-clock stamps placed with `zoneOffsetMin`. */
  basis: 'utc' | 'local' | 'none' | 'relative';
  /** The zone used when the file was parsed (minutes east of UTC). */
  parsedZoneOffsetMin: number;
  /** How that zone was found. */
  /** 'file' / 'folder': the file's own lines, or the files beside it, told another zone than the bundle's (nodes of several zones). */
  zoneSource: 'stamp' | 'inferred' | 'file' | 'folder' | 'assumed-utc' | 'user';
  year: number | null;
  yearSource: 'stamp' | 'bundle' | 'file-date' | 'assumed-current' | 'user' | null;
  /** Correction found after parsing when the bundle learned a different year (exact unless a Feb 29 is crossed). */
  yearShiftUs: number;
  /** The bundle's boot time (µs UTC) used to place 'relative' stamps; null = unknown. */
  bootUs: number | null;
  notes: string[];
}

/**
 * One lane of data: the lines of one file that share an origin. Most files are one source;
 * a journal export holding several units is split into one source per origin.
 */
export interface Source {
  id: string;
  bundleId: string;
  fileId: string;
  path: string;
  format: string;
  origin: Origin;
  lines: number;
  /** Lines that start a record (continuations excluded): the "events" of the summary. */
  records: number;
  firstTs: number;
  lastTs: number;
  time: TimeAssumptions;
  /** The zone the user wants (minutes east of UTC); only moves 'local' sources. */
  zoneOffsetMin: number;
  /** User clock correction added to every stamp. */
  clockOffsetUs: number;
  levelCounts: number[];
  /** Per block of the line index: [firstTs, lastTs, lineCount], so a window query skips blocks unread. */
  blocks: BlockMeta[];
  /** Metric series names, goroutine count and event count of the file (on its main source). */
  metrics: string[];
  goroutines: number;
  events: number;
}
export type BlockMeta = [firstTs: number, lastTs: number, count: number];

export interface SourceFile {
  id: string;
  bundleId: string;
  path: string;
  size: number;
  /** Detected format id, or the user's choice. */
  format: string;
  detectedFormat: string;
  formatChosenByUser: boolean;
  /** SHA-256 of the content (tree hash of 4 MiB chunks). */
  digest: string;
  status: 'pending' | 'parsing' | 'done' | 'skipped' | 'failed';
  lines: number;
  /** Where the raw bytes are kept: an OPFS pack file of the bundle and the file's offset in it. */
  rawKey: string;
  rawOffset: number;
  rawBytes: number;
  errors: string[];
  /** Facts worth showing that are not errors (CRLF, unknown format kept as plain text). */
  notes: string[];
  /** Container path inside an archive, for the listing. */
  archive?: string;
  lastModified?: number;
}

/** The columnar line index: one row per block of up to BLOCK_LINES lines of one source. */
export interface LineBlock {
  sourceId: string;
  block: number;
  firstTs: number;
  lastTs: number;
  count: number;
  ts: Float64Array;
  offset: Float64Array;
  length: Uint32Array;
  level: Uint8Array;
}
export const BLOCK_LINES = 65536;

export interface MetricSeries {
  bundleId: string;
  sourceId: string;
  series: string;
  unit?: string;
  /** How `ts` is stamped; placed with the source's shift for that basis. */
  basis: 'utc' | 'local' | 'relative';
  ts: Float64Array;
  value: Float64Array;
}

/** A pointer into the evidence: lines of a source, a goroutine, or a metric window. */
export type EvidenceRef =
  | { kind: 'lines'; sourceId: string; from: number; to: number }
  | { kind: 'goroutine'; dumpId: string; goroutineId: number }
  | { kind: 'metric'; series: string; from: number; to: number };

export interface Finding {
  id: string;
  detector: string;
  title: string;
  severity: 'info' | 'warn' | 'error';
  from: number;
  to: number;
  evidence: EvidenceRef[];
}
