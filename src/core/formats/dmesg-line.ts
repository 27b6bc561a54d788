// The prefixes util-linux `dmesg` puts before a kernel message (FORMATS.md §5), read with
// charCodeAt into a reused object: `<6>` (--raw), `kern  :info  : ` (-x), then the stamp:
// `[ 8235.831133] ` (default), `[ 8235.831133 <    0.000123>] ` (-d),
// `[Sun Jul 12 00:22:31 2020] ` (-T, local time), `2020-07-12T00:22:31,123456+02:00 ` (iso).
import { Level } from '../model';
import { civilToUs, isDigit, isoUtcUs, newIsoStamp, newSpan, read2, readDigits, readIsoStamp, readMonthName, US_PER_SEC } from '../time/civil';

export const StampKind = {
  /** A `<N>` or `-x` prefix without a time (`dmesg -t`), or the delta-only forms. */
  none: 0,
  /** Seconds since boot: `us` is µs since boot. */
  uptime: 1,
  /** `-T`: `us` is the wall clock as if UTC (local time). */
  ctime: 2,
  /** `--time-format iso`: `us` is UTC µs when `local` is false, else the wall clock. */
  iso: 3,
} as const;
export type StampKind = (typeof StampKind)[keyof typeof StampKind];

export interface KernelStamp {
  kind: StampKind;
  us: number;
  local: boolean;
  /** The iso stamp's own wall-clock reading (as if UTC), for zone anchors; NaN otherwise. */
  wallUs: number;
  /** From `<N>` or `-x`; -1 when the line did not say. */
  level: Level | -1;
  /** Where the message starts. */
  start: number;
}

export function newKernelStamp(): KernelStamp {
  return { kind: 0, us: NaN, local: false, wallUs: NaN, level: -1, start: 0 };
}

/** printk levels 0-7 (emerg … debug). */
const PRINTK_LEVELS: readonly Level[] = [Level.fatal, Level.fatal, Level.error, Level.error, Level.warn, Level.info, Level.info, Level.debug];
const LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

const iso = newIsoStamp();
const span = newSpan();

/** The dmesg prefixes at s[i]; false (with `out` unspecified) when there are none. */
export function readKernelStamp(s: string, i: number, end: number, out: KernelStamp): boolean {
  out.kind = StampKind.none;
  out.us = out.wallUs = NaN;
  out.local = false;
  out.level = -1;
  let k = i;
  if (s.charCodeAt(k) === 60) {
    k = readPriority(s, k, end, out);
    // Forwarded syslog keeps its `<PRI>` too: an RFC 5424 version or an RFC 3164 date follows it.
    if (k > i && isSyslogAfterPriority(s, k, end)) return false;
  } else {
    k = readDecode(s, k, end, out);
  }
  const c = s.charCodeAt(k);
  let after = -1;
  if (c === 91) after = readBracket(s, k + 1, end, out);
  else if (isDigit(c)) after = readIsoComma(s, k, end, out);
  if (after < 0) {
    if (out.level < 0) return false;
    out.start = k; // `dmesg -x -t`, `dmesg -r` of an unstamped record
    return true;
  }
  out.start = after < end && s.charCodeAt(after) === 32 ? after + 1 : after;
  return true;
}

function isSyslogAfterPriority(s: string, k: number, end: number): boolean {
  if (s.charCodeAt(k) === 49 && s.charCodeAt(k + 1) === 32) return true;
  return readMonthName(s, k, end, span) && s.charCodeAt(span.end) === 32;
}

/** `<N>`: syslog priority (facility * 8 + level). */
function readPriority(s: string, i: number, end: number, out: KernelStamp): number {
  let k = i + 1;
  let prio = 0;
  while (k < end && k < i + 5 && isDigit(s.charCodeAt(k))) prio = prio * 10 + (s.charCodeAt(k++) - 48);
  if (k === i + 1 || s.charCodeAt(k) !== 62) return i;
  out.level = PRINTK_LEVELS[prio & 7] ?? -1;
  return k + 1;
}

/** `-x`: `%-6s:%-6s: ` facility and level names (`kern  :info  : `, `daemon:notice: `). */
function readDecode(s: string, i: number, end: number, out: KernelStamp): number {
  let k = i;
  while (k < end && k < i + 8 && isLower(s.charCodeAt(k))) k++;
  if (k - i < 3) return i;
  while (k < end && k < i + 8 && s.charCodeAt(k) === 32) k++;
  if (s.charCodeAt(k) !== 58) return i;
  const nameStart = ++k;
  while (k < end && k < nameStart + 6 && isLower(s.charCodeAt(k))) k++;
  const level = LEVEL_NAMES.indexOf(s.slice(nameStart, k));
  if (level < 0) return i;
  while (k < end && k < nameStart + 6 && s.charCodeAt(k) === 32) k++;
  if (s.charCodeAt(k) !== 58 || s.charCodeAt(k + 1) !== 32) return i;
  out.level = PRINTK_LEVELS[level] ?? -1;
  return k + 2;
}

function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || isDigit(c);
}

