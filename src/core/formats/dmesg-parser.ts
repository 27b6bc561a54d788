// The dmesg line parser: util-linux stamps (dmesg-line.ts) behind optional collector layers, or
// journald/syslog kernel lines; hung-task reports become one event (hung-task.ts), and lines that
// reveal the wall clock at a known uptime become boot-time anchors.
import { Level } from '../model';
import { US_PER_MIN, US_PER_SEC, YearTracker } from '../time/civil';
import { MAX_LAYERS, peelCollector, skipBlanks } from './collector';
import { StampKind, kernelLevel, newKernelStamp, readKernelStamp, stripAnsi, type KernelStamp } from './dmesg-line';
import { HungLine, HungTaskCollector, type Basis } from './hung-task';
import { ProducerLevel } from './producer-level';
import { BootFrames, isBootNote } from './dmesg-boots';
import { isJournalNote } from './layered-parser';
import { IdentOrigins, PrefixKind, lineEnd, newLinePrefix, peelPrefix, type LinePrefix } from './prefix';
import type { LineParser, ParsedLine, ParserExtras, TimeAnchor, TimeContext } from './types';

const MAX_ANCHORS = 16;
/** Wall-clock boot readings kept: their median is the boot, a few dozen are plenty. */
const MAX_WALL_BOOTS = 64;
/** Absolute iso lines kept as anchors: they tell the zone and the year, a few are enough. */
const MAX_ZONE_ANCHORS = 4;
/** Boot anchors closer than this to one already kept are the same boot. */
const SAME_BOOT_US = 2 * US_PER_SEC;
/** rtc_hctosys sets the clock to the RTC's whole second plus half a second. */
const RTC_HALF_SECOND_US = US_PER_SEC / 2;

const RTC = /setting system clock to .* UTC \((\d{9,11})\)/;

/**
 * Finds dmesg's own prefixes at the start of `line`, under up to a few collector layers
 * (indentation, `grep -n`, CI runner stamps). `info` receives the collector's details.
 */
export function findKernelStamp(line: string, end: number, st: KernelStamp, info: LinePrefix): boolean {
  let i = 0;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const j = skipBlanks(line, i, end);
    if (readKernelStamp(line, j, end, st)) return true;
    const next = peelCollector(line, j, end, info);
    if (next < 0) return false;
    i = next;
  }
  return false;
}

/**
 * After a raw stamp, journalctl `-o short-monotonic` puts `HOST IDENT[PID]: ` (or `HOST kernel: `).
 * Returns the message start, or -1; `identEnd` gets the ident's bounds through `p`.
 */
function readMonotonicIdent(line: string, i: number, end: number, p: LinePrefix): number {
  const hostEnd = line.indexOf(' ', i);
  if (hostEnd <= i || hostEnd - i > 64 || hostEnd >= end) return -1;
  const identStart = hostEnd + 1;
  let k = identStart;
  const first = line.charCodeAt(k);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return -1;
  while (k < end && k < identStart + 64 && isIdentChar(line.charCodeAt(k))) k++;
  const identEnd = k;
  const kernel = identEnd - identStart === 6 && line.startsWith('kernel', identStart);
  if (line.charCodeAt(k) === 91) {
    while (k < end && line.charCodeAt(k) !== 93) k++;
    k++;
  } else if (!kernel) {
    return -1;
  }
  if (line.charCodeAt(k) !== 58 || (k + 1 < end && line.charCodeAt(k + 1) !== 32)) return -1;
  p.identStart = identStart;
  p.identEnd = identEnd;
  return Math.min(k + 2, end);
}

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 64;
}

export class DmesgParser implements LineParser {
  private readonly years: YearTracker;
  private readonly zoneUs: number;
  private readonly bootUs: number | null;
  private readonly prefix = newLinePrefix();
  private readonly stamp = newKernelStamp();
  private readonly inner = newKernelStamp();
  private readonly idents = new IdentOrigins();
  private readonly hung = new HungTaskCollector();
  private readonly producer = new ProducerLevel();
  private readonly anchors: TimeAnchor[] = [];
  private readonly wallBoots: number[] = [];
  private zoneAnchors = 0;
  /** Boots of a short-monotonic export, each with its own uptime. */
  private readonly boots = new BootFrames();
  private lineNo = -1;

