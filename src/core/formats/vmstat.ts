// procps-ng `vmstat` (FORMATS.md §8): narrow and `-w` wide layouts, procps 3 and 4 (`--procs--`,
// `gu`), `-a` (inact/active), `-t`/`--timestamp`. Rows are split on whitespace (values overflow
// their columns) and mapped by the last header; headers repeat mid-file, sometimes with another
// zone. Rows without a header (a grep'ed excerpt) get the standard column set by their count.
//
// Series: vmstat.<column> (vmstat.r, vmstat.b, vmstat.bi, vmstat.wa, ...).
// Time: the timestamp column is the node's wall clock; the header's zone abbreviation makes it
// absolute when it is unambiguous (UTC, JST, CEST, `+03`, ...), else it is placed with the
// context zone (CST, IST, ...). Without `-t`, row n sits at n × interval seconds (interval from
// `$ vmstat 5`, else 1), basis 'relative'. The first row (averages since boot) is kept.
import { Level } from '../model';
import { newIsoStamp, readIsoStamp } from '../time/civil';
import {
  Anchors, SeriesSet, Tokens, basisCode, newCollectorInfo, payloadTokens, placeByIndex, placeWall, readCommand, stampLine, untimed,
  mentionsNone, overBounds, warnBounds, type RowTable, type SampleTime, type WarnBounds,
} from './metric-columns';
import { zoneOffsetOf } from './metric-time';
import { newParsedLine, type FormatDef, type LineParser, type ParsedLine, type ParserExtras, type Sniff, type TimeContext } from './types';

const NARROW = ['r', 'b', 'swpd', 'free', 'buff', 'cache', 'si', 'so', 'bi', 'bo', 'in', 'cs', 'us', 'sy', 'id', 'wa', 'st'];
const NARROW_GU = [...NARROW, 'gu'];
const KNOWN = new Set([...NARROW, 'inact', 'active', 'gu']);
const MEMORY = new Set(['swpd', 'free', 'buff', 'cache', 'inact', 'active']);
const CPU = new Set(['us', 'sy', 'id', 'wa', 'st', 'gu']);
/** `-S` letters (procps): k = 1000, K = 1024, m = 1000², M = 1024² bytes. */
const UNITS: Readonly<Record<string, string>> = { k: 'kB', K: 'KiB', m: 'MB', M: 'MiB' };

/** A row warns on wa > 30 or b > 4. */
function warnAbove(col: string): number {
  return col === 'wa' ? 30 : col === 'b' ? 4 : Infinity;
}

function isTitleLine(toks: string[]): boolean {
  return /^-*procs-*$/.test(toks[0] ?? '') && toks.some((t) => t.includes('memory'));
}

function isColumnLine(toks: string[]): boolean {
  return toks[0] === 'r' && toks[1] === 'b' && (toks.includes('free') || toks.includes('swpd'));
}

/** A column set with its series, their rows and warning bounds (a row warns on wa > 30 or b > 4). */
interface Columns {
  cols: string[];
  table: RowTable;
  warn: WarnBounds;
  /** The usual row of these columns (see quickRow); null when too few for it. */
  quick: RegExp | null;
}

/**
 * A row of n numbers, then maybe the two tokens of a `-t` stamp, ASCII blanks only (other
 * blanks, an ANSI escape, a second CR: the general path). With four columns or more the first
 * colon, in the stamp, is too far into the line for payloadStart to see a paste layer.
 */
function quickRow(n: number): RegExp | null {
  // vmstat prints ~17-19 columns; a hostile header of thousands would build a pattern V8 cannot compile.
  if (n < 4 || n > 64) return null;
  const next = String.raw`[ \t]+(\d+)`.repeat(n - 1);
  return new RegExp(String.raw`^[ \t]*(\d+)${next}(?:[ \t]+(\d{4}-\d\d-\d\d \S+))?[ \t]*\r?$`);
}

class VmstatParser implements LineParser {
  private readonly series = new SeriesSet();
  readonly anchors = new Anchors();
  private readonly info = newCollectorInfo();
  private readonly toks = new Tokens();
  private readonly iso = newIsoStamp();
  private readonly at = untimed();
  private values = new Float64Array(32);
  private cols: Columns | null = null;
  /** Column sets by their names joined (headers repeat mid-file). */
  private readonly columnSets = new Map<string, Columns>();
  /** Header zone: minutes east of UTC, NaN when absent or ambiguous (then the context zone). */
  private zone = NaN;
  private rowIndex = 0;
  private interval = 1;
  private memUnit = 'KiB';

