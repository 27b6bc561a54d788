import type { Level, Origin } from '../model';

/**
 * What a format parser writes for one physical line. The pipeline owns one instance and
 * resets it before every call, so parsers allocate nothing per line on the hot path.
 */
export interface ParsedLine {
  /** µs since the epoch, UTC; NaN when the line has no time of its own (continuations, noise). */
  ts: number;
  /** True when `ts` came from a wall-clock stamp without an offset (placed with the context zone). */
  local: boolean;
  /**
   * True when `ts` is µs since boot (raw dmesg `[  123.456789]`), not since the epoch: the
   * bundle places it once it knows the boot time (an anchor's `bootUs`, or the user's).
   */
  relative: boolean;
  level: Level;
  /** The line's origin when the file mixes several (journal exports); null = the file's origin. */
  origin: Origin | null;
  /** The line continues the previous record (stack frames, wrapped text, `key=<` blocks). */
  continuation: boolean;
  /**
   * The record's message when the line holds it encoded (a JSON journal entry's MESSAGE, past
   * the cursor and dozens of fields): what the signal tap and the detectors read. Null when the
   * line is its own text.
   */
  message: string | null;
}

export function resetParsedLine(out: ParsedLine): void {
  out.ts = NaN;
  out.local = false;
  out.relative = false;
  out.level = 0;
  out.origin = null;
  out.continuation = false;
  out.message = null;
}

export function newParsedLine(): ParsedLine {
  return { ts: NaN, local: false, relative: false, level: 0, origin: null, continuation: false, message: null };
}

/** Facts known before parsing a file: used to place stamps that lack a year or a zone. */
export interface TimeContext {
  /** Year to assume for stamps without one (the parser handles Dec→Jan rollover after it). */
  year: number;
  /** Minutes east of UTC to assume for wall-clock stamps without an offset. */
  zoneOffsetMin: number;
  /** Boot time (µs UTC) for stamps relative to boot (dmesg), when known. */
  bootTimeUs: number | null;
  /** The file's path (some formats name their subject in it: /proc/pressure/io). */
  path?: string;
}

/** What detection sees: the head of a file, already decoded and split. */
export interface Sniff {
  path: string;
  lines: string[];
}

/** A time anchor found while sniffing: lets the bundle learn its year and zone. */
export interface TimeAnchor {
  /** Absolute time (µs UTC) read from a stamp that carried a year and an offset. */
  utcUs: number;
  /** The wall-clock reading of the same instant on the node, when the same line carried one (as if UTC). */
  localAsUtcUs: number | null;
  /** Boot time (µs UTC) implied by the line (e.g. realtime − monotonic stamp, or an RTC line at boot). */
  bootUs?: number;
}

export interface LineParser {
  parse(line: string, out: ParsedLine): void;
  /** Called once after the last line: what the file holds besides lines. */
  finish?(): ParserExtras;
}

/**
 * Structured results a format can produce beside its line index. `line` fields are 0-based line
 * numbers in the file, so the UI can jump from a result to its raw text.
 */
export interface ParserExtras {
  metrics?: MetricSeriesOut[];
  dumps?: GoroutineDump[];
  events?: NodeEvent[];
  /** Anchors learned while parsing the whole file (beyond the head's). */
  anchors?: TimeAnchor[];
  /**
   * Boot times read on the node's wall clock (as if UTC, in the parser's year): a klog stamp
   * beside an uptime stamp (`journalctl -o short-monotonic`). The bundle places relative stamps
   * with them, in its zone, when no line tells the boot time in UTC.
   */
  wallBoots?: number[];
  /** What the user should know about how the file's time was read (for the file's notes). */
  notes?: string[];
  /** Why the file could not be read as its format (for the file's errors): name the fix. */
  errors?: string[];
}

export interface MetricSeriesOut {
  /** e.g. psi.io.full.avg10, iostat.nvme0n1.util, vmstat.wa */
  series: string;
  unit?: string;
  /** Same stamp convention as lines: see `basis`. */
  ts: number[];
  value: number[];
  basis: 'utc' | 'local' | 'relative';
}

export interface GoroutineFrame {
  fn: string;
  args: string[];
  file: string;
  line: number;
}

export interface Goroutine {
  id: number;
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  frames: GoroutineFrame[];
  createdBy: string | null;
  createdByGoroutine: number | null;
  /** Same key = same stack (functions and file:line, not argument values): used for grouping. */
  stackKey: string;
  /** 0-based line of the `goroutine N [...]` header in the file. */
  line: number;
}

export interface GoroutineDump {
  /** containerd, containerd-shim-runc-v2, dockerd, kubelet, or 'unknown'. */
  process: string;
  pid: number | null;
  /** Capture time (µs, stamp convention as `basis`), null when unknown. */
  takenAt: number | null;
  takenAtSource: 'log-line' | 'file-name' | 'file-time' | 'user' | 'none';
  basis: 'utc' | 'local' | 'relative';
  goroutines: Goroutine[];
  /** The dump started mid-goroutine or ended cut off. */
  truncated: boolean;
  line: number;
}

/** A multi-line event worth its own row, e.g. a kernel hung-task report. */
export interface NodeEvent {
  kind: 'hung-task' | (string & {});
  ts: number;
  basis: 'utc' | 'local' | 'relative';
  title: string;
  /** Free-form facts: task, pid, blockedSeconds, state... */
  fields: Record<string, string | number>;
  /** Kernel or Go stack lines, innermost first, as printed. */
  stack: string[];
  line: number;
  lineCount: number;
}

export interface FormatDef {
  id: string;
  title: string;
  /** The origin of the file's lines unless a line says otherwise. */
  origin: Origin;
  /**
   * `origin` is only this format's usual writer (klog: the kubelet), so a file name that names
   * another program (kube-proxy.log, a container's log under /var/log/pods) overrides it.
   */
  originFromPath?: boolean;
  /** 0 = not this format, 1 = certain. Samples are contracts: see registry.test.ts. */
  detect(sniff: Sniff): number;
  /** A fresh, stateful parser for one file (state: year rollover, multi-line records). */
  createParser(ctx: TimeContext): LineParser;
  /** Optional: time anchors (year, zone) visible in the head of the file. */
  anchors?(sniff: Sniff): TimeAnchor[];
  /** Real-shaped sample lines with the expected parse: checked by the generic registry test. */
  samples: FormatSample[];
}

export interface FormatSample {
  line: string;
  /** Expected ISO time (UTC) given `ctx` (defaults: year 2024, zone UTC); null = no time. */
  iso: string | null;
  level?: Level;
  origin?: Origin;
  continuation?: boolean;
  ctx?: Partial<TimeContext>;
}