  constructor(ctx: TimeContext) {
    this.years = new YearTracker(ctx.year);
    this.zoneUs = ctx.zoneOffsetMin * US_PER_MIN;
    this.bootUs = ctx.bootTimeUs;
  }

  parse(raw: string, out: ParsedLine): void {
    const lineNo = ++this.lineNo;
    let line = raw;
    let end = lineEnd(raw);
    if (raw.indexOf('\u001b') >= 0) {
      line = stripAnsi(raw, end);
      end = line.length;
    }
    const st = this.stamp;
    const p = this.prefix;
    p.identStart = -1;
    let msg: number;
    let uptimeUs = NaN;
    let utcUs = NaN; // the line's absolute time, when it has one (for anchors)
    if (findKernelStamp(line, end, st, p)) {
      msg = st.start;
      if (st.kind === StampKind.uptime) {
        uptimeUs = st.us;
        // Placed here only when the caller knows the boot time; otherwise the bundle places it.
        this.placeUptime(out, st.us);
        const m = readMonotonicIdent(line, msg, end, p);
        if (m >= 0) msg = m;
      } else if (st.kind !== StampKind.none) {
        this.place(out, st.local ? st.us - this.zoneUs : st.us, st.local, false);
        if (!st.local) utcUs = st.us;
        if (st.kind === StampKind.iso && !st.local) this.zoneAnchor(st.us, st.wallUs);
      }
    } else {
      peelPrefix(line, p, this.years);
      if (p.kind === PrefixKind.none) {
        this.unstamped(line, p.start, end, lineNo, out);
        return;
      }
      msg = p.start;
      if (p.ts === p.ts) {
        this.place(out, p.local ? p.ts - this.zoneUs : p.ts, p.local, false);
        if (!p.local) utcUs = p.ts;
      }
      // Syslog files of kernel lines keep the raw stamp in the message (`kernel: [ 6141.921740] …`).
      if (line.charCodeAt(msg) === 91 && readKernelStamp(line, msg, end, this.inner) && this.inner.kind === StampKind.uptime) {
        uptimeUs = this.inner.us;
        msg = this.inner.start;
      }
      st.level = -1;
    }
    if (p.identStart >= 0) {
      out.origin = this.idents.at(line, p.identStart, p.identEnd);
      if (out.origin !== 'kernel') {
        // Another unit in a journal export: its own record, not a kernel message.
        this.otherUnit(line, msg, end, out, uptimeUs, st.level);
        // A producer stamp may just have told this boot's start: its own line goes there too.
        if (out.relative) this.placeUptime(out, uptimeUs);
        return;
      }
    }
    if (uptimeUs === uptimeUs && utcUs === utcUs) this.uptimeAnchor(utcUs, utcUs - uptimeUs);
    else if (uptimeUs === uptimeUs) this.rtcAnchor(line, msg, uptimeUs);
    else if (utcUs === utcUs && line.startsWith('Linux version ', msg)) this.bootAnchor(utcUs, utcUs);
    const kind = this.hung.feed(line, msg, end, lineNo, out.ts, basisOf(out));
    if (kind === HungLine.body) {
      this.continueReport(out);
      return;
    }
    out.level = kind === HungLine.head ? Level.error : levelOr(st.level, kernelLevel(line));
  }

  finish(): ParserExtras {
    const extras: ParserExtras = {};
    const events = this.hung.finish();
    if (events.length > 0) extras.events = events;
    if (this.anchors.length > 0) extras.anchors = this.anchors;
    if (this.wallBoots.length > 0) extras.wallBoots = this.wallBoots;
    const note = this.boots.note();
    if (note !== null) extras.notes = [note];
    return extras;
  }

