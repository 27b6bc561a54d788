// Stamps printed around metric captures (FORMATS.md §6-8, §9.2-9.3): `date` output in its C,
// en_US (12-hour), de and RFC 2822 forms, ISO 8601 with or without an offset, epoch seconds,
// sysstat `%x %X` (`06/29/20 07:52:20`, `06/29/2020 07:52:20 PM`, `29.06.2020 07:52:20`), and the
// zone abbreviations `strftime("%Z")` prints. PSI captures put one before every sample (a third
// of their lines), so the reader works on token offsets and allocates only for words and
// ISO stamps.
import { civilToUs, newIsoStamp, newSpan, readIsoStamp, readMonthName, US_PER_SEC } from '../time/civil';
import { zoneOffsetOf } from '../time/zone-names';
import { isSpace } from './metric-columns';

export { zoneOffsetOf };

const WEEKDAYS = new Set(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'so', 'mo', 'di', 'mi', 'do', 'fr', 'sa',
  'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);
const LONG_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];


/** What readLooseStamp found: the wall clock as if UTC, and the offset it carried (NaN = none). */
export interface LooseStamp {
  wallUs: number;
  offsetMin: number;
  /** The stamp carried a year (false: `hints.year` was assumed). */
  hasYear: boolean;
}

/** State carried across one file's stamps. */
export interface StampHints {
  /** Year for stamps without one. */
  year: number;
  /** A `NN/NN/YY` date had a first field over 12 once: later ones are day-first too (en_GB). */
  dayFirst: boolean;
}

const iso = newIsoStamp();
const span = newSpan();

/** Token bounds of the text being read (at most 12 tokens are read). */
const MAX_TOKENS = 12;
const tokStart = new Int32Array(MAX_TOKENS);
const tokEnd = new Int32Array(MAX_TOKENS);

/** `[\s,]`: what separates the tokens of a loose stamp. */
function isSeparator(c: number): boolean {
  return c === 44 || isSpace(c);
}

/** Brackets, quotes and markers around a token (`[…]`, `==> … <==`): `[[\](){}<>=|"'#*:]`. */
function isMarker(c: number): boolean {
  switch (c) {
    case 91: case 93: case 40: case 41: case 123: case 125: case 60: case 62: case 61: case 124: case 34: case 39: case 35: case 42: case 58:
      return true;
    default:
      return false;
  }
}

/**
 * The tokens of `text` into tokStart/tokEnd: split on blanks and commas, markers trimmed (also a
 * leading `@`, a trailing `-`: a leading `-` is a sign), empty ones dropped. Their number, or
 * MAX_TOKENS + 1 when there are more.
 */
