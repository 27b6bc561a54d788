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
import { Anchors, SeriesSet, newCollectorInfo, payloadStart, placeByIndex, placeWall, stampLine, untimed, type MetricContext, type SampleTime } from './metric-columns';
import { readLooseStamp, type LooseStamp, type StampHints } from './metric-time';
import { stripAnsi } from './dmesg-line';
import { lineEnd } from './prefix';
import type { FormatDef, LineParser, ParsedLine, ParserExtras, Sniff, TimeContext } from './types';

const PCT = '[0-9]+(?:[.,][0-9]+)?';
const DATA = new RegExp(`(?:^|[\\s:])(some|full)\\s+avg10=(${PCT})\\s+avg60=(${PCT})\\s+avg300=(${PCT})\\s+total=([0-9]+)\\s*$`);
const RESOURCE = /(?:pressure|psi)[/_.-](cpu|io|memory|irq)\b|\b(cpu|io|memory|irq)\.pressure\b/;
/** `sleep 10` in a shell loop or `watch -n 10`: the interval of untimed samples. */
const INTERVAL = /\b(?:sleep|watch\s+-n)\s+([0-9]+(?:\.[0-9]+)?)\b/;
/** Full pressure of these resources above this avg10 (%) marks the line as a warning. */
const WARN_FULL_AVG10 = 10;

export function resourceOf(text: string): string | null {
  const m = RESOURCE.exec(text);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

interface KindState {
  ts: number;
  total: number;
}

interface ResourceState {
  /** Kinds already read in the current sample: a repeat starts the next one. */
  seen: Set<string>;
  /** Sample number, for files without any stamp. */
  index: number;
  last: Map<string, KindState>;
}

class PsiParser implements LineParser {
  private readonly series = new SeriesSet();
  readonly anchors = new Anchors();
  private readonly hints: StampHints;
  private readonly stamp: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
  private readonly info = newCollectorInfo();
  private readonly states = new Map<string, ResourceState>();
  private block: SampleTime = untimed();
  private resource: string;
  private interval = 1;

  constructor(private readonly ctx: MetricContext) {
    this.hints = { year: ctx.year, dayFirst: false };
    this.resource = resourceOf(ctx.path ?? '') ?? 'unknown';
  }

  parse(line: string, out: ParsedLine): void {
    const end = lineEnd(line);
    const text = line.indexOf('\u001b') >= 0 ? stripAnsi(line, end) : line.slice(0, end);
    const m = DATA.exec(text);
    if (m) {
      this.sample(text.slice(0, m.index), m, out);
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
   * log-UI export stamp is the capture's own time), then from the whole text (a collector stamp
   * on a line with no other), then past the undated layers that hide a collector stamp.
   */
  private readStampIn(text: string): boolean {
    const start = payloadStart(text, text.length, this.info);
    return (start > 0 && this.readStamp(text.slice(start))) || this.readStamp(text) || this.readStamp(this.afterUndatedLayers(text));
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
    return text.slice(i);
  }

  /** A stamp line (or prefix) starts a block: every resource begins a new sample. */
  private readStamp(text: string): boolean {
    if (!readLooseStamp(text, this.hints, this.stamp)) return false;
    this.block = untimed();
    placeWall(this.stamp.wallUs, this.stamp.offsetMin, this.ctx, this.block, this.stamp.hasYear ? this.anchors : null);
    for (const st of this.states.values()) st.seen.clear();
    return true;
  }

  private sample(prefix: string, m: RegExpExecArray, out: ParsedLine): void {
    const res = resourceOf(prefix) ?? this.resource;
    if (/[0-9]:[0-9][0-9]|[0-9]{9}/.test(prefix)) this.readStampIn(prefix);
    const kind = m[1]!;
    let st = this.states.get(res);
    if (!st) {
      st = { seen: new Set(), index: 0, last: new Map() };
      this.states.set(res, st);
    }
    if (st.seen.has(kind)) {
      st.seen.clear();
      st.index++;
    }
    st.seen.add(kind);
    let at = this.block;
    if (at.ts !== at.ts) {
      at = untimed();
      placeByIndex(st.index, this.interval, at);
    }
    const name = `psi.${res}.${kind}`;
    const avg10 = Number(m[2]!.replace(',', '.'));
    this.series.add(`${name}.avg10`, at, avg10, '%');
    this.series.add(`${name}.avg60`, at, Number(m[3]!.replace(',', '.')), '%');
    this.series.add(`${name}.avg300`, at, Number(m[4]!.replace(',', '.')), '%');
    this.stall(st, name, kind, at, Number(m[5]));
    const warn = kind === 'full' && (res === 'io' || res === 'memory') && avg10 > WARN_FULL_AVG10;
    stampLine(out, at, warn ? Level.warn : Level.info);
  }

  /** Stall share from consecutive cumulative totals; a total that went down (reboot, new cgroup) restarts. */
  private stall(st: ResourceState, name: string, kind: string, at: SampleTime, total: number): void {
    if (at.basis === 'relative') return;
    const prev = st.last.get(kind);
    if (prev && at.ts > prev.ts && total >= prev.total) {
      // Stamps have 1 s resolution, so a share computed over a short interval may exceed 100.
      this.series.add(`${name}.stall`, at, Math.min(100, ((total - prev.total) / (at.ts - prev.ts)) * 100), '%');
    }
    if (!prev || at.ts !== prev.ts) st.last.set(kind, { ts: at.ts, total });
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
    const out: ParsedLine = { ts: NaN, local: false, relative: false, level: 0, origin: null, continuation: false };
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
