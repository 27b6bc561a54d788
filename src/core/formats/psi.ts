// PSI captures (FORMATS.md §6): `/proc/pressure/{cpu,io,memory,irq}` or cgroup `*.pressure`
// read repeatedly, each block after a stamp line (`date`, `date -Iseconds`, epoch, `==> … <==`)
// or with a stamp before `some`/`full`; also `grep` output (`/proc/pressure/io:some …`) and
// shell sessions (`$ cat /proc/pressure/io`).
//
// Series: psi.<resource>.<some|full>.<avg10|avg60|avg300> (the kernel's decaying averages, %)
// and psi.<resource>.<some|full>.stall = Δtotal / Δt × 100 between consecutive timed samples
// (percent of wall time stalled; `total` is cumulative µs). The resource comes from the line's
// own path prefix, the last path named in the file (`$ cat …`, `==> … <==`), else the file name
// (`pressure-io.log`, `io.pressure`), else `unknown`.
import { Level } from '../model';
import { MAX_LAYERS, peelCollector, skipBlanks } from './collector';
import {
  Anchors, SeriesSet, basisCode, decimalAt, isSpace, newCollectorInfo, textIs, payloadStart, placeByIndex, placeWall, stampLine, untimed,
  type MetricContext, type RowTable, type SampleTime, type SeriesBuf,
} from './metric-columns';
import { readLooseStamp, readLoneIso, type LooseStamp, type StampHints } from './metric-time';
import { stripAnsi } from './dmesg-line';
import { lineEnd } from './prefix';
import { newParsedLine, type FormatDef, type LineParser, type ParsedLine, type ParserExtras, type Sniff, type TimeContext } from './types';

const PCT = '[0-9]+(?:[.,][0-9]+)?';
const DATA = new RegExp(`(?:^|[\\s:])(some|full)\\s+avg10=(${PCT})\\s+avg60=(${PCT})\\s+avg300=(${PCT})\\s+total=([0-9]+)\\s*$`);
const RESOURCE = /(?:pressure|psi)[/_.-](cpu|io|memory|irq)\b|\b(cpu|io|memory|irq)\.pressure\b/;
/** Where a `some`/`full` group starts in a line holding several (group 1: the kind). */
const GROUP_START = /(?:^|[\s:])(some|full)\s+avg10=/g;
/** `sleep 10` in a shell loop or `watch -n 10`: the interval of untimed samples. */
const INTERVAL = /\b(?:sleep|watch\s+-n)\s+([0-9]+(?:\.[0-9]+)?)\b/;
/** Full pressure of these resources above this avg10 (%) marks the line as a warning. */
const WARN_FULL_AVG10 = 10;

export function resourceOf(text: string): string | null {
  // Every form names `pressure` or `psi`: most lines (stamps, samples) have neither.
  if (text.indexOf('pressure') < 0 && text.indexOf('psi') < 0) return null;
  const m = RESOURCE.exec(text);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * A sample's prefix without the words naming a pressure file (`/proc/pressure/io`, with grep's
 * `:N:`), unless glued to a clock (`psi-io.log:4:2024-…T10:57:16Z`, a grep layer over a stamp).
 */
function withoutPaths(prefix: string): string {
  const words = prefix.split(/\s+/);
  const kept = words.filter((w) => resourceOf(w) === null || /[0-9]:[0-9][0-9]/.test(w));
  return kept.length === words.length ? prefix : kept.join(' ');
}

/** The unit of each average. */
const PERCENT = ['%', '%', '%'];

const SOME = 0;
const FULL = 1;
const KINDS = ['some', 'full'] as const;

