// sysstat `iostat` reports (FORMATS.md §7), with or without `-x`, `-t`, `-c`, `-d`: columns are
// mapped by header name across the generations (`Device:` ≤ 11.5.6, `aqu-sz` 11.5.7+, discard
// and flush columns 12.x, `Device` last with `-h`/`--pretty`). Numbers may use a decimal comma.
//
// Series: iostat.<device>.<column> and iostat.cpu.<column>, where the column is the header name
// without `%` and with `/` and `-` as `_` (`%util` → util, `w/s` → w_s, `rareq-sz` → rareq_sz).
// Renamed columns get one name: `avgqu-sz` (≤ 11.5.6) and `aqu-sz` → aqu_sz. `avgrq-sz` stays
// avgrq_sz: it counts sectors, not kB like rareq_sz / wareq_sz.
//
// Time: a `-t` stamp opens each report (C `06/29/20 07:52:20` and en_US 12-hour stamps are wall
// clock placed with the context zone; ISO `%FT%T%z` and `-U` epoch are absolute). Without
// stamps, report n sits at n × interval seconds (interval from `$ iostat -x 5`, else 1),
// basis 'relative'. The first report averages since boot; it is kept like the others.
import { Level } from '../model';
import {
  Anchors, SeriesSet, Tokens, basisCode, newCollectorInfo, payloadTokens, placeByIndex, placeWall, readCommand, stampLine, untimed,
  mentionsNone, overBounds, warnBounds, type RowTable, type SampleTime, type WarnBounds,
} from './metric-columns';
import { JsonLine, looksLikeJson, readJsonLine, type JsonRow } from './iostat-json';
import { isCStamp, readLooseStamp, type LooseStamp, type StampHints } from './metric-time';
import { newParsedLine, type FormatDef, type LineParser, type ParsedLine, type ParserExtras, type Sniff, type TimeContext } from './types';

/** Canonical names of columns renamed between sysstat versions. */
const RENAMED: Readonly<Record<string, string>> = { 'avgqu-sz': 'aqu_sz' };

export function iostatColumn(header: string): string {
  return RENAMED[header] ?? header.replace(/^%/, '').replace(/[/-]/g, '_');
}

function unitOf(header: string): string | undefined {
  if (header.startsWith('%')) return '%';
  if (/await$|^svctm$/.test(header)) return 'ms';
  if (header === 'avgrq-sz') return 'sectors';
  if (/req-sz$/.test(header)) return 'kB';
  const rate = /^[a-z]*(kB|MB|sec|Blk)[_a-z]*\/s$/.exec(header);
  if (rate) return rate[1] === 'sec' || rate[1] === 'Blk' ? 'sectors/s' : `${rate[1]}/s`;
  if (header.endsWith('/s') || header === 'tps') return '/s';
  return undefined;
}

/** A device row warns when one of these columns is above its bound. */
function warnAbove(header: string): number {
  if (header === '%util') return 90;
  return header === 'w_await' || header === 'await' ? 100 : Infinity;
}

const DEVICE_HEADER = /^Device:?$/;
/** Column names only iostat prints: tells a device header from text that starts with `Device`. */
const IOSTAT_COLUMN = /^(%util|tps|r\/s|w\/s|rkB\/s|kB_read\/s|Blk_read\/s|rrqm\/s|aqu-sz|avgqu-sz)$/;

function isDeviceHeader(toks: string[]): boolean {
  const first = toks[0] ?? '';
  const last = toks[toks.length - 1] ?? '';
  return toks.length >= 3 && (DEVICE_HEADER.test(first) || last === 'Device') && toks.some((t) => IOSTAT_COLUMN.test(t));
}

function isBanner(toks: string[]): boolean {
  return toks[toks.length - 1] === 'CPU)' && toks.some((t) => /^_\w+_$/.test(t)) && toks.some((t) => t.startsWith('('));
}

/** The columns a header announces, read once per distinct header text. */
interface Columns {
  /** Header names as printed (`%util`, `w/s`). */
  cols: string[];
  /** Series names (`util`, `w_s`) and units, by column. */
  names: string[];
  units: (string | undefined)[];
  warn: WarnBounds;
  /** The usual row under this header (see IostatParser.quick); null for `-h` layouts. */
  quick: RegExp | null;
}

