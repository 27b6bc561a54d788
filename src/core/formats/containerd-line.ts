// Readers for logrus records as containerd, its shims and dockerd write them (FORMATS.md §3):
// logfmt (`time="…" level=… msg=…`), the TTY form (`INFO[2024-…] msg`, maybe coloured) and JSON.
// logfmt and TTY headers are scanned with charCodeAt; JSON goes through JSON.parse.
import { Level } from '../model';
import { isoUtcUs, newIsoStamp, readIsoStamp, textAt, LineMemo, type IsoStamp } from '../time/civil';

export const RecordKind = { none: 0, logfmt: 1, tty: 2, json: 3 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export interface ContainerdRecord {
  kind: RecordKind;
  /** UTC µs of the record's stamp; NaN when it had none (TTY `INFO[0042]`) or no offset. */
  utcUs: number;
  /** The stamp itself (its year and month keep yearless neighbours in step). */
  stamp: IsoStamp;
  level: Level;
  /** Written by a containerd shim and relayed by containerd (`runtime=io.containerd.…` with `pid=`/`path=`). */
  shim: boolean;
  /**
   * readLogfmt's memo of the last ` level=NAME msg=` it read after a stamp into this object, and
   * that level: consecutive records repeat it, and the same text always reads the same.
   */
  memoLevelText: LineMemo;
  memoLevel: Level;
}

export function newContainerdRecord(): ContainerdRecord {
  return { kind: RecordKind.none, utcUs: NaN, stamp: newIsoStamp(), level: Level.unknown, shim: false, memoLevelText: new LineMemo(), memoLevel: Level.unknown };
}

/** logrus level names, by their first letter (`warning` and `warn` both start with w). */
function levelFromName(c: number): Level {
  switch (c | 32) {
    case 116: return Level.trace; // trace
    case 100: return Level.debug; // debug
    case 105: return Level.info; // info
    case 119: return Level.warn; // warning / warn
    case 101: return Level.error; // error
    case 102: // fatal
    case 112: return Level.fatal; // panic
    default: return Level.unknown;
  }
}

/** One of the logrus forms at i (markdown indentation allowed). False leaves `out` unspecified. */
export function readContainerdRecord(line: string, i: number, end: number, out: ContainerdRecord): boolean {
  let k = i;
  while (k < end && k < i + 8 && line.charCodeAt(k) === 32) k++;
  return readContainerdAt(line, k, end, out);
}

/** readContainerdRecord once past the indentation (up to 8 spaces, as readKlogAt). */
export function readContainerdAt(line: string, k: number, end: number, out: ContainerdRecord): boolean {
  out.shim = false;
  out.utcUs = NaN;
  const c = line.charCodeAt(k);
  if (c === 116) return readLogfmt(line, k, end, out); // t
  if (c === 123) return readJson(line, k, end, out); // {
  return readTty(line, k, end, out);
}

const SHIM_MSG = 'starting signal loop';
const MSG_KEY = ' msg=';
/** The shim's `runtime=` field, found after a space (see runtimeField). */
const RUNTIME_VALUE = 'runtime=io.containerd.';

function readLogfmt(line: string, i: number, end: number, out: ContainerdRecord): boolean {
  if (!textAt(line, i, 'time=')) return false;
  let k = i + 5;
  const quoted = line.charCodeAt(k) === 34;
  if (quoted) k++;
  if (!readIsoStamp(line, k, end, out.stamp)) return false;
  k = out.stamp.end;
  if (quoted && line.charCodeAt(k++) !== 34) return false;
  const memo = out.memoLevelText;
  let msg: boolean;
  if (memo.at(line, k)) {
    // The level name ends at the space of ` msg=`, inside the memo: the same text, the same level.
    out.level = out.memoLevel;
    k += memo.text.length - MSG_KEY.length;
    msg = true;
  } else {
    const from = k;
    if (!textAt(line, k, ' level=')) return false;
    k += 7;
    // logrus before 0.8 (docker 1.6 era) quoted every value: `level="info"`.
    if (line.charCodeAt(k) === 34) k++;
    out.level = levelFromName(line.charCodeAt(k));
    if (out.level === Level.unknown) return false;
    while (k < end && line.charCodeAt(k) !== 32) k++;
    msg = textAt(line, k, MSG_KEY);
    if (msg) {
      memo.set(line, from, k + MSG_KEY.length);
      out.memoLevel = out.level;
    }
  }
  out.kind = RecordKind.logfmt;
  out.utcUs = isoUtcUs(out.stamp);
  if (msg) {
    const msgStart = k + 5;
    const text = line.charCodeAt(msgStart) === 34 ? msgStart + 1 : msgStart;
    // The first letter before the whole phrase: most messages differ there.
    if (line.charCodeAt(text) === 115 && textAt(line, text, SHIM_MSG)) out.shim = true;
    else out.shim = hasShimFields(line, msgStart, end);
  }
  return true;
}

/**
 * Index of the first ` runtime=io.containerd.` at or after i, or -1. The search is for the text
 * after the space: a pattern starting with a space makes V8's indexOf try every space of the line.
 */
function runtimeField(line: string, i: number): number {
  let k = line.indexOf(RUNTIME_VALUE, i + 1);
  while (k >= 0 && line.charCodeAt(k - 1) !== 32) k = line.indexOf(RUNTIME_VALUE, k + 1);
  return k < 0 ? -1 : k - 1;
}

/** The shim's logger fields, outside the msg value (a quoted msg may quote a shim record). */
function hasShimFields(line: string, msgStart: number, end: number): boolean {
  const runtime = runtimeField(line, msgStart);
  if (runtime < 0 || runtime >= end) return false;
  const msgEnd = valueEnd(line, msgStart, end);
  if (runtime < msgEnd) return false;
  const pid = line.indexOf(' pid=', msgEnd);
  const path = line.indexOf(' path=', msgEnd);
  return (pid >= 0 && pid < end) || (path >= 0 && path < end);
}

/** End of a logfmt value at i: a Go-quoted string (with `\"` escapes) or a bare token. */
function valueEnd(line: string, i: number, end: number): number {
  if (line.charCodeAt(i) !== 34) {
    const sp = line.indexOf(' ', i);
    return sp < 0 || sp > end ? end : sp;
  }
  for (let k = i + 1; k < end; k++) {
    const c = line.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 34) return k + 1;
  }
  return end;
}