  constructor(private readonly ctx: TimeContext) {}

  parse(line: string, out: ParsedLine): void {
    if (this.quickRow(line, out)) return;
    const t = this.toks;
    t.scan(line, this.info);
    if (t.n === 0) return;
    const c = t.line.charCodeAt(t.start(0));
    let toks: string[] | null = null;
    if (c >= 48 && c <= 57) {
      // A title or column line starts with `-`, `p` or `r`: this is a row or nothing.
      if (this.row(t, out)) return;
    } else {
      toks = t.strings();
      if (isTitleLine(toks)) {
        out.continuation = true;
        return;
      }
      if (isColumnLine(toks)) {
        let n = 0;
        while (n < toks.length && KNOWN.has(toks[n]!)) n++;
        this.cols = this.columns(toks.slice(0, n));
        // With -t the header ends with the zone (`strftime("%Z")`), right-aligned over the stamp.
        this.zone = n < toks.length ? zoneOffsetOf(toks[toks.length - 1]!) : NaN;
        out.continuation = true;
        return;
      }
    }
    const cmd = readCommand(toks ? toks.join(' ') : t.joined(), 'vmstat');
    if (cmd) {
      if (cmd.interval === cmd.interval) this.interval = cmd.interval;
      this.memUnit = UNITS[cmd.unit] ?? this.memUnit;
    }
    out.level = Level.unknown;
  }

  private columns(cols: string[]): Columns {
    const key = cols.join(' ');
    let set = this.columnSets.get(key);
    if (!set) {
      set = {
        cols,
        table: this.series.table(cols.map((c) => this.series.handle(`vmstat.${c}`))),
        warn: warnBounds(cols, warnAbove),
        quick: quickRow(cols.length),
      };
      this.columnSets.set(key, set);
    }
    return set;
  }

  /** The column set of a row of n numbers: the last header's, else the standard one of that count. */
  private columnsFor(n: number): Columns | null {
    const cols = this.cols ?? (n === 17 ? this.columns(NARROW) : n === 18 ? this.columns(NARROW_GU) : null);
    return cols && n === cols.cols.length ? cols : null;
  }

  /** A data row: false when it does not fit (cut short, garbled, not vmstat). */
  private row(t: Tokens, out: ParsedLine): boolean {
    let n = 0;
    while (n < t.n && t.isDigits(n)) n++;
    const cols = this.columnsFor(n);
    if (!cols) return false;
    if (t.n === n + 2) {
      if (!this.readStamp(t, n)) return false;
    } else if (t.n !== n) {
      return false;
    }
    if (this.values.length < n) this.values = new Float64Array(n);
    const values = this.values;
    for (let k = 0; k < n; k++) values[k] = t.number(k, false);
    this.put(cols, t.n > n, out);
    return true;
  }

  /**
   * The usual row after a header, whole: its numbers and maybe `YYYY-MM-DD hh:mm:ss`, matched
   * by the column set's regex. A file is parsed once, mostly before the JIT has optimized
   * anything, and there a regex (native code) and `+` on its captures cost a fraction of the
   * general path (paste layers, tokens, numbers read char by char). False for any other line,
   * having changed nothing: the general path reads it. What matches reads the same on both.
   */
  private quickRow(line: string, out: ParsedLine): boolean {
    const cols = this.cols;
    const m = cols?.quick?.exec(line);
    if (!cols || !m) return false;
    const n = cols.cols.length;
    const stamp = m[n + 1];
    if (stamp !== undefined && !(readIsoStamp(stamp, 0, stamp.length, this.iso) && this.iso.end === stamp.length)) return false;
    const at = this.place(stamp !== undefined);
    // The numbers go to the table as `+` reads them (`\d+`: as decimalAt does), no array between.
    this.series.rowOfTexts(cols.table, at.ts, basisCode(at), m, 1, this.unitsOf(cols));
    stampLine(out, at, overBounds(cols.warn, m, 1) ? Level.warn : Level.info);
    return true;
  }

  /** Row values[0, n) of these columns, at the stamp just read (`stamped`) or by row number. */
  private put(cols: Columns, stamped: boolean, out: ParsedLine): void {
    const at = this.place(stamped);
    const values = this.values;
    const warn = overBounds(cols.warn, values);
    this.series.row(cols.table, at.ts, basisCode(at), values, this.unitsOf(cols));
    stampLine(out, at, warn ? Level.warn : Level.info);
  }