interface Block {
  /** The header's tokens joined: a repeat within a report starts the next report. */
  key: string;
  cpu: (Columns & { table: RowTable }) | null;
  /** Device rows: a table per device. */
  dev: (Columns & { last: boolean; devices: Map<string, RowTable> }) | null;
}

/** iostat -x prints up to ~25 columns; wider headers take the general path. */
const MAX_QUICK_COLUMNS = 64;
/** Distinct header texts kept per file (headers repeat; a hostile file may vary them). */
const MAX_HEADERS = 256;

function columnsOf(cols: string[], quick: RegExp | null): Columns {
  return { cols, names: cols.map(iostatColumn), units: cols.map(unitOf), warn: warnBounds(cols, warnAbove), quick };
}

/**
 * The usual row of n plain numbers (`12`, `12.50`), after the device name for a device row:
 * ASCII blanks only and nothing else but a final CR. No colon, ANSI escape or other blank can
 * match, so such a row has no paste layer and tokenizes the same on the general path.
 */
function quickRow(n: number, device: boolean): RegExp | null {
  // A hostile header of thousands of columns would build a pattern V8 cannot compile.
  if (n === 0 || n > MAX_QUICK_COLUMNS) return null;
  const first = device ? String.raw`([^\s:\x1b]+)` : String.raw`(\d+(?:\.\d+)?)`;
  const next = String.raw`[ \t]+(\d+(?:\.\d+)?)`.repeat(device ? n : n - 1);
  return new RegExp(String.raw`^[ \t]*${first}${next}[ \t]*\r?$`);
}

/** First tokens the general path takes for a header, never a device row's (names with a colon never match). */
const HEADER_WORDS = new Set(['avg-cpu', 'Device']);

class IostatParser implements LineParser {
  private readonly series = new SeriesSet();
  readonly anchors = new Anchors();
  private readonly info = newCollectorInfo();
  private readonly toks = new Tokens();
  private readonly hints: StampHints;
  private readonly stamp: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
  private report: SampleTime = untimed();
  private reportIndex = -1;
  /** A stamp opened a report that has no block yet. */
  private stampPending = false;
  /** Blocks (header texts) seen in the current report: a repeat means the next report. */
  private readonly blocks = new Set<string>();
  /** Headers by their payload text (same text, same tokens; null: starts like one, is not). */
  private readonly headers = new Map<string, Block | null>();
  /** Lines that were headers → their payload text (the same line text has the same payload). */
  private readonly headerLines = new Map<string, string>();
  /** A header with `Device` last (`-h`) was seen: such headers start with any column. */
  private hasHumanHeader = false;
  /** Paste layers of the last header (`grep -n`, a CI stamp): its rows have as many. */
  private layers = 0;
  private cpu: Block['cpu'] = null;
  private dev: Block['dev'] = null;
  private interval = 1;
  private values = new Float64Array(32);
  /** `-o JSON`: inside `statistics` (its `{` lines open reports), and a report opened without its rows yet. */
  private jsonStats = false;
  private jsonOpen = false;
  private readonly jsonRow: JsonRow = { kind: JsonLine.other, text: '', headers: [], values: [] };
  /** `-o JSON` column sets by their header names (cpu or device). */
  private readonly jsonBlocks = new Map<string, Block>();

  constructor(private readonly ctx: TimeContext) {
    this.hints = { year: ctx.year, dayFirst: false };
  }