const TTY_LEVELS = ['INFO', 'WARN', 'ERRO', 'DEBU', 'TRAC', 'FATA', 'PANI'];
const TTY_LEVEL_VALUES: Level[] = [Level.info, Level.warn, Level.error, Level.debug, Level.trace, Level.fatal, Level.fatal];

/** `LEVL[stamp] msg`, maybe wrapped in ANSI colour (`ESC[36mINFO ESC[0m[…]`). */
function readTty(line: string, i: number, end: number, out: ContainerdRecord): boolean {
  const first = line.charCodeAt(i);
  if (first !== 27 && (first < 65 || first > 90 || line.charCodeAt(i + 4) !== 91)) return false;
  let k = skipAnsi(line, i, end);
  let level: Level = Level.unknown;
  const word = line.substring(k, k + 4);
  for (let n = 0; n < TTY_LEVELS.length; n++) {
    if (word === TTY_LEVELS[n]) {
      level = TTY_LEVEL_VALUES[n]!;
      break;
    }
  }
  if (level === Level.unknown) return false;
  k = skipAnsi(line, k + 4, end);
  if (line.charCodeAt(k) !== 91) return false;
  k++;
  let close: number;
  if (readIsoStamp(line, k, end, out.stamp)) {
    close = out.stamp.end;
    out.utcUs = isoUtcUs(out.stamp);
  } else {
    // `INFO[0042]`: seconds since the process started, no wall time.
    close = k;
    while (close < end && line.charCodeAt(close) >= 48 && line.charCodeAt(close) <= 57) close++;
    if (close === k) return false;
  }
  if (line.charCodeAt(close) !== 93) return false;
  out.kind = RecordKind.tty;
  out.level = level;
  const relay = runtimeField(line, close);
  out.shim = (relay >= 0 && relay < end) || textAt(line, skipSpaces(line, close + 1, end), SHIM_MSG);
  return true;
}

function skipAnsi(line: string, i: number, end: number): number {
  let k = i;
  while (k < end && line.charCodeAt(k) === 27 && line.charCodeAt(k + 1) === 91) {
    k += 2;
    while (k < end && line.charCodeAt(k) !== 109 && k < i + 16) k++;
    k++;
  }
  return k;
}

function skipSpaces(line: string, i: number, end: number): number {
  let k = i;
  while (k < end && line.charCodeAt(k) === 32) k++;
  return k;
}

/**
 * logrus JSON: keys sorted, `time` RFC 3339. Lines are often split or cut when pasted, so only a
 * line that looks whole is parsed; a fragment is left to the caller as noise.
 */
function readJson(line: string, i: number, end: number, out: ContainerdRecord): boolean {
  let last = end - 1;
  while (last > i && line.charCodeAt(last) === 32) last--;
  if (line.charCodeAt(i + 1) !== 34 || line.charCodeAt(last) !== 125) return false;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(i, last + 1));
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const rec = value as Record<string, unknown>;
  const time = rec.time;
  const level = rec.level;
  if (typeof time !== 'string' || typeof level !== 'string' || !readIsoStamp(time, 0, time.length, out.stamp)) return false;
  out.kind = RecordKind.json;
  out.level = levelFromName(level.charCodeAt(0));
  out.utcUs = isoUtcUs(out.stamp);
  const msg = rec.msg;
  const runtime = rec.runtime;
  out.shim = (typeof msg === 'string' && msg.startsWith(SHIM_MSG)) ||
    (typeof runtime === 'string' && runtime.startsWith('io.containerd.') && (rec.pid !== undefined || rec.path !== undefined));
  return true;
}