  /** The next row's time: the stamp just read (`stamped`), else its number. */
  private place(stamped: boolean): SampleTime {
    const at = this.at;
    if (stamped) placeWall(this.iso.wallUs, this.zone, this.ctx, at, this.anchors);
    else placeByIndex(this.rowIndex, this.interval, at);
    this.rowIndex++;
    return at;
  }

  /** The units of a column set, while some of its series have no sample yet (SeriesSet.row reads them). */
  private unitsOf(cols: Columns): (string | undefined)[] | null {
    return cols.table.pending > 0 ? cols.cols.map((c) => this.unitOf(c)) : null;
  }

  /** Tokens k and k + 1 are exactly an ISO date and time (`2023-03-09 07:17:12`). */
  private readStamp(t: Tokens, k: number): boolean {
    const start = t.start(k);
    const end = t.end(k + 1);
    if (t.start(k + 1) === t.end(k) + 1 && t.line.charCodeAt(t.end(k)) === 32) {
      // One space between: the two tokens are that text of the line, and what follows is blank.
      return readIsoStamp(t.line, start, end, this.iso) && this.iso.end === end;
    }
    const text = `${t.str(k)} ${t.str(k + 1)}`;
    return readIsoStamp(text, 0, text.length, this.iso) && this.iso.end === text.length;
  }

  private unitOf(c: string): string | undefined {
    if (MEMORY.has(c)) return this.memUnit;
    if (CPU.has(c)) return '%';
    if (c === 'si' || c === 'so') return `${this.memUnit}/s`;
    if (c === 'bi' || c === 'bo') return 'blocks/s';
    return c === 'in' || c === 'cs' ? '/s' : undefined;
  }

  finish(): ParserExtras {
    return { metrics: this.series.output(), anchors: this.anchors.list };
  }
}

export function createVmstatParser(ctx: TimeContext): VmstatParser {
  return new VmstatParser(ctx);
}

/** Words a column line (`free`, `swpd`) or a title line (`procs`) has: a line with none is neither. */
const HEADER_HINTS = ['procs', 'free', 'swpd'];

function detectVmstat(sniff: Sniff): number {
  const info = newCollectorInfo();
  let title = false;
  for (const line of sniff.lines) {
    if (mentionsNone(line, HEADER_HINTS)) continue;
    const toks = payloadTokens(line, info);
    if (isColumnLine(toks)) return title ? 0.95 : 0.85;
    if (isTitleLine(toks)) title = true;
  }
  return title ? 0.6 : 0;
}

export const vmstatFormat: FormatDef = {
  id: 'vmstat',
  title: 'procps vmstat output',
  origin: 'metrics',
  detect: detectVmstat,
  createParser: createVmstatParser,
  anchors(sniff) {
    const p = new VmstatParser({ year: new Date().getUTCFullYear(), zoneOffsetMin: 0, bootTimeUs: null });
    const out: ParsedLine = newParsedLine();
    for (const line of sniff.lines) p.parse(line, out);
    return p.anchors.list;
  },
  samples: [
    { line: 'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu----- -----timestamp-----', iso: null, continuation: true },
    { line: ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 UTC', iso: null, continuation: true },
    // Alone (no header seen), the stamp is wall clock in the context zone.
    { line: ' 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:17:12', iso: '2023-03-09T07:17:12Z', level: Level.info },
    { line: ' 0  0      0   1289     73    592    0    0     0     0   59   97  0  0 100  0  0 2023-03-09 07:17:13', iso: '2023-03-08T22:17:13Z', level: Level.info, ctx: { zoneOffsetMin: 540 } },
    { line: '   1    0            0       776970       103326      2684833    0    0     0     0  337    2  60  39   0   0   0   0 2026-07-05 19:55:00', iso: '2026-07-05T19:55:00Z', level: Level.info },
    { line: '13 16      0 50618259  27234 4639164    0    0   944 193298 6939 11626 39 22  0 44  0 2024-01-19 20:55:37', iso: '2024-01-19T20:55:37Z', level: Level.warn },
    // No -t: row n at n seconds (relative to boot).
    { line: ' 2  0      0 110592  20480 512000    0    0     5    12   80  150  1  1 98  0  0', iso: '1970-01-01T00:00:00Z', level: Level.info },
    { line: '$ vmstat -t -S m 1', iso: null, level: Level.unknown },
  ],
};