  parse(line: string, out: ParsedLine): void {
    if (this.quick(line, out)) return;
    const t = this.toks;
    t.begin(line, this.info);
    // Headers repeat with every report: a header seen before is known by its text, untokenized.
    const c = t.firstChar();
    if ((c === 34 || c === 123) && this.json(t, out)) return;
    if ((c === 97 || c === 68 || this.hasHumanHeader) && this.headers.size > 0) {
      const text = t.payload();
      const block = this.headers.get(text);
      if (block) {
        this.rememberHeader(line, t, text);
        this.useHeader(block, out, t.layers);
        return;
      }
    }
    t.tokenize();
    if (t.n === 0) return;
    if (this.header(t, line, out)) return;
    // Paste layers prefix every line alike: a row under a header has the header's, and what
    // looked like one more is the start of a `-j PATH` device name (`pci-0000:00:1f.2-ata-1`).
    if (this.dev !== null && !this.dev.last && t.layers > this.layers) {
      t.begin(line, this.info, this.layers);
      t.tokenize();
    }
    const n = t.n;
    if (this.cpu && n === this.cpu.cols.length && this.cpuRow(t, this.cpu, out)) return;
    if (this.dev && n === this.dev.cols.length + 1 && this.deviceRow(t, this.dev, out)) return;
    out.level = Level.unknown;
    if (t.is(n - 1, 'CPU)') && isBanner(t.strings())) return;
    if (n <= 6 && this.stamped(t.joined(), out)) return;
    const cmd = readCommand(t.joined(), 'iostat');
    if (cmd && cmd.interval === cmd.interval) this.interval = cmd.interval;
  }

  /**
   * The lines of a usual report, each known whole by one test: a blank line, a header seen
   * before, a C-locale stamp, a row of plain numbers under its header. A file is parsed once,
   * mostly before the JIT has optimized anything, and there a native regex costs a fraction of
   * the general path (paste layers, tokens, numbers read char by char). False for any other
   * line, having changed nothing: the general path reads it, the same way.
   */
  private quick(line: string, out: ParsedLine): boolean {
    if (line.length === 0) return true;
    const c = line.charCodeAt(0);
    if (c === 97 || c === 68) {
      const key = this.headerLines.get(line);
      const block = key === undefined ? undefined : this.headers.get(key);
      if (block) {
        // Only headers read without a paste layer are known by their line (rememberHeader).
        this.useHeader(block, out, 0);
        return true;
      }
    }
    if (c >= 48 && c <= 57 && isCStamp(line)) return this.stamped(line, out);
    // The numbers go to the table as `+` reads them (as decimalAt does), no array between.
    const report = this.report;
    const cpu = this.cpu;
    if (cpu !== null) {
      const m = cpu.quick?.exec(line);
      if (!m) return false;
      this.series.rowOfTexts(cpu.table, report.ts, basisCode(report), m, 1, cpu.units);
      this.cpu = null;
      stampLine(out, report);
      return true;
    }
    const dev = this.dev;
    const m = dev?.quick?.exec(line);
    if (!dev || !m || HEADER_WORDS.has(m[1]!)) return false;
    this.series.rowOfTexts(this.deviceTable(dev, m[1]!), report.ts, basisCode(report), m, 2, dev.units);
    stampLine(out, report, overBounds(dev.warn, m, 2) ? Level.warn : Level.info);
    return true;
  }

  /** A line of `-o JSON` output; false when it is none of the lines read. */
  private json(t: Tokens, out: ParsedLine): boolean {
    const row = this.jsonRow;
    const kind = readJsonLine(t.line, t.from, t.to, row);
    if (kind === JsonLine.other) {
      if (t.line.startsWith('"statistics"', t.from)) this.jsonStats = true;
      out.level = Level.unknown;
      return true;
    }
    if (kind === JsonLine.open) {
      this.jsonOpen = this.jsonStats;
      out.level = Level.unknown;
      return true;
    }
    if (kind === JsonLine.stamp) {
      this.jsonOpen = false;
      if (!this.stamped(row.text, out)) out.level = Level.unknown;
      return true;
    }
    if (this.jsonOpen) {
      // A report without `-t`: placed by its number, as text reports are.
      this.jsonOpen = false;
      this.reportIndex++;
      this.report = untimed();
      placeByIndex(this.reportIndex, this.interval, this.report);
    }
    const cpu = kind === JsonLine.cpu;
    const key = `${cpu ? 'cpu' : 'dev'} ${row.headers.join(' ')}`;
    let block: Block | null | undefined = this.jsonBlocks.get(key);
    if (!block) {
      block = this.readHeader(cpu ? ['avg-cpu:', ...row.headers] : ['Device', ...row.headers], cpu);
      if (!block || this.jsonBlocks.size >= MAX_HEADERS) return false;
      this.jsonBlocks.set(key, block);
    }
    const report = this.report;
    if (block.cpu) {
      this.series.row(block.cpu.table, report.ts, basisCode(report), row.values, block.cpu.units);
      stampLine(out, report);
    } else if (block.dev) {
      this.series.row(this.deviceTable(block.dev, row.text), report.ts, basisCode(report), row.values, block.dev.units);
      stampLine(out, report, overBounds(block.dev.warn, row.values) ? Level.warn : Level.info);
    }
    return true;
  }