function looseTokens(text: string): number {
  const len = text.length;
  let n = 0;
  let k = 0;
  while (k < len) {
    while (k < len && isSeparator(text.charCodeAt(k))) k++;
    if (k >= len) break;
    let s = k;
    while (k < len && !isSeparator(text.charCodeAt(k))) k++;
    let e = k;
    while (s < e && (isMarker(text.charCodeAt(s)) || text.charCodeAt(s) === 64)) s++;
    while (e > s && (isMarker(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 45)) e--;
    if (e === s) continue;
    if (n === MAX_TOKENS) return MAX_TOKENS + 1;
    tokStart[n] = s;
    tokEnd[n] = e;
    n++;
  }
  return n;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** s[i, i+n) are digits (within `end`). */
function digitsAt(s: string, i: number, n: number, end: number): boolean {
  if (i + n > end) return false;
  for (let k = i; k < i + n; k++) if (!isDigitAt(s, k)) return false;
  return true;
}

/** The value of the digits s[i, e) (short runs: exact). */
function valueOf(s: string, i: number, e: number): number {
  let v = 0;
  for (let k = i; k < e; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

/** End of the digit run at i (at most up to `end`). */
function digitRun(s: string, i: number, end: number): number {
  let k = i;
  while (k < end && isDigitAt(s, k)) k++;
  return k;
}

/**
 * `[.,]\d{1,9}` filling [i, end) exactly, as µs (first six digits), or -1; 0 when i === end
 * (no fraction).
 */
function fractionUs(s: string, i: number, end: number): number {
  if (i === end) return 0;
  const c = s.charCodeAt(i);
  if (c !== 46 && c !== 44) return -1;
  const e = digitRun(s, i + 1, end);
  const n = e - i - 1;
  if (n < 1 || n > 9 || e !== end) return -1;
  const take = Math.min(6, n);
  return valueOf(s, i + 1, i + 1 + take) * 10 ** (6 - take);
}

const clock = { hour: 0, min: 0, sec: 0, frac: 0 };

/** `^(\d{1,2}):(\d\d):(\d\d)(?:[.,](\d{1,9}))?$` over s[i, e), into `clock`. */
function readClock(s: string, i: number, e: number): boolean {
  const h = digitRun(s, i, e);
  if (h === i || h - i > 2 || s.charCodeAt(h) !== 58 || h + 6 > e) return false;
  if (!digitsAt(s, h + 1, 2, e) || s.charCodeAt(h + 3) !== 58 || !digitsAt(s, h + 4, 2, e)) return false;
  const frac = fractionUs(s, h + 6, e);
  if (frac < 0) return false;
  clock.hour = valueOf(s, i, h);
  clock.min = valueOf(s, h + 1, h + 3);
  clock.sec = valueOf(s, h + 4, h + 6);
  clock.frac = frac;
  return true;
}

const numDate = { a: 0, sep: '', b: 0, c: 0, aDigits: 0 };

/** `^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})\.?$` over s[i, e), into `numDate`. */
function readNumDate(s: string, i: number, e: number): boolean {
  const a = digitRun(s, i, e);
  if (a === i || a - i > 4 || a >= e) return false;
  const sep = s.charCodeAt(a);
  if (sep !== 47 && sep !== 46 && sep !== 45) return false;
  const b = digitRun(s, a + 1, e);
  if (b === a + 1 || b - a - 1 > 2 || b >= e || s.charCodeAt(b) !== sep) return false;
  const c = digitRun(s, b + 1, e);
  if (c === b + 1 || c - b - 1 > 4) return false;
  if (c !== e && !(c + 1 === e && s.charCodeAt(c) === 46)) return false;
  numDate.a = valueOf(s, i, a);
  numDate.sep = sep === 47 ? '/' : sep === 46 ? '.' : '-';
  numDate.b = valueOf(s, a + 1, b);
  numDate.c = valueOf(s, b + 1, c);
  numDate.aDigits = a - i;
  return true;
}

/** `^(am|pm|a\.m\.|p\.m\.)$/i` over s[i, e): 1 = am, 2 = pm, 0 = neither. */
function meridiemOf(s: string, i: number, e: number): number {
  const c = s.charCodeAt(i) | 32;
  if (c !== 97 && c !== 112) return 0;
  const ok = e - i === 2 ? (s.charCodeAt(i + 1) | 32) === 109
    : e - i === 4 && s.charCodeAt(i + 1) === 46 && (s.charCodeAt(i + 2) | 32) === 109 && s.charCodeAt(i + 3) === 46;
  return !ok ? 0 : c === 97 ? 1 : 2;
}

/** `^[+-]\d\d(?::?\d\d)?$` over s[i, e). */
function isOffsetToken(s: string, i: number, e: number): boolean {
  const c = s.charCodeAt(i);
  if ((c !== 43 && c !== 45) || !digitsAt(s, i + 1, 2, e)) return false;
  const n = e - i;
  return n === 3 || (n === 5 && digitsAt(s, i + 3, 2, e)) || (n === 6 && s.charCodeAt(i + 3) === 58 && digitsAt(s, i + 4, 2, e));
}

const WORD = /^\p{L}[\p{L}.]{0,9}$/u;

/** What a word says: a month (1-12), a zone (ZONE_BASE + minutes east), nothing, or junk. */
const WORD_NOTHING = 0;
const WORD_JUNK = -1;
/** Not a word at all (`^\p{L}[\p{L}.]{0,9}$` fails): junk as well. */
const NOT_WORD = -2;
const ZONE_BASE = 100_000;
/** Meanings of the words met (a pure function of the word); short ASCII ones by their packed chars. */
const shortMeanings = new Map<number, number>();
const wordMeanings = new Map<string, number>();
const MAX_MEANINGS = 4096;

/**
 * The meaning of s[i, e) if it is a word (`^\p{L}[\p{L}.]{0,9}$`, ASCII words checked without
 * the Unicode-aware regex), else NOT_WORD.
 */
function wordAt(s: string, i: number, e: number): number {
  let key = 0;
  for (let k = i; k < e; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128) {
      const t = s.slice(i, e);
      return WORD.test(t) ? wordMeaning(t) : NOT_WORD;
    }
    const lower = c | 32;
    if (!(lower >= 97 && lower <= 122) && !(k > i && c === 46)) return NOT_WORD;
    key = key * 128 + c;
  }
  if (e - i > 10 || e === i) return NOT_WORD;
  if (e - i > 4) return wordMeaning(s.slice(i, e));
  // Up to 4 chars, each 46 or above: base 128 without a leading zero tells them apart.
  let known = shortMeanings.get(key);
  if (known === undefined) {
    known = readWord(s.slice(i, e));
    if (shortMeanings.size >= MAX_MEANINGS) shortMeanings.clear();
    shortMeanings.set(key, known);
  }
  return known;
}

function wordMeaning(t: string): number {
  let known = wordMeanings.get(t);
  if (known === undefined) {
    known = readWord(t);
    if (wordMeanings.size >= MAX_MEANINGS) wordMeanings.clear();
    wordMeanings.set(t, known);
  }
  return known;
}

function readWord(t: string): number {
  const month = monthOf(t);
  if (month > 0) return month;
  if (/^[A-Z]{1,5}$/.test(t) && t !== 'AM' && t !== 'PM') {
    const z = zoneOffsetOf(t);
    return z === z ? ZONE_BASE + z : WORD_NOTHING;
  }
  return WEEKDAYS.has(t.toLowerCase().replace(/\.$/, '')) ? WORD_NOTHING : WORD_JUNK;
}

/**
 * A stamp somewhere in `text` (a line of its own or a prefix before a sample). Reads ISO 8601
 * (`T` or space, any offset), numeric dates with a time, month names with a day and a time,
 * AM/PM, zone abbreviations and numeric offsets, or a lone epoch-seconds number. Refuses text
 * with more than three unrelated words, so a message that mentions a time is not a stamp.
 *
 * Tokens: the text split on blanks and commas, brackets, quotes and markers around each trimmed
 * (`[…]`, `==> … <==`; a leading `-` is a sign), empty ones dropped. Each token is read in place.
 */
export function readLooseStamp(text: string, hints: StampHints, out: LooseStamp): boolean {
  if (readLoneIso(text, out)) return true;
  const c = C_STAMP.exec(text);
  if (c) return readCStamp(c, hints, out);
  const n = looseTokens(text);
  if (n === 0 || n > MAX_TOKENS) return false;
  let year = -1, month = -1, day = -1, hour = -1, min = 0, sec = 0, frac = 0;
  let meridiem = 0, offset = NaN, junk = 0, epoch = NaN, isoWall = NaN;
  for (let k = 0; k < n; k++) {
    const s = tokStart[k]!;
    const e = tokEnd[k]!;
    const len = e - s;
    const c0 = text.charCodeAt(s);
    let m: number;
    if (c0 >= 48 && c0 <= 57) {
      if (digitsAt(text, s, 4, e) && text.charCodeAt(s + 4) === 45 && digitsAt(text, s + 5, 2, e) && text.charCodeAt(s + 7) === 45 && digitsAt(text, s + 8, 2, e)) {
        // `YYYY-MM-DD`, with the next token when it is the time (`2023-06-02 05:48:10`).
        let joined = false;
        let stamp: string;
        if (len === 10 && k + 1 < n && isClockStart(text, tokStart[k + 1]!, tokEnd[k + 1]!)) {
          const ns = tokStart[k + 1]!;
          const ne = tokEnd[k + 1]!;
          stamp = ns === e + 1 && text.charCodeAt(e) === 32 ? text.slice(s, ne) : `${text.slice(s, e)} ${text.slice(ns, ne)}`;
          joined = true;
        } else {
          stamp = s === 0 && e === text.length ? text : text.slice(s, e);
        }
        if (readIsoStamp(stamp, 0, stamp.length, iso)) {
          if (joined) k++;
          isoWall = iso.wallUs;
          if (iso.offsetMin === iso.offsetMin) offset = iso.offsetMin;
          year = iso.year;
        } else junk++;
      } else if (readClock(text, s, e)) {
        hour = clock.hour;
        min = clock.min;
        sec = clock.sec;
        frac = clock.frac;
      } else if (readNumDate(text, s, e)) {
        if (!numericDate(numDate.a, numDate.sep, numDate.b, numDate.c, numDate.aDigits, hints)) return false;
        ({ year, month, day } = dateOut);
      } else if (len === 4 && digitsAt(text, s, 4, e)) {
        year = valueOf(text, s, e);
      } else if ((len === 1 || len === 2 || len === 3) && isDayToken(text, s, e)) {
        day = valueOf(text, s, digitRun(text, s, e));
      } else if ((m = epochUs(text, s, e)) === m) {
        epoch = m;
      } else junk++;
    } else if (c0 === 43 || c0 === 45) {
      // Only an offset starts so (dates, clocks and numbers start with a digit, words with a letter).
      if (isOffsetToken(text, s, e)) offset = zoneOffsetOf(text.slice(s, e));
      else junk++;
    } else if ((m = meridiemOf(text, s, e)) !== 0) {
      meridiem = m;
    } else {
      const meaning = wordAt(text, s, e);
      if (meaning > 0 && meaning <= 12) month = meaning;
      else if (meaning >= ZONE_BASE - 24 * 60) offset = meaning - ZONE_BASE;
      else if (meaning !== WORD_NOTHING) junk++;
    }
  }
  if (junk > 3) return false;
  if (isoWall === isoWall) {
    out.wallUs = isoWall;
  } else if (hour >= 0 && month > 0 && day > 0) {
    if (meridiem !== 0) {
      if (hour < 1 || hour > 12) return false;
      hour = (hour % 12) + (meridiem === 2 ? 12 : 0);
    }
    if (month > 12 || day > 31 || hour > 23 || min > 59 || sec > 60) return false;
    out.wallUs = civilToUs(year < 0 ? hints.year : year, month, day, hour, min, sec, frac);
  } else if (epoch === epoch && n === 1) {
    out.wallUs = epoch;
    offset = 0;
  } else {
    return false;
  }
  out.offsetMin = offset;
  out.hasYear = year >= 0 || epoch === epoch;
  return true;
}

/** sysstat's `%x %X` in the C locale, the whole text: `06/29/20 07:52:20` (iostat -t, one per report). */
const C_STAMP = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/;

/** The whole text is a C-locale `%x %X` stamp (no paste layer or other text around it). */
export function isCStamp(text: string): boolean {
  return C_STAMP.test(text);
}

/**
 * C_STAMP read as readLooseStamp reads its two tokens (a numeric date, then a clock), without
 * tokenizing: one regex costs less than the general reading while the JIT is cold.
 */
function readCStamp(m: RegExpExecArray, hints: StampHints, out: LooseStamp): boolean {
  if (!numericDate(+m[1]!, '/', +m[2]!, +m[3]!, 2, hints)) return false;
  const hour = +m[4]!;
  const min = +m[5]!;
  const sec = +m[6]!;
  if (hour > 23 || min > 59 || sec > 60) return false;
  out.wallUs = civilToUs(dateOut.year, dateOut.month, dateOut.day, hour, min, sec, 0);
  out.offsetMin = NaN;
  out.hasYear = true;
  return true;
}

/**
 * The whole text is one ISO stamp with a `T` (`2023-06-02T05:48:10+08:00`, `date -Iseconds`):
 * read as readLooseStamp would (one token: nothing to split or trim, no comma before a fraction).
 */
export function readLoneIso(text: string, out: LooseStamp): boolean {
  const len = text.length;
  if (len < 19 || text.charCodeAt(10) !== 84 || !readIsoStamp(text, 0, len, iso) || iso.end !== len) return false;
  // After `YYYY-MM-DDThh:mm:ss`: fraction and zone chars only (no blank or comma), ending in a
  // digit or `Z` (nothing a token would lose to trimming).
  for (let k = 19; k < len; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 58 || c === 43 || c === 45 || c === 90 || c === 122)) return false;
  }
  const last = text.charCodeAt(len - 1);
  if (!((last >= 48 && last <= 57) || last === 90 || last === 122)) return false;
  out.wallUs = iso.wallUs;
  out.offsetMin = iso.offsetMin;
  out.hasYear = true;
  return true;
}

/** `^\d\d:\d\d:\d\d` at s[i, e). */
function isClockStart(s: string, i: number, e: number): boolean {
  return digitsAt(s, i, 2, e) && s.charCodeAt(i + 2) === 58 && digitsAt(s, i + 3, 2, e) && s.charCodeAt(i + 5) === 58 && digitsAt(s, i + 6, 2, e);
}

/** `^\d{1,2}\.?$` over s[i, e). */
function isDayToken(s: string, i: number, e: number): boolean {
  const d = digitRun(s, i, e);
  return d > i && d - i <= 2 && (d === e || (d + 1 === e && s.charCodeAt(d) === 46));
}

/** `^(\d{9,10})(?:\.(\d{1,9}))?$` over s[i, e): epoch seconds as µs, else NaN. */
function epochUs(s: string, i: number, e: number): number {
  const d = digitRun(s, i, e);
  if (d - i < 9 || d - i > 10) return NaN;
  let frac = 0;
  if (d < e) {
    if (s.charCodeAt(d) !== 46) return NaN;
    frac = fractionUs(s, d, e);
    if (frac < 0) return NaN;
  }
  return valueOf(s, i, d) * US_PER_SEC + frac;
}

const dateOut = { year: 0, month: 0, day: 0 };

/** `a SEP b SEP c`: Y/M/D when `a` has 4 digits, D.M.Y with dots, else M/D/Y unless day-first. */
function numericDate(a: number, sep: string, b: number, c: number, aDigits: number, hints: StampHints): boolean {
  let y = a, mo = b, d = c;
  if (aDigits !== 4) {
    if (sep === '/' && a > 12 && b <= 12) hints.dayFirst = true;
    const dayFirst = sep === '.' || (sep === '-' && b <= 12) || (hints.dayFirst && b <= 12) || (a > 12 && b <= 12);
    y = c;
    mo = dayFirst ? b : a;
    d = dayFirst ? a : b;
    if (y < 100) y += y < 70 ? 2000 : 1900;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  dateOut.year = y;
  dateOut.month = mo;
  dateOut.day = d;
  return true;
}

function monthOf(word: string): number {
  const lower = word.toLowerCase();
  const long = LONG_MONTHS.indexOf(lower);
  if (long >= 0) return long + 1;
  const padded = `${word} `;
  return readMonthName(padded, 0, padded.length, span) && span.end === word.length ? span.value : -1;
}
