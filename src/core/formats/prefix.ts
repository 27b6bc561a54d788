// Peels the outer layers of a node-log line (FORMATS.md §0-1): collector layers added by
// whoever gathered or pasted the text, then the journald/syslog transport prefix. The result is
// a set of indexes into the line, written into a reused object, so nothing is allocated.
import type { Origin } from '../model';
import { isDigit, isoUtcUs, newIsoStamp, newSpan, read2, readDigits, readFractionUs, readIsoStamp, readMonthName, civilToUs, textAt, LineMemo, US_PER_MIN, US_PER_SEC, type YearTracker } from '../time/civil';
import { zoneOffsetOf } from '../time/zone-names';
import { MAX_LAYERS, peelCollector, skipBlanks } from './collector';

export const PrefixKind = {
  none: 0,
  /** `Jun 02 05:48:06[.350695]`: journald short / short-precise, RFC 3164 syslog (no year, local). */
  monthDay: 1,
  /** `2024-05-07T10:26:23.142118+00:00`: short-iso(-precise), rsyslog RFC 3339. */
  iso: 2,
  /** `1583353899.094400`: short-unix. */
  unix: 3,
  /** `ident[pid]: ` with no time at all (pasted without the date). */
  dateless: 4,
  /** `Tue 2024-12-31 23:59:59[.ffffff] IST`: short-full (and with-unit). Dated; local unless UTC or numeric. */
  full: 5,
  /**
   * `2024-06-02T05:48:06.350695123Z stderr F `: a container's log as the CRI runtime writes it
   * (/var/log/pods). RFC 3339 with an offset, the stream, then F (full line) or P (partial: the
   * next line of the stream goes on with the same message).
   */
  cri: 6,
} as const;
export type PrefixKind = (typeof PrefixKind)[keyof typeof PrefixKind];

export interface LinePrefix {
  /** Where the payload (the producer's text) starts. */
  start: number;
  /** The line's end, without a trailing `\r`. */
  end: number;
  kind: PrefixKind;
  /** The prefix time: UTC µs when it carried an offset (`local` false), else the wall clock as if UTC. */
  ts: number;
  local: boolean;
  /** Calendar fields of a `monthDay` stamp, so an anchor can place it in another year. */
  month: number;
  day: number;
  timeOfDayUs: number;
  /** The syslog identifier as [identStart, identEnd) of the line; -1 when there is none. */
  identStart: number;
  identEnd: number;
  pid: number;
  /** A `cri` line's stream: 1 stdout, 2 stderr (0 for other prefixes). */
  stream: number;
  /** A `cri` line tagged P: its message goes on in the stream's next line. */
  partial: boolean;
  /** UTC µs of a collector stamp (CI runner, log-UI export), NaN if none. Not the event time. */
  outerTs: number;
  outerYear: number;
  outerMonth: number;
  /**
   * peelPrefix's memo of the last `Mon DD hh:mm` it read into this object, with its fields:
   * consecutive journal lines repeat it, and the same text always reads the same.
   */
  memoStamp: LineMemo;
  /** `memoStamp` starts with a letter (not a digit, as `8月` does). */
  memoStampLetter: boolean;
  memoMonth: number;
  memoDay: number;
  memoHour: number;
  memoMin: number;
  /** The same for the last ` HOST IDENT[PID]: ` after a stamp: ident bounds relative to its start, and the pid. */
  memoIdent: LineMemo;
  /** This line's ident is the one in `memoIdent` (read from the memo, not scanned). */
  memoIdentUsed: boolean;
  memoIdentStart: number;
  memoIdentEnd: number;
  memoPid: number;
}

export function newLinePrefix(): LinePrefix {
  return {
    start: 0, end: 0, kind: 0, ts: NaN, local: false, month: 0, day: 0, timeOfDayUs: 0, identStart: -1, identEnd: -1, pid: -1, stream: 0, partial: false, outerTs: NaN, outerYear: 0, outerMonth: 0,
    memoStamp: new LineMemo(), memoStampLetter: false, memoMonth: 0, memoDay: 0, memoHour: 0, memoMin: 0, memoIdent: new LineMemo(), memoIdentUsed: false, memoIdentStart: 0, memoIdentEnd: 0, memoPid: -1,
  };
}