  /** A `-t` stamp opens the next report; false when the text is none. */
  private stamped(text: string, out: ParsedLine): boolean {
    if (!readLooseStamp(text, this.hints, this.stamp)) return false;
    this.report = untimed();
    this.reportIndex++;
    placeWall(this.stamp.wallUs, this.stamp.offsetMin, this.ctx, this.report, this.stamp.hasYear ? this.anchors : null);
    this.stampPending = true;
    this.blocks.clear();
    this.cpu = this.dev = null;
    stampLine(out, this.report);
    return true;
  }

  /** `avg-cpu:` or a device header (of the raw `line`): the columns of the rows that follow. */
  private header(t: Tokens, line: string, out: ParsedLine): boolean {
    const n = t.n;
    const cpu = t.is(0, 'avg-cpu:') || t.is(0, 'avg-cpu');
    if (!cpu && !(n >= 3 && (t.is(0, 'Device') || t.is(0, 'Device:') || t.is(n - 1, 'Device')))) return false;
    const text = t.payload();
    let block = this.headers.get(text);
    if (block === undefined) {
      block = this.readHeader(t.strings(), cpu);
      if (this.headers.size >= MAX_HEADERS) {
        this.headers.clear();
        this.headerLines.clear();
      }
      this.headers.set(text, block);
      if (block?.dev?.last) this.hasHumanHeader = true;
    }
    if (block === null) return false;
    this.rememberHeader(line, t, text);
    this.useHeader(block, out, t.layers);
    return true;
  }

  /**
   * A header line by its text, for quick(); `line` is the raw line when t.line is (no ANSI escape
   * dropped). Only lines without a paste layer: quick() takes them for unlayered (see `layers`).
   */
  private rememberHeader(line: string, t: Tokens, text: string): void {
    if (line === t.line && t.layers === 0 && this.headerLines.size < MAX_HEADERS) this.headerLines.set(line, text);
  }

  private useHeader(block: Block, out: ParsedLine, layers: number): void {
    this.layers = layers;
    this.openBlock(block.key);
    this.cpu = block.cpu;
    this.dev = block.dev;
    stampLine(out, this.report);
  }

  private readHeader(toks: string[], cpu: boolean): Block | null {
    if (cpu) {
      const cols = columnsOf(toks.slice(1), quickRow(toks.length - 1, false));
      const table = this.series.table(cols.names.map((name) => this.series.handle(`iostat.cpu.${name}`)));
      return { key: toks.join(' '), cpu: { ...cols, table }, dev: null };
    }
    if (!isDeviceHeader(toks)) return null;
    const last = toks[toks.length - 1] === 'Device';
    const cols = columnsOf(last ? toks.slice(0, -1) : toks.slice(1), last ? null : quickRow(toks.length - 1, true));
    return { key: toks.join(' '), cpu: null, dev: { ...cols, last, devices: new Map() } };
  }

  /** A header: part of the stamped report just opened, or of the current one, or the next report. */
  private openBlock(header: string): void {
    if (this.stampPending) this.stampPending = false;
    else if (this.reportIndex < 0 || this.blocks.has(header)) {
      this.reportIndex++;
      this.report = untimed();
      placeByIndex(this.reportIndex, this.interval, this.report);
      this.blocks.clear();
    }
    this.blocks.add(header);
    this.cpu = this.dev = null;
  }

  private valuesFor(n: number): Float64Array {
    if (this.values.length < n) this.values = new Float64Array(n);
    return this.values;
  }

  private cpuRow(t: Tokens, cpu: NonNullable<Block['cpu']>, out: ParsedLine): boolean {
    const n = cpu.cols.length;
    const values = this.valuesFor(n);
    for (let k = 0; k < n; k++) {
      // `--human` (alone or through `-h`) prints the avg-cpu figures with a `%` sign too.
      const v = t.number(k, true);
      if (v !== v) return false;
      values[k] = v;
    }
    this.series.row(cpu.table, this.report.ts, basisCode(this.report), values, cpu.units);
    this.cpu = null;
    stampLine(out, this.report);
    return true;
  }