/** Where DATA matched (no substrings). */
interface DataMatch {
  /** Start of the match (the separator before the kind, if any): the text before is the prefix. */
  index: number;
  kind: number;
  /** avg10, avg60, avg300 and total, read as `Number()` reads them (a decimal comma as a point). */
  values: Float64Array;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const FIELDS = ['avg60=', 'avg300=', 'total='] as const;
/** Digits a double holds exactly in any combination. */
const EXACT_DIGITS = 15;
const POW10: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The rest of DATA after `avg10=` at i: `PCT\s+avg60=PCT\s+avg300=PCT\s+total=\d+\s*$`, where
 * PCT is `[0-9]+(?:[.,][0-9]+)?`. The numbers are read in the same pass.
 */
function matchValues(s: string, i: number, values: Float64Array): boolean {
  const end = s.length;
  let k = i;
  for (let f = 0; f < 4; f++) {
    const start = k;
    let mant = 0;
    let c: number;
    while (k < end && (c = s.charCodeAt(k) - 48) >= 0 && c <= 9) {
      mant = mant * 10 + c;
      k++;
    }
    if (k === start) return false;
    let digits = k - start;
    let frac = 0;
    if (f < 3) {
      const sep = s.charCodeAt(k);
      if ((sep === 46 || sep === 44) && k + 1 < end && isDigit(s.charCodeAt(k + 1))) {
        const fracStart = ++k;
        while (k < end && (c = s.charCodeAt(k) - 48) >= 0 && c <= 9) {
          mant = mant * 10 + c;
          k++;
        }
        frac = k - fracStart;
        digits += frac;
      }
    }
    values[f] = digits > EXACT_DIGITS ? decimalAt(s, start, k) : frac === 0 ? mant : mant / POW10[frac]!;
    // Then blanks: before the next field, or up to the end after `total`.
    const blanks = k;
    while (k < end && isSpace(s.charCodeAt(k))) k++;
    if (f === 3) return k === end;
    const word = FIELDS[f]!;
    if (k === blanks || !textIs(s, k, word)) return false;
    k += word.length;
  }
  return false;
}

/**
 * The usual line whole, `some avg10=0.12 avg60=0.71 avg300=0.30 total=1255301`: ASCII blanks and
 * decimal points only (a comma, a prefix, other blanks: matchData's own reading).
 */
const USUAL = /^(some|full)[ \t]+avg10=(\d+(?:\.\d+)?)[ \t]+avg60=(\d+(?:\.\d+)?)[ \t]+avg300=(\d+(?:\.\d+)?)[ \t]+total=(\d+)[ \t]*$/;

/**
 * DATA without its regex: the first `some`/`full` (at the start or after a blank or `:`) whose
 * `avg10=… total=N` runs to the end of the line.
 */
function matchData(s: string, m: DataMatch): boolean {
  // The usual line: a file is parsed once, mostly before the JIT has optimized anything, and
  // there one native regex and `+` on its captures (what matchValues reads) cost far less.
  const u = USUAL.exec(s);
  if (u) {
    m.index = 0;
    m.kind = u[1] === 'some' ? SOME : FULL;
    for (let f = 0; f < 4; f++) m.values[f] = +u[f + 2]!;
    return true;
  }
  let from = 0;
  for (;;) {
    const a = s.indexOf('avg10=', from);
    if (a < 0) return false;
    from = a + 1;
    let q = a;
    while (q > 0 && isSpace(s.charCodeAt(q - 1))) q--;
    if (q === a || q < 4) continue;
    const p = q - 4;
    const kind = textIs(s, p, 'some') ? SOME : textIs(s, p, 'full') ? FULL : -1;
    if (kind < 0) continue;
    if (p > 0) {
      const c = s.charCodeAt(p - 1);
      if (c !== 58 && !isSpace(c)) continue;
    }
    if (!matchValues(s, a + 6, m.values)) continue;
    m.index = p > 0 ? p - 1 : 0;
    m.kind = kind;
    return true;
  }
}

/** One kind (`some`/`full`) of one resource: its series and the last cumulative total. */
interface KindState {
  /**
   * avg10, avg60 and avg300: a row per sample (one call, not three pushes: the same series,
   * and their times are copied and checked once when output).
   */
  averages: RowTable;
  stall: SeriesBuf;
  /** The last timed total (hasLast) and its time. */
  hasLast: boolean;
  ts: number;
  total: number;
}

interface ResourceState {
  /** Kinds already read in the current sample (bit per kind): a repeat starts the next one. */
  seen: number;
  /** Sample number, for files without any stamp. */
  index: number;
  kinds: (KindState | null)[];
}

class PsiParser implements LineParser {
  private readonly series = new SeriesSet();
  readonly anchors = new Anchors();
  private readonly hints: StampHints;
  private readonly stamp: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
  private readonly info = newCollectorInfo();
  private readonly states = new Map<string, ResourceState>();
  /** The same states in a list: a stamp resets them all (a third of the lines; no iterator per stamp). */
  private readonly stateList: ResourceState[] = [];
  /** The state last looked up (samples of one resource follow each other). */
  private lastRes = '';
  private lastState: ResourceState | null = null;
  private readonly match: DataMatch = { index: 0, kind: 0, values: new Float64Array(4) };
  private readonly byIndex: SampleTime = untimed();
  private block: SampleTime = untimed();
  private resource: string;
  private interval = 1;

  constructor(private readonly ctx: MetricContext) {
    this.hints = { year: ctx.year, dayFirst: false };
    this.resource = resourceOf(ctx.path ?? '') ?? 'unknown';
  }