/** The end of a line's text: a trailing `\r` (CRLF files) is not part of it. */
export function lineEnd(line: string): number {
  const n = line.length;
  return n > 0 && line.charCodeAt(n - 1) === 13 ? n - 1 : n;
}

/**
 * Fills `out` for `line`. Leading blanks count as a layer only when a prefix follows them, so an
 * indented continuation line (klog `key=<` blocks, stack frames) keeps its indentation.
 */
/**
 * The line starts with the month-day stamp text, up to the minute, of the last line read into
 * `p` (letter-first stamps only). Such a line is no raw producer record: none starts with a
 * month name (klog has digits after its letter, logrus starts `time=`, a TTY level or `{`).
 */
export function startsWithStampMemo(line: string, p: LinePrefix): boolean {
  return p.memoStampLetter && p.memoStamp.at(line, 0);
}

/** `memoAt0`: startsWithStampMemo(line, out), when the caller already asked. */
export function peelPrefix(line: string, out: LinePrefix, years: YearTracker, memoAt0 = startsWithStampMemo(line, out)): void {
  const end = lineEnd(line);
  out.end = end;
  out.kind = PrefixKind.none;
  out.ts = NaN;
  out.local = false;
  out.identStart = out.identEnd = out.pid = -1;
  out.stream = 0;
  out.partial = false;
  out.memoIdentUsed = false;
  out.outerTs = NaN;
  out.outerYear = 0;
  // Most lines of a journal start with the month-day stamp of the line before up to the minute.
  // The loop below would find it in the first layer too (the memo starts with a month letter:
  // not a blank, not a digit), so a line that reads whole from it is done here.
  if (memoAt0 && readMonthDayTail(line, out.memoStamp.text.length, end, out, years, out.memoMonth, out.memoDay, out.memoHour, out.memoMin)) return;
  let committed = 0;
  let i = 0;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const j = skipBlanks(line, i, end);
    if (readTransport(line, j, end, out, years)) return;
    const next = peelCollector(line, j, end, out);
    if (next < 0) break;
    // The collector's date is the best year for the yearless stamps behind it.
    if (out.outerYear > 0) years.sync(out.outerYear, out.outerMonth);
    i = committed = next;
  }
  out.start = committed;
}

const iso = newIsoStamp();
const span = newSpan();

function readTransport(line: string, i: number, end: number, out: LinePrefix, years: YearTracker): boolean {
  const c = line.charCodeAt(i);
  // Forwarded syslog keeps the `<PRI>` it travelled with: RFC 5424 after it, or an RFC 3164 line.
  if (c === 60) {
    const k = afterPriority(line, i, end);
    if (k < 0) return false;
    if (line.charCodeAt(k) === 49 && line.charCodeAt(k + 1) === 32) return readRfc5424(line, k + 2, end, out, years);
    return line.charCodeAt(k) !== 60 && readTransport(line, k, end, out, years);
  }
  if (isDigit(c)) {
    if (readIsoStamp(line, i, end, iso)) {
      if (iso.offsetMin === iso.offsetMin && readCriTag(line, iso.end, end, out)) {
        out.kind = PrefixKind.cri;
        out.local = false;
        out.ts = isoUtcUs(iso);
        years.sync(iso.year, iso.month);
        return true;
      }
      // One space then the host/ident: anything else (CI runner padding) is a collector layer.
      if (!readStampedIdent(line, iso.end, end, out)) return false;
      out.kind = PrefixKind.iso;
      out.local = iso.offsetMin !== iso.offsetMin;
      out.ts = out.local ? iso.wallUs : isoUtcUs(iso);
      years.sync(iso.year, iso.month);
      return true;
    }
    const sec = readDigits(line, i, 10);
    if (sec >= 0 && line.charCodeAt(i + 10) === 46) {
      const us = readDigits(line, i + 11, 6);
      if (us < 0 || !readStampedIdent(line, i + 17, end, out)) return false;
      out.kind = PrefixKind.unix;
      out.ts = sec * US_PER_SEC + us;
      out.local = false;
      return true;
    }
  }
  if (isWeekday(line, i) && readFullStamp(line, i + 4, end, out, years)) return true;
  // A word that merely reads as a month (`set`, `out`, `mar`) without a day and a time after it may still be a host.
  const memo = out.memoStamp;
  if (memo.at(line, i)) {
    // The month, day, hour and minute this text read as last time; the seconds onward differ.
    if (readMonthDayTail(line, i + memo.text.length, end, out, years, out.memoMonth, out.memoDay, out.memoHour, out.memoMin)) return true;
  } else if (readMonthName(line, i, end, span) && readMonthDayStamp(line, i, span.value, span.end, end, out, years)) {
    return true;
  }
  if (!readIdent(line, i, end, out, false)) return false;
  out.kind = PrefixKind.dateless;
  return true;
}

