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
  level: Level;
  /** The line's origin when the file mixes several (journal exports); null = the file's origin. */
  origin: Origin | null;
  /** The line continues the previous record (stack frames, wrapped text, `key=<` blocks). */
  continuation: boolean;
}

export function resetParsedLine(out: ParsedLine): void {
  out.ts = NaN;
  out.local = false;
  out.level = 0;
  out.origin = null;
  out.continuation = false;
}

export function newParsedLine(): ParsedLine {
  return { ts: NaN, local: false, level: 0, origin: null, continuation: false };
}

/** Facts known before parsing a file: used to place stamps that lack a year or a zone. */
export interface TimeContext {
  /** Year to assume for stamps without one (the parser handles Dec→Jan rollover after it). */
  year: number;
  /** Minutes east of UTC to assume for wall-clock stamps without an offset. */
  zoneOffsetMin: number;
  /** Boot time (µs UTC) for stamps relative to boot (dmesg), when known. */
  bootTimeUs: number | null;
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
}

export interface LineParser {
  parse(line: string, out: ParsedLine): void;
}

export interface FormatDef {
  id: string;
  title: string;
  /** The origin of the file's lines unless a line says otherwise. */
  origin: Origin;
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