  parse(line: string, out: ParsedLine): void {
    const end = lineEnd(line);
    const text = line.indexOf('\u001b') >= 0 ? stripAnsi(line, end) : end === line.length ? line : line.slice(0, end);
    // The usual stamp line, `date -Iseconds`: no sample, no resource name, no paste layer (a lone
    // stamp is the line), so the stamp reader's answer is the line's.
    if (text.length < 200 && readLoneIso(text, this.stamp)) {
      this.startBlock();
      stampLine(out, this.block);
      return;
    }
    if (matchData(text, this.match)) {
      // matchData found the group that ends the line: an `avg10=` before it means the line holds
      // the whole file joined (`echo "$(date -Is) $(cat /proc/pressure/io | tr '\n' ' ')"`).
      if (this.match.index > 0 && text.lastIndexOf('avg10=', this.match.index) >= 0) this.joinedSamples(text, out);
      else this.sample(text, this.match, out);
      return;
    }
    const res = resourceOf(text);
    if (res) this.resource = res;
    // A stamp line, maybe behind paste layers (`grep -n`, a node address) that hide it from the loose reader.
    if (text.length < 200 && this.readStampIn(text)) {
      stampLine(out, this.block);
      return;
    }
    const iv = INTERVAL.exec(text);
    if (iv) this.interval = Number(iv[1]) || this.interval;
    out.level = Level.unknown;
  }

  /**
   * A stamp in a line or a sample's prefix, read from the payload first (`date` output behind a
   * log-UI export stamp is the capture's own time), then from the text past the undated layers
   * (a collector stamp on a line with no other). The whole text is not read: a `grep -n` number
   * (`1:`) would pass for the day of a `date` line that has none.
   */
  private readStampIn(text: string): boolean {
    const start = payloadStart(text, text.length, this.info);
    return (start > 0 && this.readStamp(text.slice(start))) || this.readStamp(this.afterUndatedLayers(text));
  }

  /**
   * The text after paste layers that carry no time (`grep -n`, a node address), which hide a
   * stamp from the loose reader; dated layers (CI runner, log-UI export) are kept: their stamp
   * is the sample's time when the line has no other.
   */
  private afterUndatedLayers(text: string): string {
    const end = text.length;
    let i = skipBlanks(text, 0, end);
    for (let layer = 0; layer < MAX_LAYERS; layer++) {
      this.info.outerYear = 0;
      const next = peelCollector(text, i, end, this.info);
      if (next < 0 || this.info.outerYear > 0) break;
      i = skipBlanks(text, next, end);
    }
    return i === 0 ? text : text.slice(i);
  }

  /** A stamp line (or prefix) starts a block: every resource begins a new sample. */
  private readStamp(text: string): boolean {
    if (!readLooseStamp(text, this.hints, this.stamp)) return false;
    this.startBlock();
    return true;
  }

  /** The stamp just read opens a block. */
  private startBlock(): void {
    this.block = untimed();
    placeWall(this.stamp.wallUs, this.stamp.offsetMin, this.ctx, this.block, this.stamp.hasYear ? this.anchors : null);
    for (let k = 0; k < this.stateList.length; k++) this.stateList[k]!.seen = 0;
  }

  private stateOf(res: string): ResourceState {
    if (res === this.lastRes && this.lastState) return this.lastState;
    let st = this.states.get(res);
    if (!st) {
      st = { seen: 0, index: 0, kinds: [null, null] };
      this.states.set(res, st);
      this.stateList.push(st);
    }
    this.lastRes = res;
    this.lastState = st;
    return st;
  }

  private kindOf(st: ResourceState, res: string, kind: number): KindState {
    let ks = st.kinds[kind];
    if (!ks) {
      const name = `psi.${res}.${KINDS[kind]}`;
      ks = {
        averages: this.series.table([this.series.handle(`${name}.avg10`), this.series.handle(`${name}.avg60`), this.series.handle(`${name}.avg300`)]),
        stall: this.series.handle(`${name}.stall`),
        hasLast: false,
        ts: NaN,
        total: NaN,
      };
      st.kinds[kind] = ks;
    }
    return ks;
  }

  /**
   * A line holding several `some`/`full` groups, each ending at its `total=N`: the text before the
   * first is the prefix (stamp, path) of them all, and they are one sample of one resource.
   */
  private joinedSamples(text: string, out: ParsedLine): void {
    const starts: number[] = [];
    for (const g of text.matchAll(GROUP_START)) starts.push(g.index + g[0].indexOf(g[1]!));
    const prefix = text.slice(0, starts[0]);
    const res = resourceOf(prefix) ?? this.resource;
    let level: Level = Level.unknown;
    starts.forEach((start, k) => {
      // The first group keeps the prefix: sample() reads the stamp from it.
      const group = text.slice(k === 0 ? 0 : start, starts[k + 1] ?? text.length).trimEnd();
      if (!matchData(group, this.match)) return;
      this.sample(group, this.match, out, res);
      if (out.level > level) level = out.level;
    });
    out.level = level;
  }