/** `<PRI>` (facility × 8 + severity, at most 191) at i: the index after it, or -1. */
function afterPriority(line: string, i: number, end: number): number {
  let k = i + 1;
  let pri = 0;
  while (k < end && k < i + 4 && isDigit(line.charCodeAt(k))) pri = pri * 10 + line.charCodeAt(k++) - 48;
  return k > i + 1 && pri <= 191 && line.charCodeAt(k) === 62 ? k + 1 : -1;
}

/** An RFC 5424 header field (HOSTNAME, APP-NAME, PROCID, MSGID): up to `max` printable characters, then a space. */
function headerField(line: string, i: number, end: number, max: number): number {
  let k = i;
  while (k < end && k < i + max && line.charCodeAt(k) > 32) k++;
  return k > i && line.charCodeAt(k) === 32 ? k : -1;
}

/**
 * RFC 5424 after `<PRI>1 `: `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, each
 * field `-` when absent; the structured data is `-` or `[id key="value" …]` elements, in which
 * `\]` and `\"` are escaped. APP-NAME is the ident, a numeric PROCID the pid.
 */
function readRfc5424(line: string, i: number, end: number, out: LinePrefix, years: YearTracker): boolean {
  let k: number;
  if (line.charCodeAt(i) === 45) {
    out.ts = NaN;
    out.local = false;
    k = i + 1;
  } else {
    if (!readIsoStamp(line, i, end, iso)) return false;
    out.local = iso.offsetMin !== iso.offsetMin;
    out.ts = out.local ? iso.wallUs : isoUtcUs(iso);
    years.sync(iso.year, iso.month);
    k = iso.end;
  }
  if (line.charCodeAt(k) !== 32) return false;
  const host = headerField(line, k + 1, end, 255);
  const app = host < 0 ? -1 : headerField(line, host + 1, end, 48);
  const proc = app < 0 ? -1 : headerField(line, app + 1, end, 128);
  const msgId = proc < 0 ? -1 : headerField(line, proc + 1, end, 32);
  if (msgId < 0) return false;
  k = msgId + 1;
  if (line.charCodeAt(k) === 45) {
    k++;
  } else {
    // An element cut by the line's end (a terminal's wrap) still leaves a header that read whole.
    while (k < end && line.charCodeAt(k) === 91) {
      k++;
      while (k < end && line.charCodeAt(k) !== 93) k += line.charCodeAt(k) === 92 ? 2 : 1;
      k = Math.min(k + 1, end);
    }
  }
  if (k < end && line.charCodeAt(k) !== 32) return false;
  if (k < end) k++;
  if (line.charCodeAt(k) === 0xfeff) k++;
  const appStart = host + 1;
  const nil = app - appStart === 1 && line.charCodeAt(appStart) === 45;
  out.identStart = nil ? -1 : appStart;
  out.identEnd = nil ? -1 : app;
  const pid = readDigits(line, app + 1, proc - app - 1);
  out.pid = proc - app - 1 <= 10 ? pid : -1;
  out.kind = PrefixKind.iso;
  out.start = Math.min(k, end);
  return true;
}

