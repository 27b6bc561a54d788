// Stamps printed around metric captures (FORMATS.md §6-8, §9.2-9.3): `date` output in its C,
// en_US (12-hour), de and RFC 2822 forms, ISO 8601 with or without an offset, epoch seconds,
// sysstat `%x %X` (`06/29/20 07:52:20`, `06/29/2020 07:52:20 PM`, `29.06.2020 07:52:20`), and the
// zone abbreviations `strftime("%Z")` prints. These lines are rare (one per sample), so this
// reader favours coverage over speed: it tokenizes and allocates.
import { civilToUs, newIsoStamp, newSpan, readIsoStamp, readMonthName, US_PER_SEC } from '../time/civil';

/**
 * Common abbreviations with one widely used meaning → minutes east of UTC. Ambiguous ones
 * (CST: China or US Central; IST: India, Ireland or Israel; AST: Atlantic or Arabia) are left
 * out on purpose: such stamps stay wall-clock times placed with the context zone.
 */
const ZONES: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, SAST: 120, EAT: 180, WAT: 60, PKT: 300, NPT: 345, WIB: 420,
  ICT: 420, WITA: 480, HKT: 480, SGT: 480, AWST: 480, KST: 540, JST: 540, WIT: 540, ACST: 570,
  ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, HST: -600, AKST: -540, AKDT: -480,
  PST: -480, PDT: -420, MST: -420, MDT: -360, CDT: -300, EST: -300, EDT: -240, NST: -210,
  NDT: -150, BRT: -180, ART: -180,
};

const WEEKDAYS = new Set(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'so', 'mo', 'di', 'mi', 'do', 'fr', 'sa',
  'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);
const LONG_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * Minutes east of UTC of a zone name: a known abbreviation, or glibc's numeric names (`+03`,
 * `-0330`, `+05:30`); NaN when unknown or ambiguous.
 */
export function zoneOffsetOf(name: string): number {
  const known = ZONES[name];
  if (known !== undefined) return known;
  const m = /^([+-])(\d\d)(?::?(\d\d))?$/.exec(name);
  if (!m) return NaN;
  const min = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return min > 14 * 60 ? NaN : (m[1] === '-' ? -min : min);
}

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
const TIME = /^(\d{1,2}):(\d\d):(\d\d)(?:[.,](\d{1,9}))?$/;
const NUM_DATE = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})\.?$/;
const EPOCH = /^(\d{9,10})(?:\.(\d{1,9}))?$/;
const OFFSET = /^[+-]\d\d(?::?\d\d)?$/;
/** Brackets, quotes and markers around a token (`[…]`, `==> … <==`); a leading `-` is a sign. */
const TRIM = /^[[\](){}<>=|"'#*:@]+|[[\](){}<>=|"'#*:-]+$/g;

/**
 * A stamp somewhere in `text` (a line of its own or a prefix before a sample). Reads ISO 8601
 * (`T` or space, any offset), numeric dates with a time, month names with a day and a time,
 * AM/PM, zone abbreviations and numeric offsets, or a lone epoch-seconds number. Refuses text
 * with more than three unrelated words, so a message that mentions a time is not a stamp.
 */
export function readLooseStamp(text: string, hints: StampHints, out: LooseStamp): boolean {
  const toks = text.split(/[\s,]+/).map((t) => t.replace(TRIM, '')).filter((t) => t.length > 0);
  if (toks.length === 0 || toks.length > 12) return false;
  let year = -1, month = -1, day = -1, hour = -1, min = 0, sec = 0, frac = 0;
  let meridiem = 0, offset = NaN, junk = 0, epoch = NaN, isoWall = NaN;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    let m: RegExpExecArray | null;
    if (/^\d{4}-\d\d-\d\d/.test(t)) {
      const next = toks[k + 1];
      const s = t.length === 10 && next !== undefined && /^\d\d:\d\d:\d\d/.test(next) ? `${t} ${next}` : t;
      if (readIsoStamp(s, 0, s.length, iso)) {
        if (s !== t) k++;
        isoWall = iso.wallUs;
        if (iso.offsetMin === iso.offsetMin) offset = iso.offsetMin;
        year = iso.year;
      } else junk++;
    } else if ((m = TIME.exec(t))) {
      hour = Number(m[1]);
      min = Number(m[2]);
      sec = Number(m[3]);
      frac = m[4] ? Number(m[4].slice(0, 6).padEnd(6, '0')) : 0;
    } else if ((m = NUM_DATE.exec(t))) {
      if (!numericDate(Number(m[1]), m[2]!, Number(m[3]), Number(m[4]), m[1]!.length, hints)) return false;
      ({ year, month, day } = dateOut);
    } else if (/^(am|pm|a\.m\.|p\.m\.)$/i.test(t)) {
      meridiem = t[0] === 'a' || t[0] === 'A' ? 1 : 2;
    } else if (/^\d{4}$/.test(t)) {
      year = Number(t);
    } else if (/^\d{1,2}\.?$/.test(t)) {
      day = parseInt(t, 10);
    } else if ((m = EPOCH.exec(t))) {
      epoch = Number(m[1]) * US_PER_SEC + (m[2] ? Number(m[2].slice(0, 6).padEnd(6, '0')) : 0);
    } else if (OFFSET.test(t)) {
      offset = zoneOffsetOf(t);
    } else if (/^\p{L}[\p{L}.]{0,9}$/u.test(t)) {
      const month1 = monthOf(t);
      if (month1 > 0) month = month1;
      else if (/^[A-Z]{1,5}$/.test(t) && t !== 'AM' && t !== 'PM') {
        const z = zoneOffsetOf(t);
        if (z === z) offset = z;
      } else if (!WEEKDAYS.has(t.toLowerCase().replace(/\.$/, ''))) junk++;
    } else junk++;
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
  } else if (epoch === epoch && toks.length === 1) {
    out.wallUs = epoch;
    offset = 0;
  } else {
    return false;
  }
  out.offsetMin = offset;
  out.hasYear = year >= 0 || epoch === epoch;
  return true;
}

const dateOut = { year: 0, month: 0, day: 0 };

/** `a SEP b SEP c`: Y/M/D when `a` has 4 digits, D.M.Y with dots, else M/D/Y unless day-first. */
function numericDate(a: number, sep: string, b: number, c: number, aDigits: number, hints: StampHints): boolean {
  let y: number, mo: number, d: number;
  if (aDigits === 4) [y, mo, d] = [a, b, c];
  else {
    if (sep === '/' && a > 12 && b <= 12) hints.dayFirst = true;
    const dayFirst = sep === '.' || (sep === '-' && b <= 12) || (hints.dayFirst && b <= 12) || (a > 12 && b <= 12);
    [y, mo, d] = dayFirst ? [c, b, a] : [c, a, b];
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