  private sample(text: string, m: DataMatch, out: ParsedLine, resource?: string): void {
    let res = resource ?? this.resource;
    if (m.index > 0) {
      const prefix = text.slice(0, m.index);
      res = resourceOf(prefix) ?? res;
      // The path is no part of the stamp: left in, it is one word too many for a lone epoch
      // (`echo "$(date +%s) $f $(cat $f)"` prints `1724436329 /proc/pressure/io some …`).
      if (/[0-9]:[0-9][0-9]|[0-9]{9}/.test(prefix)) this.readStampIn(withoutPaths(prefix));
    }
    const kind = m.kind;
    const st = this.stateOf(res);
    const bit = 1 << kind;
    if (st.seen & bit) {
      st.seen = 0;
      st.index++;
    }
    st.seen |= bit;
    let at = this.block;
    if (at.ts !== at.ts) {
      at = this.byIndex;
      placeByIndex(st.index, this.interval, at);
    }
    const ks = this.kindOf(st, res, kind);
    const code = basisCode(at);
    const v = m.values;
    this.series.row(ks.averages, at.ts, code, v, PERCENT);
    this.stall(ks, at, code, v[3]!);
    const warn = kind === FULL && (res === 'io' || res === 'memory') && v[0]! > WARN_FULL_AVG10;
    stampLine(out, at, warn ? Level.warn : Level.info);
  }

  /** Stall share from consecutive cumulative totals; a total that went down (reboot, new cgroup) restarts. */
  private stall(ks: KindState, at: SampleTime, code: number, total: number): void {
    if (at.basis === 'relative') return;
    if (ks.hasLast && at.ts > ks.ts && total >= ks.total) {
      // Stamps have 1 s resolution, so a share computed over a short interval may exceed 100.
      this.series.push(ks.stall, at.ts, code, Math.min(100, ((total - ks.total) / (at.ts - ks.ts)) * 100), '%');
    }
    if (!ks.hasLast || at.ts !== ks.ts) {
      ks.hasLast = true;
      ks.ts = at.ts;
      ks.total = total;
    }
  }

  finish(): ParserExtras {
    return { metrics: this.series.output(), anchors: this.anchors.list };
  }
}

export function createPsiParser(ctx: TimeContext): PsiParser {
  return new PsiParser(ctx);
}

/** Share of non-blank head lines that are PSI lines, or stamps and paths between them. */
function detectPsi(sniff: Sniff): number {
  let data = 0;
  let other = 0;
  for (const line of sniff.lines) {
    if (DATA.test(line)) data++;
    else if (line.trim().length > 0) other++;
  }
  if (data === 0) return 0;
  // Every block may carry a stamp line and a command line: up to two others per PSI line are
  // normal. One PSI line pasted into another log scores low and leaves the file to its format.
  const share = Math.min(1, (3 * data) / (data + other));
  return Math.min(0.97, 0.3 + 0.65 * share + (resourceOf(sniff.path) ? 0.02 : 0));
}

export const psiFormat: FormatDef = {
  id: 'psi',
  title: 'PSI pressure captures (/proc/pressure/*, cgroup *.pressure)',
  origin: 'metrics',
  detect: detectPsi,
  createParser: createPsiParser,
  anchors(sniff) {
    const p = new PsiParser({ year: new Date().getUTCFullYear(), zoneOffsetMin: 0, bootTimeUs: null, path: sniff.path });
    const out: ParsedLine = newParsedLine();
    for (const line of sniff.lines) p.parse(line, out);
    return p.anchors.list;
  },
  samples: [
    { line: '2023-06-02T05:48:10+08:00', iso: '2023-06-01T21:48:10Z', level: Level.info },
    { line: 'Fri Jun  2 05:48:10 CST 2023', iso: '2023-06-01T21:48:10Z', level: Level.info, ctx: { zoneOffsetMin: 480 } },
    { line: 'Fri Jun  2 05:48:10 UTC 2023', iso: '2023-06-02T05:48:10Z', level: Level.info, ctx: { zoneOffsetMin: 480 } },
    { line: '==> 2023-06-02 05:48:10 <==', iso: '2023-06-02T05:48:10Z', level: Level.info },
    { line: '1685684890', iso: '2023-06-02T05:48:10Z', level: Level.info },
    // No stamp anywhere: placed by sample number, relative to boot.
    { line: 'some avg10=0.12 avg60=0.71 avg300=0.30 total=1255301', iso: '1970-01-01T00:00:00Z', level: Level.info },
    { line: '/proc/pressure/io:full avg10=12.00 avg60=0.98 avg300=0.54 total=2503085', iso: '1970-01-01T00:00:00Z', level: Level.warn },
    { line: '2023-06-02T05:48:10Z some avg10=0.00 avg60=1.20 avg300=0.66 total=3032146', iso: '2023-06-02T05:48:10Z', level: Level.info },
    { line: '$ cat /proc/pressure/cpu', iso: null, level: Level.unknown },
  ],
};