/** ` stdout F ` / ` stderr P ` at k (the tag may end the line: an empty message). */
function readCriTag(line: string, k: number, end: number, out: LinePrefix): boolean {
  if (line.charCodeAt(k) !== 32 || line.charCodeAt(k + 7) !== 32) return false;
  const stream = textAt(line, k + 1, 'stdout') ? 1 : textAt(line, k + 1, 'stderr') ? 2 : 0;
  const tag = line.charCodeAt(k + 8);
  if (stream === 0 || (tag !== 70 && tag !== 80) || (k + 9 < end && line.charCodeAt(k + 9) !== 32)) return false;
  out.stream = stream;
  out.partial = tag === 80;
  out.start = Math.min(k + 10, end);
  return true;
}

/**
 * systemd's format_timestamp() weekdays: its own English table, whatever the locale. None reads
 * as a month name, and a space and the year's first digit must follow.
 */
const WEEKDAYS = new Set(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].map((w) => charCodes3(w, 0)));

/** Tried on every journald line (`Jun 02 …` passes the first two tests): no substring allocated. */
function isWeekday(line: string, i: number): boolean {
  return line.charCodeAt(i + 3) === 32 && isDigit(line.charCodeAt(i + 4)) && WEEKDAYS.has(charCodes3(line, i));
}

function charCodes3(s: string, i: number): number {
  return (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) | s.charCodeAt(i + 2);
}

/**
 * `YYYY-MM-DD hh:mm:ss[.ffffff] ZONE` at i (after `Www `): journalctl -o short-full. ZONE is the
 * tm_zone abbreviation, ambiguous in general (IST is India, Israel or Ireland), so the stamp is
 * wall-clock local time unless ZONE names one offset only (UTC, CEST, PDT, JST…: `zoneOffsetOf`) or
 * is numeric (`+0530`, `-03`, what tzdata prints for zones without an abbreviation). The year it
 * carries follows the line.
 */