  /** False when the row does not fit: cut short (the last line of a paste) or only looking like one. */
  private deviceRow(t: Tokens, dev: NonNullable<Block['dev']>, out: ParsedLine): boolean {
    const n = dev.cols.length;
    const first = dev.last ? 0 : 1;
    const values = this.valuesFor(n);
    let valid = 0;
    for (let k = 0; k < n; k++) {
      // `--human` suffixes (`20.0k`, `3.9M`, `12.5%`) come with the device first as well: only
      // `-h` moves it last, `--human` alone does not.
      const v = t.number(k + first, true);
      values[k] = v;
      if (v === v) valid++;
    }
    if (valid < Math.ceil(n / 2)) return false;
    const device = t.str(dev.last ? n : 0);
    this.series.row(this.deviceTable(dev, device), this.report.ts, basisCode(this.report), values, dev.units);
    stampLine(out, this.report, overBounds(dev.warn, values) ? Level.warn : Level.info);
    return true;
  }

  private deviceTable(dev: NonNullable<Block['dev']>, device: string): RowTable {
    let table = dev.devices.get(device);
    if (!table) {
      table = this.series.table(dev.names.map((name) => this.series.handle(`iostat.${device}.${name}`)));
      dev.devices.set(device, table);
    }
    return table;
  }

  finish(): ParserExtras {
    return { metrics: this.series.output(), anchors: this.anchors.list };
  }
}

export function createIostatParser(ctx: TimeContext): IostatParser {
  return new IostatParser(ctx);
}

/** Words a header (`avg-cpu:`, `Device`) or the banner (ending `CPU)`) has: a line with none is neither. */
const HEADER_HINTS = ['Device', 'avg-cpu:', 'CPU)'];

function detectIostat(sniff: Sniff): number {
  if (looksLikeJson(sniff.lines)) return 0.95;
  const info = newCollectorInfo();
  let score = 0;
  for (const line of sniff.lines) {
    if (mentionsNone(line, HEADER_HINTS)) continue;
    const toks = payloadTokens(line, info);
    if (toks[0] === 'avg-cpu:' || isDeviceHeader(toks)) return 0.95;
    if (isBanner(toks)) score = 0.6;
  }
  return score;
}

export const iostatFormat: FormatDef = {
  id: 'iostat',
  title: 'sysstat iostat reports',
  origin: 'metrics',
  detect: detectIostat,
  createParser: createIostatParser,
  anchors(sniff) {
    const p = new IostatParser({ year: new Date().getUTCFullYear(), zoneOffsetMin: 0, bootTimeUs: null });
    const out: ParsedLine = newParsedLine();
    for (const line of sniff.lines) p.parse(line, out);
    return p.anchors.list;
  },
  samples: [
    { line: 'Linux 1.2.3-TEST (SYSSTAT.TEST) \t06/01/20 \t_x86_64_\t(9 CPU)', iso: null, level: Level.unknown },
    { line: '06/29/20 07:52:20', iso: '2020-06-29T07:52:20Z', level: Level.info },
    { line: '06/29/2020 07:52:20 PM', iso: '2020-06-29T10:52:20Z', level: Level.info, ctx: { zoneOffsetMin: 540 } },
    { line: '29.06.2020 07:52:20', iso: '2020-06-29T05:52:20Z', level: Level.info, ctx: { zoneOffsetMin: 120 } },
    { line: '2020-06-29T07:52:20+0200', iso: '2020-06-29T05:52:20Z', level: Level.info },
    // Without -t: report n at n seconds (relative to boot).
    { line: 'avg-cpu:  %user   %nice %system %iowait  %steal   %idle', iso: '1970-01-01T00:00:00Z', level: Level.info },
    {
      line: 'Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util',
      iso: '1970-01-01T00:00:00Z', level: Level.info,
    },
    { line: 'Device:         rrqm/s   wrqm/s     r/s     w/s    rkB/s    wkB/s avgrq-sz avgqu-sz   await r_await w_await  svctm  %util', iso: '1970-01-01T00:00:00Z', level: Level.info },
    { line: '$ iostat -xt 5', iso: null, level: Level.unknown },
  ],
};
