// Timestamp text as the node's programs write it. Every input is µs UTC as written by the node
// (true time + skew); wall-clock renderings shift it into the node's zone, absolute ones carry
// the offset. The per-second part is cached: log streams ask for nearby times over and over.

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const ABBR: Record<number, string> = {
  0: 'UTC',
  60: 'CET',
  120: 'CEST',
  180: 'MSK',
  330: 'IST',
  420: 'WIB',
  480: 'CST',
  540: 'JST',
  600: 'AEST',
  660: 'AEDT',
  [-180]: 'BRT',
  [-240]: 'EDT',
  [-300]: 'CDT',
  [-360]: 'MDT',
  [-420]: 'PDT',
  [-480]: 'PST',
};

export function p2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `strftime("%Z")` for the zone; glibc prints `+03`-style names for zones without one. */
export function zoneAbbr(offsetMin: number): string {
  const known = ABBR[offsetMin];
  if (known) return known;
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return a % 60 === 0 ? `${sign}${p2(a / 60)}` : `${sign}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

/** `+08:00` / `-07:00`, or `Z` for UTC when `z` is set (Go's RFC 3339 layout). */
export function offsetText(offsetMin: number, colon = true, z = true): string {
  if (offsetMin === 0 && z) return 'Z';
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${sign}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(a % 60)}`;
}

interface SecondParts {
  year: number;
  month: number; // 0-based
  day: number;
  weekday: number;
  hms: string;
  ymd: string;
}

export class WallClock {
  private sec = Number.NaN;
  private parts: SecondParts = { year: 0, month: 0, day: 0, weekday: 0, hms: '', ymd: '' };
  private readonly offsetUs: number;
  readonly offsetMin: number;

  constructor(zoneOffsetMin: number) {
    this.offsetMin = zoneOffsetMin;
    this.offsetUs = zoneOffsetMin * 60_000_000;
  }

  /** Wall-clock parts of the second containing `us` (µs UTC). */
  private at(us: number): SecondParts {
    const sec = Math.floor((us + this.offsetUs) / 1_000_000);
    if (sec !== this.sec) {
      const d = new Date(sec * 1000);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth();
      const day = d.getUTCDate();
      this.parts = {
        year,
        month,
        day,
        weekday: d.getUTCDay(),
        hms: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
        ymd: `${year}-${p2(month + 1)}-${p2(day)}`,
      };
      this.sec = sec;
    }
    return this.parts;
  }

  private micros(us: number): string {
    const f = (us + this.offsetUs) % 1_000_000;
    return pad(f < 0 ? f + 1_000_000 : f, 6);
  }

  /** journalctl -o short-precise: `Jun 02 05:48:06.350695`. */
  journal(us: number): string {
    const p = this.at(us);
    return `${MONTHS[p.month]} ${p2(p.day)} ${p.hms}.${this.micros(us)}`;
  }

  /** klog header without the thread id: `I0602 05:48:06.350695`. */
  klog(us: number, sev: string): string {
    const p = this.at(us);
    return `${sev}${p2(p.month + 1)}${p2(p.day)} ${p.hms}.${this.micros(us)}`;
  }

  /** Go RFC3339NanoFixed in local time: `2023-06-02T05:48:06.350695123+08:00` (or `Z`). */
  rfc3339Nano(us: number, nanos: number): string {
    const p = this.at(us);
    return `${p.ymd}T${p.hms}.${this.micros(us)}${pad(nanos, 3)}${offsetText(this.offsetMin)}`;
  }

  /** `date -Iseconds`: `2023-06-02T05:48:10+08:00`. */
  isoSeconds(us: number): string {
    const p = this.at(us);
    return `${p.ymd}T${p.hms}${offsetText(this.offsetMin, true, false)}`;
  }

  /** sysstat S_TIME_FORMAT=ISO: `2023-06-02T05:48:10+0800`. */
  isoSecondsNoColon(us: number): string {
    const p = this.at(us);
    return `${p.ymd}T${p.hms}${offsetText(this.offsetMin, false, false)}`;
  }

  /** vmstat -t: `2023-06-02 05:48:06`. */
  ymdHms(us: number): string {
    const p = this.at(us);
    return `${p.ymd} ${p.hms}`;
  }

  /** C-locale `%x %X` (iostat -t): `06/02/23 05:48:06`. */
  cLocale(us: number): string {
    const p = this.at(us);
    return `${p2(p.month + 1)}/${p2(p.day)}/${p2(p.year % 100)} ${p.hms}`;
  }

  /** C-locale `%x`: `06/02/23`. */
  cDate(us: number): string {
    const p = this.at(us);
    return `${p2(p.month + 1)}/${p2(p.day)}/${p2(p.year % 100)}`;
  }

  /** `date` in the C locale: `Fri Jun  2 05:48:10 CST 2023`. */
  dateCmd(us: number): string {
    const p = this.at(us);
    return `${WEEKDAYS[p.weekday]} ${MONTHS[p.month]} ${String(p.day).padStart(2, ' ')} ${p.hms} ${zoneAbbr(this.offsetMin)} ${p.year}`;
  }

  /** Calico CNI plugin: `2023-06-02 05:48:40.123`. */
  calico(us: number): string {
    const p = this.at(us);
    return `${p.ymd} ${p.hms}.${this.micros(us).slice(0, 3)}`;
  }

  /** journald header: `Fri 2023-06-02 05:44:12 UTC`. */
  journalHeader(us: number): string {
    const p = this.at(us);
    return `${WEEKDAYS[p.weekday]} ${p.ymd} ${p.hms} ${zoneAbbr(this.offsetMin)}`;
  }
}

/** `2023-06-15 06:39:36.566238047 +0000 UTC` (Go's time.Time String() in UTC). */
export function goUtcString(us: number, nanos: number): string {
  const sec = Math.floor(us / 1_000_000);
  const d = new Date(sec * 1000);
  const frac = us - sec * 1_000_000;
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${pad(frac, 6)}${pad(nanos, 3)} +0000 UTC`;
}

/** Go's time.Duration String(): `47.318806252s`, `1m2.5s`, `3m7.214093518s`, `850.2ms`. */
export function goDuration(seconds: number): string {
  if (seconds < 1) {
    const ms = Math.round(seconds * 1e9) / 1e6;
    return `${trimZeros(ms.toFixed(6))}ms`;
  }
  const ns = Math.round(seconds * 1e9);
  const totalSec = Math.floor(ns / 1e9);
  const fracNs = ns - totalSec * 1e9;
  const m = Math.floor(totalSec / 60);
  const h = Math.floor(m / 60);
  const s = totalSec % 60;
  const secText = fracNs > 0 ? `${s}.${trimZeros(pad(fracNs, 9))}` : String(s);
  if (h > 0) return `${h}h${m % 60}m${secText}s`;
  if (m > 0) return `${m}m${secText}s`;
  return `${secText}s`;
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s.replace(/0+$/, '');
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