function readFullStamp(line: string, i: number, end: number, out: LinePrefix, years: YearTracker): boolean {
  if (!readIsoStamp(line, i, end, iso) || line.charCodeAt(i + 10) !== 32 || iso.offsetMin === iso.offsetMin) return false;
  let k = iso.end;
  if (line.charCodeAt(k) !== 32) return false;
  const zoneStart = ++k;
  const sign = line.charCodeAt(k);
  let offsetMin: number;
  if (sign === 43 || sign === 45) {
    const hh = read2(line, k + 1);
    if (hh < 0 || hh > 14) return false;
    k += 3;
    if (line.charCodeAt(k) === 58) k++;
    const mm = read2(line, k);
    if (mm >= 0) k += 2;
    offsetMin = (sign === 45 ? -1 : 1) * (hh * 60 + Math.max(mm, 0));
  } else {
    while (k < end && k < zoneStart + 6 && isUpper(line.charCodeAt(k))) k++;
    if (k === zoneStart) return false;
    offsetMin = zoneOffsetOf(line.slice(zoneStart, k));
  }
  if (!readStampedIdent(line, k, end, out)) return false;
  out.kind = PrefixKind.full;
  out.local = offsetMin !== offsetMin;
  out.ts = out.local ? iso.wallUs : iso.wallUs - offsetMin * US_PER_MIN;
  years.sync(iso.year, iso.month);
  return true;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * After the month name (which starts at `from`): ` DD hh:mm:ss[.frac] ` (day zero- or
 * space-padded), then host and ident.
 */
function readMonthDayStamp(line: string, from: number, month: number, i: number, end: number, out: LinePrefix, years: YearTracker): boolean {
  let k = i;
  while (k < end && line.charCodeAt(k) === 32 && k < i + 3) k++;
  let day = read2(line, k);
  if (day >= 0) k += 2;
  else if ((day = readDigits(line, k, 1)) >= 0) k += 1;
  else return false;
  const hour = read2(line, k + 1);
  const min = read2(line, k + 4);
  if (line.charCodeAt(k) !== 32 || line.charCodeAt(k + 3) !== 58) return false;
  if (day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 || min > 59) return false;
  // Read without looking past the minutes: the next line with this text reads alike. The colon
  // after them is left to the tail, so `Jun 02 05:48` stays short enough to compare cheaply.
  out.memoStamp.set(line, from, k + 6);
  out.memoStampLetter = !isDigit(line.charCodeAt(from));
  out.memoMonth = month;
  out.memoDay = day;
  out.memoHour = hour;
  out.memoMin = min;
  return readMonthDayTail(line, k + 6, end, out, years, month, day, hour, min);
}

/** `:ss[.frac]` at k, after a month-day stamp's `Mon DD hh:mm`; then host and ident. */
function readMonthDayTail(line: string, k: number, end: number, out: LinePrefix, years: YearTracker, month: number, day: number, hour: number, min: number): boolean {
  const sec = read2(line, k + 1);
  if (line.charCodeAt(k) !== 58 || sec < 0 || sec > 60) return false;
  k += 3;
  let frac = 0;
  if (line.charCodeAt(k) === 46) {
    frac = readFractionUs(line, k + 1, end, span);
    if (frac < 0) return false;
    k = span.end;
  }
  // The ident memo starts with the space that must follow the stamp: a hit settles both.
  const memoHit = out.memoIdent.at(line, k);
  if (!memoHit && k < end && line.charCodeAt(k) !== 32) return false;
  out.kind = PrefixKind.monthDay;
  out.month = month;
  out.day = day;
  out.timeOfDayUs = ((hour * 60 + min) * 60 + sec) * US_PER_SEC + frac;
  out.ts = civilToUs(years.yearFor(month), month, day, hour, min, sec, frac);
  out.local = true;
  if (memoHit) identFromMemo(k, out);
  // A stamp whose host/ident cannot be read still dates the line: keep the text after it.
  else if (!readStampedIdent(line, k, end, out, false)) out.start = Math.min(k + 1, end);
  return true;
}

/** The ident of the memo whose text is at k (see readStampedIdent). */
function identFromMemo(k: number, out: LinePrefix): void {
  out.identStart = k + out.memoIdentStart;
  out.identEnd = k + out.memoIdentEnd;
  out.pid = out.memoPid;
  out.start = k + out.memoIdent.text.length;
  out.memoIdentUsed = true;
}

/**
 * The space at k after a stamp, then readIdent. A journal repeats ` host ident[pid]: ` on
 * every line of a unit, so the last one read is kept and compared whole first: readIdent reads
 * nothing outside it (its last character, the space after the colon, ends the scan), so the same
 * text gives the same answer.
 */
function readStampedIdent(line: string, k: number, end: number, out: LinePrefix, tryMemo = true): boolean {
  if (tryMemo && out.memoIdent.at(line, k)) {
    identFromMemo(k, out);
    return true;
  }
  if (line.charCodeAt(k) !== 32 || !readIdent(line, k + 1, end, out, true)) return false;
  const start = out.start;
  // Only an ident ended by `: ` is kept: one at the end of the line depends on where the line ends.
  if (line.charCodeAt(start - 1) === 32 && start - 1 > k) {
    out.memoIdent.set(line, k, start);
    out.memoIdentStart = out.identStart - k;
    out.memoIdentEnd = out.identEnd - k;
    out.memoPid = out.pid;
  }
  return true;
}

const MAX_TOKEN = 256;

/**
 * `[HOST SP] IDENT ["[" PID "]"] ":" (SP | end)`. After a stamp the `[pid]` is optional (kernel
 * lines have none); at the start of a dateless line it is required, except for `kernel:`.
 */
function readIdent(line: string, i: number, end: number, out: LinePrefix, stamped: boolean): boolean {
  let tokenStart = i;
  let hostSeen = false;
  let k = i;
  const limit = Math.min(end, i + 2 * MAX_TOKEN);
  for (; k < limit; k++) {
    const c = line.charCodeAt(k);
    if (c === 32) {
      if (hostSeen || k === tokenStart) return false;
      hostSeen = true;
      tokenStart = k + 1;
    } else if (c === 91 || c === 58) {
      break;
    } else if (c === 34 || c === 61 || c === 9 || c === 123 || c === 93) {
      return false; // quotes, `=`, tabs, braces: a payload, not a syslog identifier
    }
  }
  if (k === tokenStart || k >= limit || !hasLetter(line, tokenStart, k)) return false;
  const identEnd = k;
  let pid = -1;
  if (line.charCodeAt(k) === 91) {
    const digitsStart = ++k;
    pid = 0;
    while (k < end && k < digitsStart + 10 && isDigit(line.charCodeAt(k))) pid = pid * 10 + (line.charCodeAt(k++) - 48);
    if (k === digitsStart || line.charCodeAt(k) !== 93) return false;
    k++;
  } else if (!stamped && !(identEnd - tokenStart === 6 && line.startsWith('kernel', tokenStart))) {
    return false;
  }
  if (line.charCodeAt(k) !== 58) return false;
  k++;
  if (k < end && line.charCodeAt(k) !== 32) return false;
  out.identStart = tokenStart;
  out.identEnd = identEnd;
  out.pid = pid;
  out.start = k < end ? k + 1 : k;
  return true;
}

/** An identifier names a program: digits and dots alone (`198.51.100.10:`, `12:`) are a collector's node address or a line number. */
function hasLetter(line: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = line.charCodeAt(k);
    if (!isDigit(c) && c !== 46) return true;
  }
  return false;
}