/** After `[`: uptime, ctime or delta-only forms, an optional ` <delta>`, then `]`. Index after `]` or -1. */
function readBracket(s: string, i: number, end: number, out: KernelStamp): number {
  let k = i;
  while (k < end && k < i + 12 && s.charCodeAt(k) === 32) k++;
  const c = s.charCodeAt(k);
  if (isDigit(c)) {
    let sec = 0;
    const from = k;
    while (k < end && k < from + 12 && isDigit(s.charCodeAt(k))) sec = sec * 10 + (s.charCodeAt(k++) - 48);
    if (s.charCodeAt(k) !== 46) return -1;
    let us = 0;
    const fracStart = ++k;
    while (k < end && k < fracStart + 9 && isDigit(s.charCodeAt(k))) {
      if (k - fracStart < 6) us = us * 10 + (s.charCodeAt(k) - 48);
      k++;
    }
    if (k === fracStart) return -1;
    for (let n = k - fracStart; n < 6; n++) us *= 10;
    out.kind = StampKind.uptime;
    out.us = sec * US_PER_SEC + us;
  } else if (c === 60 || c === 43) {
    // `[<    0.000123>]` (--time-format delta) or `[  +0.000123]` (reltime): no time of its own.
    while (k < end && k < i + 24 && s.charCodeAt(k) !== 93) k++;
    return s.charCodeAt(k) === 93 ? k + 1 : -1;
  } else {
    k = readCtime(s, k, end, out);
    if (k < 0) return -1;
  }
  if (s.charCodeAt(k) === 32 && s.charCodeAt(k + 1) === 60) {
    const limit = Math.min(end, k + 24);
    while (k < limit && s.charCodeAt(k) !== 62) k++;
    k++;
  }
  return s.charCodeAt(k) === 93 ? k + 1 : -1;
}

/** `%a %b %e %H:%M:%S %Y` (locale names for the day and month); index after the year or -1. */
function readCtime(s: string, i: number, end: number, out: KernelStamp): number {
  let k = i;
  while (k < end && k < i + 8 && s.charCodeAt(k) !== 32 && s.charCodeAt(k) !== 93) k++;
  if (k === i || s.charCodeAt(k) !== 32 || !readMonthName(s, k + 1, end, span)) return -1;
  const month = span.value;
  k = span.end;
  while (k < end && k < span.end + 3 && s.charCodeAt(k) === 32) k++;
  let day = read2(s, k);
  if (day >= 0) k += 2;
  else if ((day = readDigits(s, k, 1)) >= 0) k += 1;
  else return -1;
  const hour = read2(s, k + 1);
  const min = read2(s, k + 4);
  const sec = read2(s, k + 7);
  const year = readDigits(s, k + 10, 4);
  if (s.charCodeAt(k) !== 32 || s.charCodeAt(k + 3) !== 58 || s.charCodeAt(k + 6) !== 58 || s.charCodeAt(k + 9) !== 32) return -1;
  if (year < 0 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 60) return -1;
  out.kind = StampKind.ctime;
  out.us = civilToUs(year, month, day, hour, min, sec, 0);
  out.local = true;
  return k + 14;
}

/** `YYYY-MM-DDThh:mm:ss,uuuuuu±hh:mm` followed by a space or the end; the comma tells it from RFC 3339 prefixes. */
function readIsoComma(s: string, i: number, end: number, out: KernelStamp): number {
  if (s.charCodeAt(i + 19) !== 44 || s.charCodeAt(i + 10) !== 84 || !readIsoStamp(s, i, end, iso)) return -1;
  if (iso.end < end && s.charCodeAt(iso.end) !== 32) return -1;
  out.kind = StampKind.iso;
  out.wallUs = iso.wallUs;
  out.local = iso.offsetMin !== iso.offsetMin;
  out.us = out.local ? iso.wallUs : isoUtcUs(iso);
  return iso.end;
}

/** The line without ANSI escape sequences (dmesg --color, journalctl forced colour). */
export function stripAnsi(s: string, end: number): string {
  let out = '';
  let from = 0;
  let k = s.indexOf('\u001b');
  while (k >= 0 && k < end) {
    out += s.slice(from, k);
    let j = k + 1;
    if (s.charCodeAt(j) === 91) {
      j++;
      while (j < end && !(s.charCodeAt(j) >= 64 && s.charCodeAt(j) <= 126)) j++;
      j++;
    } else if (j < end) {
      j++;
    }
    from = Math.min(j, end);
    k = s.indexOf('\u001b', from);
  }
  return out + s.slice(from, end);
}

// `Memory cgroup out of memory: Killed process …` (a pod over its limit, the usual OOM kill on a
// node) has a lower-case `out`; lockups and filesystem errors are trouble as much as an Oops.
const SEVERITY = /Kernel panic|BUG:|Oops|Call Trace|general protection fault|I\/O error|[Oo]ut of memory|Killed process|soft lockup|hard LOCKUP|EXT4-fs error|Remounting filesystem read-only|segfault at|WARNING:|invoked oom-killer/;

/**
 * Level of a kernel message without a printk level: panics, bugs and I/O errors stand out. Here
 * (not in dmesg-parser.ts) so journal and syslog kernel lines read alike without an import cycle.
 */
export function kernelLevel(line: string): Level {
  const m = SEVERITY.exec(line);
  if (m === null) return Level.info;
  if (m[0] === 'Kernel panic') return Level.fatal;
  // `… invoked oom-killer: gfp_mask=…` opens the report whose `Killed process` line is the error.
  return m[0] === 'WARNING:' || m[0] === 'invoked oom-killer' ? Level.warn : Level.error;
}
