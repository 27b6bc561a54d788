// Readers for klog records (FORMATS.md §2): the v1/v2 text header and the component-base JSON
// line. Both scan with charCodeAt and write into reused objects; no regex, no substrings.
import { Level } from '../model';
import { civilToUs, isDigit, read2, readFractionUs, newSpan, textAt, LineMemo, US_PER_SEC, type YearTracker } from '../time/civil';

export interface KlogHeader {
  level: Level;
  month: number;
  day: number;
  timeOfDayUs: number;
  /** The stamp as local wall time read as if UTC, in the tracker's year; NaN without a tracker. */
  wallUs: number;
  /** Where the message starts (after `] `). */
  msgStart: number;
  /**
   * readKlogHeader's memo of the last `Lmmdd hh:mm:` it read into this object, with its fields:
   * consecutive records repeat it, and the same text always reads the same.
   */
  memoText: LineMemo;
  memoLevel: Level;
  memoMonth: number;
  memoDay: number;
  memoHour: number;
  memoMin: number;
  /** The same for the padding, thread id and space after the stamp. */
  memoTid: LineMemo;
}

export function newKlogHeader(): KlogHeader {
  return { level: Level.unknown, month: 0, day: 0, timeOfDayUs: 0, wallUs: NaN, msgStart: 0, memoText: new LineMemo(), memoLevel: Level.unknown, memoMonth: 0, memoDay: 0, memoHour: 0, memoMin: 0, memoTid: new LineMemo() };
}

const span = newSpan();
/** Markdown indentation before a pasted header; TABs are not skipped (they mark `key=<` lines). */
const MAX_INDENT = 8;
const MAX_FILE = 200;
/** `Lmmdd hh:mm:` ends here (relative to the severity letter): the memoised part of a header. */
const MEMO_END = 12;
/** Longest padded thread id kept as a memo (`      1 ` … `  116050 `). */
const MAX_TID_MEMO = 12;

function severity(c: number): Level {
  switch (c) {
    case 73: return Level.info; // I
    case 87: return Level.warn; // W
    case 69: return Level.error; // E
    case 70: return Level.fatal; // F
    default: return Level.unknown;
  }
}

/**
 * `Lmmdd hh:mm:ss.uuuuuu <spaces>TID file:line] msg` at i. The thread id is padded to 7 columns,
 * but padding gets lost in transit, so any run of spaces is accepted. `years` (optional) places
 * the yearless stamp; detection passes null.
 */
export function readKlogHeader(line: string, i: number, end: number, years: YearTracker | null, out: KlogHeader): boolean {
  let k = i;
  while (k < end && k < i + MAX_INDENT && line.charCodeAt(k) === 32) k++;
  return readKlogAt(line, k, end, years, out);
}

/**
 * readKlogHeader once past the indentation: k is where the skip of up to MAX_INDENT spaces
 * stopped. Every read is at k or after, so a caller that skipped the same spaces calls this.
 */