/** The one ident → origin map (FORMATS.md §1.3 lists the identifiers seen in real data). */
export function originOfIdent(ident: string): Origin {
  switch (ident) {
    case 'kubelet':
    case 'kubelet_init':
    case 'hyperkube':
      return 'kubelet';
    case 'containerd':
    case 'cri-containerd':
    case 'start-containerd.sh':
      return 'containerd';
    case 'dockerd':
    case 'docker':
      return 'docker';
    case 'kernel':
      return 'kernel';
  }
  if (ident.startsWith('containerd-shim')) return 'shim';
  if (ident.startsWith('systemd')) return 'systemd';
  // `journalctl -o with-unit` names the unit instead (`kubelet.service[1013]:`); PID 1 is `init.scope`.
  if (ident.endsWith(SERVICE) && ident.length > SERVICE.length) return originOfIdent(ident.slice(0, -SERVICE.length));
  if (ident === 'init.scope') return 'systemd';
  return ident;
}

const SERVICE = '.service';

/** originOfIdent for an ident inside a line, reusing the last answer while the ident repeats. */
export class IdentOrigins {
  private ident = '';
  private origin: Origin = 'unknown';
  /** The prefix memo (LinePrefix.memoIdent) whose ident was last looked up, and its origin. */
  private memo = '';
  private memoOrigin: Origin = 'unknown';

  /** The origin of the ident peelPrefix found (identStart >= 0); free while the prefix memo holds. */
  ofPrefix(line: string, p: LinePrefix): Origin {
    // The memo text fixes the ident's text, and the origin depends on nothing else.
    if (p.memoIdentUsed && p.memoIdent.text === this.memo) return this.memoOrigin;
    const origin = this.at(line, p.identStart, p.identEnd);
    if (p.memoIdentUsed) {
      this.memo = p.memoIdent.text;
      this.memoOrigin = origin;
    }
    return origin;
  }

  at(line: string, start: number, end: number): Origin {
    const last = this.ident;
    if (end - start === last.length && last.length > 0 && textAt(line, start, last)) return this.origin;
    this.ident = line.slice(start, end);
    this.origin = originOfIdent(this.ident);
    return this.origin;
  }
}