  /**
   * A line of another unit: a whole journal as `journalctl -o short-monotonic` stamps every unit
   * with seconds since boot, so kubelet and containerd lines land here. Their producer says the
   * level (journald's stamp does not), and an absolute producer stamp beside the uptime is the
   * boot time, which places every relative line of the file.
   */
  private otherUnit(line: string, msg: number, end: number, out: ParsedLine, uptimeUs: number, level: Level | -1): void {
    const wallBoot = out.relative && this.wallBoots.length < MAX_WALL_BOOTS;
    if (!this.producer.read(line, msg, end, out, wallBoot ? this.years : null)) out.level = levelOr(level, Level.unknown);
    const utcUs = this.producer.utcUs;
    if (uptimeUs === uptimeUs && utcUs === utcUs) this.uptimeAnchor(utcUs, utcUs - uptimeUs);
    // A klog stamp is the wall clock at this uptime (out.ts, on the file's relative clock).
    const wallUs = this.producer.wallUs;
    if (wallBoot && wallUs === wallUs) this.wallBoots.push(wallUs - out.ts);
  }

  /**
   * A line without any prefix: a kernel message with its stamp cut off, or wrapped text. `start`
   * is past the collector layers (`grep -n`, a node address): indentation counts after them.
   */
  private unstamped(line: string, start: number, end: number, lineNo: number, out: ParsedLine): void {
    const i = skipBlanks(line, start, end);
    if (i === start && isBootNote(line, i, end)) this.boots.newBoot();
    const kind = this.hung.feed(line, start, end, lineNo, NaN, 'utc');
    if (kind === HungLine.body) {
      this.continueReport(out);
    } else if (kind === HungLine.head) {
      out.level = Level.error;
    } else if (i >= end || i > start || isJournalNote(line, i, end)) {
      out.continuation = true;
    } else {
      out.level = kernelLevel(line);
    }
  }

  /** A line inside a hung-task report: it continues the report's record, at the report's time. */
  private continueReport(out: ParsedLine): void {
    const basis = this.hung.basis;
    out.continuation = true;
    out.origin = null;
    out.level = Level.error;
    out.ts = this.hung.ts;
    out.local = basis === 'local';
    out.relative = basis === 'relative';
  }

  /** An uptime stamp of the current boot, on the file's relative clock (or placed, when the boot time is known). */
  private placeUptime(out: ParsedLine, uptimeUs: number): void {
    const us = this.boots.frame(uptimeUs);
    this.place(out, this.bootUs === null ? us : this.bootUs + us, false, this.bootUs === null);
  }

  private place(out: ParsedLine, ts: number, local: boolean, relative: boolean): void {
    out.ts = ts;
    out.local = local;
    out.relative = relative;
  }

  /** `rtc_cmos 00:00: setting system clock to 2023-06-02T05:40:01 UTC (1685684401)` at a known uptime. */
  private rtcAnchor(line: string, msg: number, uptimeUs: number): void {
    if (line.indexOf('setting system clock', msg) < 0) return;
    const m = RTC.exec(line.slice(msg));
    if (!m) return;
    const utcUs = Number(m[1]) * US_PER_SEC;
    this.uptimeAnchor(utcUs, utcUs + RTC_HALF_SECOND_US - uptimeUs);
  }

  /** The current boot started at `bootUs`: an anchor on the file's relative clock (see dmesg-boots.ts). */
  private uptimeAnchor(utcUs: number, bootUs: number): void {
    if (!Number.isFinite(bootUs)) return;
    const ref = this.boots.anchor(bootUs);
    if (ref !== null) this.bootAnchor(utcUs, ref);
  }

  private bootAnchor(utcUs: number, bootUs: number): void {
    if (this.anchors.length >= MAX_ANCHORS || !Number.isFinite(bootUs)) return;
    for (const a of this.anchors) if (a.bootUs !== undefined && Math.abs(a.bootUs - bootUs) < SAME_BOOT_US) return;
    this.anchors.push({ utcUs, localAsUtcUs: null, bootUs });
  }

  /** An iso stamp carries both the node's wall clock and its offset: the zone and the year. */
  private zoneAnchor(utcUs: number, wallUs: number): void {
    if (this.zoneAnchors >= MAX_ZONE_ANCHORS || this.anchors.length >= MAX_ANCHORS) return;
    this.zoneAnchors++;
    this.anchors.push({ utcUs, localAsUtcUs: wallUs });
  }
}

function levelOr(level: Level | -1, fallback: Level): Level {
  return level === -1 ? fallback : level;
}

function basisOf(out: ParsedLine): Basis {
  return out.relative ? 'relative' : out.local ? 'local' : 'utc';
}
