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
  Anchors, SeriesSet, newCollectorInfo, parseNumber, payloadTokens, placeByIndex, placeWall, readCommand, stampLine, untimed,
  type SampleTime,
} from './metric-columns';
import { readLooseStamp, type LooseStamp, type StampHints } from './metric-time';
import type { FormatDef, LineParser, ParsedLine, ParserExtras, Sniff, TimeContext } from './types';

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

class IostatParser implements LineParser {
  private readonly series = new SeriesSet();
  readonly anchors = new Anchors();
  private readonly info = newCollectorInfo();
  private readonly hints: StampHints;
  private readonly stamp: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
  private report: SampleTime = untimed();
  private reportIndex = -1;
  /** A stamp opened a report that has no block yet. */
  private stampPending = false;
  /** Blocks (header texts) seen in the current report: a repeat means the next report. */
  private readonly blocks = new Set<string>();
  private cpuCols: string[] | null = null;
  private devCols: string[] | null = null;
  private devLast = false;
  private interval = 1;

  constructor(private readonly ctx: TimeContext) {
    this.hints = { year: ctx.year, dayFirst: false };
  }

  parse(line: string, out: ParsedLine): void {
    const toks = payloadTokens(line, this.info);
    if (toks.length === 0) return;
    if (this.header(toks, out)) return;
    if (this.cpuCols && toks.length === this.cpuCols.length && this.cpuRow(toks, this.cpuCols, out)) return;
    if (this.devCols && toks.length === this.devCols.length + 1 && this.deviceRow(toks, this.devCols, out)) return;
    out.level = Level.unknown;
    if (isBanner(toks)) return;
    if (toks.length <= 6 && readLooseStamp(toks.join(' '), this.hints, this.stamp)) {
      // A -t stamp opens the next report.
      this.report = untimed();
      this.reportIndex++;
      placeWall(this.stamp.wallUs, this.stamp.offsetMin, this.ctx, this.report, this.stamp.hasYear ? this.anchors : null);
      this.stampPending = true;
      this.blocks.clear();
      this.cpuCols = this.devCols = null;
      stampLine(out, this.report);
      return;
    }
    const cmd = readCommand(toks.join(' '), 'iostat');
    if (cmd && cmd.interval === cmd.interval) this.interval = cmd.interval;
  }

  /** `avg-cpu:` or a device header: the columns of the rows that follow. */
  private header(toks: string[], out: ParsedLine): boolean {
    if (toks[0] === 'avg-cpu:' || toks[0] === 'avg-cpu') {
      this.openBlock(toks.join(' '));
      this.cpuCols = toks.slice(1);
    } else if (isDeviceHeader(toks)) {
      this.openBlock(toks.join(' '));
      this.devLast = toks[toks.length - 1] === 'Device';
      this.devCols = this.devLast ? toks.slice(0, -1) : toks.slice(1);
    } else {
      return false;
    }
    stampLine(out, this.report);
    return true;
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
    this.cpuCols = this.devCols = null;
  }

  private cpuRow(toks: string[], cols: string[], out: ParsedLine): boolean {
    const values = toks.map((t) => parseNumber(t));
    if (values.some((v) => v !== v)) return false;
    cols.forEach((c, k) => this.series.add(`iostat.cpu.${iostatColumn(c)}`, this.report, values[k]!, unitOf(c)));
    this.cpuCols = null;
    stampLine(out, this.report);
    return true;
  }

  /** False when the row does not fit: cut short (the last line of a paste) or only looking like one. */
  private deviceRow(toks: string[], cols: string[], out: ParsedLine): boolean {
    const device = this.devLast ? toks[toks.length - 1]! : toks[0]!;
    const cells = this.devLast ? toks.slice(0, -1) : toks.slice(1);
    const values = cells.map((t) => parseNumber(t, this.devLast));
    if (values.filter((v) => v === v).length < Math.ceil(values.length / 2)) return false;
    let warn = false;
    cols.forEach((c, k) => {
      const v = values[k]!;
      this.series.add(`iostat.${device}.${iostatColumn(c)}`, this.report, v, unitOf(c));
      if ((c === '%util' && v > 90) || ((c === 'w_await' || c === 'await') && v > 100)) warn = true;
    });
    stampLine(out, this.report, warn ? Level.warn : Level.info);
    return true;
  }

  finish(): ParserExtras {
    return { metrics: this.series.output(), anchors: this.anchors.list };
  }
}

export function createIostatParser(ctx: TimeContext): IostatParser {
  return new IostatParser(ctx);
}

function detectIostat(sniff: Sniff): number {
  const info = newCollectorInfo();
  let score = 0;
  for (const line of sniff.lines) {
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
    const out: ParsedLine = { ts: NaN, local: false, relative: false, level: 0, origin: null, continuation: false };
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
