// Civil (calendar) time → µs since the epoch, without Date objects on the hot path.
// Readers scan a string with charCodeAt and report where they stopped through a reused
// result object, so parsing a line allocates nothing.

export const US_PER_SEC = 1_000_000;
export const US_PER_MIN = 60_000_000;
export const US_PER_DAY = 86_400_000_000;

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Exactly `n` ASCII digits at s[i, i+n) as a number; -1 if one is missing or not a digit. */
export function readDigits(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Two ASCII digits at s[i] as a number, -1 if either is not a digit (the hot path's field reader). */
export function read2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Texts up to this length are compared as a copy (see textAt); V8 copies substrings this short. */
const SHORT_TEXT = 12;

/**
 * `s.startsWith(text, at)` for `at >= 0`, cheaper on the hot path. Log lines are slices of a
 * decoded chunk, and V8's startsWith compares a slice through a runtime call (its fast path
 * takes flat strings only), costing as much as reading dozens of characters. A substring this
 * short is a flat copy that `===` compares inline, and indexOf reads slices directly (it only
 * scans past `at` when the text is not there).
 */
export function textAt(s: string, at: number, text: string): boolean {
  const n = text.length;
  return n <= SHORT_TEXT ? s.substring(at, at + n) === text : s.indexOf(text, at) === at;
}

/**
 * Text kept from an earlier line to recognise it in the next ones (a reader's memo: the same
 * text always reads the same). It is compared as textAt does, in pieces of at most SHORT_TEXT
 * characters kept flat: two short compares cost less than one indexOf.
 */
export class LineMemo {
  /** The text; '' while there is none. */
  text = '';
  private head = '';
  private tail = '';

  /** Remembers s[from, to). */
  set(s: string, from: number, to: number): void {
    const n = to - from;
    this.text = s.slice(from, to);
    this.head = n <= SHORT_TEXT ? this.text : s.slice(from, from + SHORT_TEXT);
    this.tail = n > SHORT_TEXT && n <= 2 * SHORT_TEXT ? s.slice(from + SHORT_TEXT, to) : '';
  }

  clear(): void {
    this.text = this.head = this.tail = '';
  }

  /** `s.startsWith(text, at)` for `at >= 0`; false while empty. */
  at(s: string, at: number): boolean {
    const n = this.text.length;
    if (n <= SHORT_TEXT) return n !== 0 && s.substring(at, at + n) === this.head;
    if (n <= 2 * SHORT_TEXT) return s.substring(at, at + SHORT_TEXT) === this.head && s.substring(at + SHORT_TEXT, at + n) === this.tail;
    return s.indexOf(this.text, at) === at;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

// civilToUs remembers the last two dates it placed: consecutive log lines share their date, and
// a line often carries two stamps of different dates (a local prefix and a UTC record). The key
// is the whole input of daysFromCivil, so a hit returns exactly what a recomputation would.
let dateA = { year: NaN, month: 0, day: 0, us: 0 };
let dateB = { year: NaN, month: 0, day: 0, us: 0 };

/** µs of midnight (as if UTC) of a civil date: daysFromCivil × US_PER_DAY, memoised. */
function dayUs(year: number, month: number, day: number): number {
  const a = dateA;
  if (a.year === year && a.month === month && a.day === day) return a.us;
  const b = dateB;
  if (b.year === year && b.month === month && b.day === day) {
    dateA = b;
    dateB = a;
    return b.us;
  }
  // Recycle the older entry as the newest.
  b.year = year;
  b.month = month;
  b.day = day;
  b.us = daysFromCivil(year, month, day) * US_PER_DAY;
  dateA = b;
  dateB = a;
  return b.us;
}

/** A wall-clock reading as µs since the epoch, read as if it were UTC. */
export function civilToUs(year: number, month: number, day: number, hour: number, min: number, sec: number, us: number): number {
  return dayUs(year, month, day) + ((hour * 60 + min) * 60 + sec) * US_PER_SEC + us;
}

/** µs → `YYYY-MM-DDThh:mm:ss.uuuuuuZ` (for tests, notes and display; not for the hot path). */
export function formatIsoUs(us: number): string {
  // Date covers ±8.64e15 ms; a stamp beyond it is shown as its number rather than throwing.
  if (!Number.isFinite(us)) return 'NaN';
  if (Math.abs(us) > 8.64e18) return `${us}us`;
  const ms = Math.floor(us / 1000);
  const micro = us - Math.floor(us / US_PER_SEC) * US_PER_SEC;
  return new Date(ms).toISOString().slice(0, 19) + '.' + String(micro).padStart(6, '0') + 'Z';
}

/** 10^n: scales a fraction of n < 6 digits to µs in one step (exact: the results stay below 10^6). */
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * Reads up to 9 fraction digits at i as µs (digits past the 6th are dropped, not rounded, so
 * nanosecond stamps keep their µs). Sets `span.end` after the last digit; returns -1 if none.
 */
export function readFractionUs(s: string, i: number, end: number, span: Span): number {
  let us = 0;
  let k = i;
  // The first six digits make the µs; later ones are only skipped.
  const six = Math.min(end, i + 6);
  for (; k < six; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) break;
    us = us * 10 + d;
  }
  if (k === i) return -1;
  if (k === i + 6) while (k < end && isDigit(s.charCodeAt(k))) k++;
  else us *= POW10[6 - (k - i)]!;
  span.end = k;
  return us;
}


/** A small reused result: a value and the index just after what was read. */
export interface Span {
  value: number;
  end: number;
}
export function newSpan(): Span {
  return { value: 0, end: 0 };
}

/** What readIsoStamp found. `offsetMin` is NaN when the stamp had no offset (a wall-clock time). */
export interface IsoStamp {
  /** The stamp's own wall-clock reading as if it were UTC. */
  wallUs: number;
  offsetMin: number;
  year: number;
  month: number;
  end: number;
  /**
   * The `YYYY-MM-DDThh:mm:` text last read into this object and its fields (readIsoStamp's own
   * memo: a log's consecutive stamps share it, so it is compared whole instead of re-read).
   */
  memoText: LineMemo;
  memoYear: number;
  memoMonth: number;
  memoDay: number;
  memoHour: number;
  memoMin: number;
}
export function newIsoStamp(): IsoStamp {
  return { wallUs: NaN, offsetMin: NaN, year: 0, month: 0, end: 0, memoText: new LineMemo(), memoYear: 0, memoMonth: 0, memoDay: 0, memoHour: 0, memoMin: 0 };
}

/** UTC µs of a stamp that carried an offset; NaN otherwise. */
export function isoUtcUs(st: IsoStamp): number {
  return st.wallUs - st.offsetMin * US_PER_MIN;
}

const scratch = newSpan();
/** Length of `YYYY-MM-DDThh:mm:`, the part of a stamp that readIsoStamp memoises. */
const ISO_MINUTE = 17;

/**
 * RFC 3339 and its common relatives at s[i]: `YYYY-MM-DD` `T` or space `hh:mm:ss`, an optional
 * fraction of 0-9 digits after `.` or `,` (dmesg --time-format iso uses a comma), and an optional
 * `Z`, `±hh:mm`, `±hhmm` or `±hh`. Returns false (leaving `out` unspecified) when it is not one.
 */
export function readIsoStamp(s: string, i: number, end: number, out: IsoStamp): boolean {
  if (i + 19 > end) return false;
  let year: number;
  let month: number;
  let day: number;
  let hour: number;
  let min: number;
  // The same text reads the same: only a stamp that read whole before becomes the memo.
  if (out.memoText.at(s, i)) {
    year = out.memoYear;
    month = out.memoMonth;
    day = out.memoDay;
    hour = out.memoHour;
    min = out.memoMin;
  } else {
    const hi = read2(s, i);
    const lo = read2(s, i + 2);
    year = hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    month = read2(s, i + 5);
    day = read2(s, i + 8);
    const sep = s.charCodeAt(i + 10);
    hour = read2(s, i + 11);
    min = read2(s, i + 14);
    if (year < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45 || (sep !== 84 && sep !== 32)) return false;
    if (s.charCodeAt(i + 13) !== 58 || s.charCodeAt(i + 16) !== 58) return false;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 || min > 59) return false;
    out.memoText.set(s, i, i + ISO_MINUTE);
    out.memoYear = year;
    out.memoMonth = month;
    out.memoDay = day;
    out.memoHour = hour;
    out.memoMin = min;
  }
  const sec = read2(s, i + 17);
  if (sec < 0 || sec > 60) return false;
  let k = i + 19;
  let frac = 0;
  const fc = s.charCodeAt(k);
  if ((fc === 46 || fc === 44) && k + 1 < end) {
    const us = readFractionUs(s, k + 1, end, scratch);
    if (us >= 0) {
      frac = us;
      k = scratch.end;
    }
  }
  out.offsetMin = NaN;
  const zc = k < end ? s.charCodeAt(k) : 0;
  if (zc === 90 || zc === 122) {
    out.offsetMin = 0;
    k++;
  } else if (zc === 43 || zc === 45) {
    const oh = read2(s, k + 1);
    if (oh >= 0 && k + 3 <= end) {
      let om = 0;
      let after = k + 3;
      if (s.charCodeAt(after) === 58 && read2(s, after + 1) >= 0) {
        om = read2(s, after + 1);
        after += 3;
      } else if (read2(s, after) >= 0 && after + 2 <= end) {
        om = read2(s, after);
        after += 2;
      }
      out.offsetMin = (zc === 45 ? -1 : 1) * (oh * 60 + om);
      k = after;
    }
  }
  out.wallUs = civilToUs(year, month, day, hour, min, sec, frac);
  out.year = year;
  out.month = month;
  out.end = k;
  return true;
}

// Locale month abbreviations as strftime %b prints them (glibc abmon), matched without regard to
// case and with an optional trailing dot (`ene.`, `sept.`). A name only matches when a space
// follows it, so `mars` never reads as `Mar` and `Sept` is not `Sep` + junk. Locales: en, fr, de
// (and the older `Mrz`), es (`sept` in newer glibc), it, pt and nl; zh/ja/ko `8月` / `8월` below.
const MONTH_NAMES: readonly (readonly string[])[] = [
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['janv', 'févr', 'mars', 'avr', 'mai', 'juin', 'juil', 'août', 'sept', 'oct', 'nov', 'déc'],
  ['jan', 'feb', 'mär', 'apr', 'mai', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dez'],
  ['jan', 'feb', 'mrz', 'apr', 'mai', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dez'],
  ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
  ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
];

/** Lower case for ASCII and Latin-1 letters (`É` → `é`, `Ä` → `ä`); other chars as they are. */
function lower(c: number): number {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c + 32 : c;
}
function key3(s: string, i: number): number {
  return lower(s.charCodeAt(i)) * 65536 + lower(s.charCodeAt(i + 1)) * 256 + lower(s.charCodeAt(i + 2));
}
function key4(s: string, i: number): number {
  return key3(s, i) * 256 + lower(s.charCodeAt(i + 3));
}
/** Names by their packed (lower-cased) char codes: one lookup per length, no scan, no allocation. */
const MONTH_BY_KEY3 = new Map<number, number>();
const MONTH_BY_KEY4 = new Map<number, number>();
/** First characters of month names in either case (all below U+0100): rejects klog/logfmt lines in one load. */
const MONTH_FIRST = new Uint8Array(256);
for (const names of MONTH_NAMES) {
  names.forEach((name, idx) => {
    (name.length === 3 ? MONTH_BY_KEY3 : MONTH_BY_KEY4).set(name.length === 3 ? key3(name, 0) : key4(name, 0), idx + 1);
    const first = name.charCodeAt(0);
    MONTH_FIRST[first] = 1;
    MONTH_FIRST[first >= 97 && first <= 122 ? first - 32 : first >= 0xe0 && first <= 0xfe ? first - 32 : first] = 1;
  });
}
MONTH_BY_KEY4.set(key4('sept', 0), 9);

const CJK_MONTH = 0x6708; // 月 (zh, ja)
const KO_MONTH = 0xc6d4; // 월

/**
 * A month name at s[i] followed by a space: a locale abbreviation (see MONTH_NAMES; any case,
 * optional dot) or zh/ja/ko `8月`. Sets `out.value` (1-12) and `out.end` (at the space); false
 * if there is none.
 */
export function readMonthName(s: string, i: number, end: number, out: Span): boolean {
  const c = s.charCodeAt(i);
  if (isDigit(c)) {
    let k = i;
    let month = 0;
    while (k < end && k < i + 2 && isDigit(s.charCodeAt(k))) month = month * 10 + (s.charCodeAt(k++) - 48);
    const m = s.charCodeAt(k);
    if ((m !== CJK_MONTH && m !== KO_MONTH) || month < 1 || month > 12 || s.charCodeAt(k + 1) !== 32 || k + 1 >= end) return false;
    out.value = month;
    out.end = k + 1;
    return true;
  }
  if (c >= 256 || MONTH_FIRST[c] !== 1 || i + 4 > end) return false;
  for (let len = 3; len <= 4; len++) {
    let after = i + len;
    if (s.charCodeAt(after) === 46) after++;
    if (after >= end || s.charCodeAt(after) !== 32) continue;
    const month = len === 3 ? MONTH_BY_KEY3.get(key3(s, i)) : MONTH_BY_KEY4.get(key4(s, i));
    if (month !== undefined) {
      out.value = month;
      out.end = after;
      return true;
    }
  }
  return false;
}

/**
 * The year of stamps that have none (klog, journald short, syslog), for one file read in order.
 * Starts at the assumed year. Files usually run forward: a month more than 6 smaller than the
 * last one means the year turned (Dec → Jan, or Oct → Mar across a gap); a month 9 or more
 * larger (Dec right after Jan or Mar) is a line from the year before; other jumps (Feb → Oct)
 * are a gap in the same year. Each step is taken: a late December line moves the tracker back,
 * and the January line after it moves it forward again, so a file written newest first
 * (`journalctl -r`, log-UI exports) crosses New Year backwards like any other. Once small steps
 * back outnumber small steps forward the file is read as newest first, with the rules mirrored
 * (Jan → Dec and Feb → Oct are the year before; Dec → Jan or Mar is still the next year).
 */
export class YearTracker {
  private lastMonth = 0;
  /** Small month steps (1-3 months) seen forward and backward: tell a newest-first file. */
  private forward = 0;
  private backward = 0;
  constructor(public year: number) {}

  yearFor(month: number): number {
    const last = this.lastMonth;
    if (last !== 0 && month !== last) {
      let d = month - last;
      if (this.backward > this.forward) {
        if (d > 6) {
          this.year--;
          d -= 12;
        } else if (d <= -9) {
          this.year++;
          d += 12;
        }
      } else if (d < -6) {
        this.year++;
        d += 12;
      } else if (d >= 9) {
        this.year--;
        d -= 12;
      }
      if (d > 0 && d <= 3) this.forward++;
      else if (d < 0 && d >= -3) this.backward++;
    }
    this.lastMonth = month;
    return this.year;
  }

  /** A stamp with a year was seen: later yearless stamps follow it. */
  sync(year: number, month: number): void {
    this.year = year;
    this.lastMonth = month;
  }
}

/** The wall-clock µs of a yearless stamp in the year (around `nearUs`) that puts it closest to `nearUs`. */
export function placeNear(month: number, day: number, timeOfDayUs: number, nearUs: number): number {
  const year = new Date(Math.floor(nearUs / 1000)).getUTCFullYear();
  let best = NaN;
  for (let y = year - 1; y <= year + 1; y++) {
    const us = daysFromCivil(y, month, day) * US_PER_DAY + timeOfDayUs;
    if (best !== best || Math.abs(us - nearUs) < Math.abs(best - nearUs)) best = us;
  }
  return best;
}