export function readKlogAt(line: string, k: number, end: number, years: YearTracker | null, out: KlogHeader): boolean {
  if (k + 22 > end) return false;
  let level: Level;
  let month: number;
  let day: number;
  let hour: number;
  let min: number;
  if (out.memoText.at(line, k)) {
    level = out.memoLevel;
    month = out.memoMonth;
    day = out.memoDay;
    hour = out.memoHour;
    min = out.memoMin;
  } else {
    level = severity(line.charCodeAt(k));
    if (level === Level.unknown) return false;
    month = read2(line, k + 1);
    day = read2(line, k + 3);
    hour = read2(line, k + 6);
    min = read2(line, k + 9);
    if (line.charCodeAt(k + 5) !== 32 || line.charCodeAt(k + 8) !== 58 || line.charCodeAt(k + 11) !== 58) return false;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 || min > 59) return false;
    // Read without looking past the minute's colon: the next header with this text reads alike.
    out.memoText.set(line, k, k + MEMO_END);
    out.memoLevel = level;
    out.memoMonth = month;
    out.memoDay = day;
    out.memoHour = hour;
    out.memoMin = min;
  }
  const sec = read2(line, k + 12);
  if (line.charCodeAt(k + 14) !== 46 || sec < 0 || sec > 60) return false;
  const frac = readFractionUs(line, k + 15, end, span);
  if (frac < 0) return false;
  k = span.end;
  // Padding, thread id, one space, then `file.go:123]`. A process logs with one thread id, so
  // the padded id repeats: the scan below stops at the space after it, reading nothing beyond.
  const padStart = k;
  const tidMemo = out.memoTid;
  if (tidMemo.at(line, k)) {
    k += tidMemo.text.length;
  } else {
    while (k < end && line.charCodeAt(k) === 32) k++;
    if (k === padStart) return false;
    const tidStart = k;
    while (k < end && isDigit(line.charCodeAt(k))) k++;
    if (k === tidStart || line.charCodeAt(k) !== 32) return false;
    k++;
    // Only a short one: LineMemo compares longer texts with indexOf, which scans on a miss.
    if (k - padStart <= MAX_TID_MEMO) tidMemo.set(line, padStart, k);
    else tidMemo.clear();
  }
  // `file.go:123]`: the file name runs to the first `:`, space or `]` (at most MAX_FILE
  // characters; one of exactly MAX_FILE may end at the colon after them), and that must be the
  // colon, followed by digits up to the first `]`. Three native searches place those marks for
  // less than reading the name a character at a time.
  const colon = line.indexOf(':', k);
  if (colon <= k || colon > k + MAX_FILE || colon >= end) return false;
  const space = line.indexOf(' ', k);
  if (space >= 0 && space < colon) return false;
  const close = line.indexOf(']', k);
  if (close <= colon + 1 || close >= end) return false;
  for (let d = colon + 1; d < close; d++) if (!isDigit(line.charCodeAt(d))) return false;
  // The first space after the file is past `]`: the message starts after it when it follows `]`.
  k = space === close + 1 && space < end ? close + 2 : close + 1;
  out.level = level;
  out.month = month;
  out.day = day;
  out.timeOfDayUs = ((hour * 60 + min) * 60 + sec) * US_PER_SEC + frac;
  out.wallUs = years ? civilToUs(years.yearFor(month), month, day, hour, min, sec, frac) : NaN;
  out.msgStart = k;
  return true;
}

/** A header line whose last value opens a multi-line block (`key=<`): TAB lines and ` >` follow. */
export function opensKlogBlock(line: string, end: number): boolean {
  return end >= 2 && line.charCodeAt(end - 1) === 60 && line.charCodeAt(end - 2) === 61;
}

export interface KlogJson {
  utcUs: number;
  level: Level;
}

export function newKlogJson(): KlogJson {
  return { utcUs: NaN, level: Level.unknown };
}

const TS_KEY = '{"ts":';
const MAX_MS_DIGITS = 15;

/**
 * `{"ts":<epoch ms float>,"caller":…}` at i. The severity is not a field: component-base's zapr
 * logger writes `"v":<verbosity>` on every Info entry (InfoS with an `err` key included, common in
 * kubelet) and never on an Error entry (ErrorS, whose `err` key is absent when err is nil). So a
 * `"v"` key means info and a whole record without one means error; a record cut before its end
 * (the `"v"` may be in the lost part) is an error only when it shows an `"err"` key. An unescaped
 * `"v":` or `"err":` can only be a key, since a quote inside a JSON string is always escaped.
 */
export function readKlogJson(line: string, i: number, end: number, out: KlogJson): boolean {
  let k = i;
  while (k < end && k < i + MAX_INDENT && line.charCodeAt(k) === 32) k++;
  if (!textAt(line, k, TS_KEY)) return false;
  k += TS_KEY.length;
  let ms = 0;
  const intStart = k;
  while (k < end && isDigit(line.charCodeAt(k))) ms = ms * 10 + (line.charCodeAt(k++) - 48);
  // Epoch milliseconds have 13 digits until the year 2286; more is not a stamp (and overflows to Infinity).
  if (k === intStart || k - intStart > MAX_MS_DIGITS) return false;
  let us = 0;
  if (line.charCodeAt(k) === 46) {
    const frac = readFractionUs(line, k + 1, end, span);
    // Fraction of a millisecond: the first three digits are µs.
    if (frac >= 0) {
      us = Math.floor(frac / 1000);
      k = span.end;
    }
  }
  const c = line.charCodeAt(k);
  if (c !== 44 && c !== 125) return false;
  out.utcUs = ms * 1000 + us;
  out.level = jsonLevel(line, k, end);
  return true;
}

function jsonLevel(line: string, k: number, end: number): Level {
  const v = line.indexOf('"v":', k);
  if (v >= 0 && v < end) return Level.info;
  let last = end - 1;
  while (last > k && line.charCodeAt(last) === 32) last--;
  if (line.charCodeAt(last) === 125) return Level.error;
  const err = line.indexOf('"err":', k);
  return err >= 0 && err < end ? Level.error : Level.info;
}
