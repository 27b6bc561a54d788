// The parser shared by the text formats (klog, klog JSON, containerd, syslog): a node-log line
// is layers (FORMATS.md §0), so every one of them peels the same collector and transport
// prefixes and then reads whichever producer record follows. The formats differ in detection,
// in their default origin and in their samples, not in how a line is read.
import { Level } from '../model';
import { US_PER_MIN, YearTracker, placeNear, read2, readDigits, textAt } from '../time/civil';
import { newContainerdRecord, readContainerdAt, readContainerdRecord } from './containerd-line';
import { appLevel, isGoDeath, isGoSignalDump, isGoTraceLine, systemdLevel } from './app-level';
import { kernelLevel, stripAnsi } from './dmesg-line';
import { HungLine, HungTaskCollector } from './hung-task';
import type { DumpHint } from './goroutine-parser';
import { EmbeddedDumps } from './goroutine-unescape';
import { newKlogHeader, newKlogJson, readKlogAt, readKlogHeader, readKlogJson } from './klog-line';
import { IdentOrigins, PrefixKind, lineEnd, newLinePrefix, peelPrefix, startsWithStampMemo } from './prefix';
import type { LineParser, ParsedLine, ParserExtras, Sniff, TimeAnchor, TimeContext } from './types';

/** journalctl's own notes between entries: `-- Logs begin at … --`, `-- Boot <id> --`, `-- No entries --`. */
export function isJournalNote(line: string, i: number, end: number): boolean {
  return end - i >= 5 && textAt(line, i, '-- ') && line.charCodeAt(end - 1) === 45 && line.charCodeAt(end - 2) === 45;
}

const LOG_CREATED = 'Log file created at: ';
const EARLY_GLOG = 'ERROR: logging before flag.Parse: ';

/** Part of the BEGIN marker: a line without it cannot open a dump. */
const BEGIN_HINT = 'BEGIN goroutine';

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export class LayeredParser implements LineParser {
  private readonly years: YearTracker;
  private readonly zoneUs: number;
  private readonly prefix = newLinePrefix();
  private readonly klog = newKlogHeader();
  private readonly klogJson = newKlogJson();
  private readonly record = newContainerdRecord();
  private readonly idents = new IdentOrigins();
  /** Kernel lines of a journal export can hold hung-task reports (FORMATS.md §5). */
  private readonly hung = new HungTaskCollector();
  /** Goroutine dumps logged as one message (escaped, or pasted after the BEGIN line). */
  readonly dumps: EmbeddedDumps;
  /** 0-based number of the line being (or last) parsed; a caller feeding only some lines of a file sets it. */
  lineNo = -1;
  /** The stream whose last line was partial (CRI tag P; 0 = none): its next line goes on with the message. */
  private partialStream = 0;
  /** The program whose Go panic trace the next lines may be (its lines continue the panic's record). */
  private panicking: string | null = null;
  /** Where the line's message starts past a journal or syslog prefix; -1 when a raw record was read whole. */
  private payloadAt = -1;
  /** The last record's time, for a dump that starts on an unstamped line. */
  private lastTs = NaN;
  private lastLocal = false;

  constructor(ctx: TimeContext, dumpDefaults?: DumpHint) {
    this.years = new YearTracker(ctx.year);
    this.zoneUs = ctx.zoneOffsetMin * US_PER_MIN;
    this.dumps = new EmbeddedDumps(dumpDefaults);
  }

  parse(raw: string, out: ParsedLine): void {
    const n = ++this.lineNo;
    // Console captures and forced-colour journalctl carry ANSI colour codes anywhere in a line.
    const line = raw.indexOf('\u001b') >= 0 ? stripAnsi(raw, lineEnd(raw)) : raw;
    this.readLine(line, out);
    const at = this.payloadAt;
    // Go's own dump on SIGQUIT opens at its signal line, raw or behind the journal's prefix.
    if (at >= 0 && isGoSignalDump(line, at)) this.dumps.openSignal(line, n, at, out, this.lastTs, this.lastLocal);
    // Otherwise only a BEGIN line opens a dump (lines without one mean nothing to an idle tracker).
    // Its rare capital is quicker to look for than `goroutine `, whose `g` is on every line.
    else if (this.dumps.open || line.indexOf(BEGIN_HINT) >= 0) this.dumps.see(line, n, out, this.prefix.kind === PrefixKind.none ? 0 : Math.max(at, 0));
    if (out.ts === out.ts && !out.continuation) {
      this.lastTs = out.ts;
      this.lastLocal = out.local;
    }
  }

  finish(): ParserExtras {
    const extras: ParserExtras = {};
    const dumps = this.dumps.finish();
    if (dumps.length > 0) extras.dumps = dumps;
    const events = this.hung.finish();
    if (events.length > 0) extras.events = events;
    return extras;
  }

  private readLine(line: string, out: ParsedLine): void {
    const p = this.prefix;
    const end = lineEnd(line);
    // Raw klog and logrus files: no prefix starts like `I0602 05:`, `time="` or `{"`, so the
    // producer is tried before peeling (and fails within a few characters on prefixed lines).
    // A line that starts like the last journal stamp is known not to be one.
    const memoAt0 = startsWithStampMemo(line, p);
    p.ts = NaN;
    // A panic's trace goes on only while its lines follow one another (indented ones included).
    const panicking = this.panicking;
    this.panicking = null;
    this.payloadAt = -1;
    if (!memoAt0 && (this.readProducer(line, 0, end, out) || this.readEarlyGlog(line, 0, end, out))) return;
    peelPrefix(line, p, this.years, memoAt0);
    this.payloadAt = p.start;
    // After a bare stamp (rsyslog without a host, a CI runner's) glog's early warning reads as an `ERROR:` ident.
    if (p.identStart >= 0 && line.charCodeAt(p.identStart) === 69 && textAt(line, p.identStart, EARLY_GLOG)) {
      p.start = p.identStart;
      p.identStart = p.identEnd = -1;
    }
    const i = p.start;
    const hasPrefix = p.kind !== PrefixKind.none;
    const cri = p.kind === PrefixKind.cri;
    // The two streams interleave: a partial stderr line is continued by stderr's next line only.
    const continued = cri && p.stream === this.partialStream;
    if (cri) this.partialStream = p.partial ? p.stream : continued ? 0 : this.partialStream;
    else this.partialStream = 0;
    if (continued) {
      out.continuation = true;
      return;
    }
    if (!hasPrefix && isJournalNote(line, i, end)) {
      out.continuation = true;
      return;
    }
    out.origin = p.identStart >= 0 ? this.idents.ofPrefix(line, p) : null;
    // journald and syslog give kernel lines no level (PRIORITY is not printed): read it from the
    // message as the dmesg format does, so an OOM kill or I/O error ranks alike in either file.
    let kernel: Level = Level.unknown;
    if (out.origin === 'kernel') {
      const ts = p.ts !== p.ts ? NaN : p.local ? p.ts - this.zoneUs : p.ts;
      const hung = this.hung.feed(line, i, end, this.lineNo, ts, p.local ? 'local' : 'utc');
      kernel = hung === HungLine.none ? kernelLevel(line.slice(i, end)) : Level.error;
    }
    if (i > 0 && (this.readProducer(line, i, end, out) || this.readEarlyGlog(line, i, end, out))) {
      // The runtime stamped the line on arrival, in UTC; a containerised program's own wall clock
      // runs in the container's zone (mostly UTC), not the node's, so its stamp would be misplaced.
      if (cri) {
        out.ts = p.ts;
        out.local = false;
      }
      return;
    }
    // Indented text (klog `key=<` lines, ` >`, stack frames, wrapped messages) continues a record.
    if (i >= end ? !hasPrefix : isBlank(line.charCodeAt(i))) {
      out.continuation = true;
      out.origin = null;
      this.panicking = panicking;
      return;
    }
    if (hasPrefix) {
      // A Go panic printed to the journal: one entry per line, the trace after it is one record with it.
      if (panicking !== null && out.origin === panicking && isGoTraceLine(line, i, end)) {
        out.continuation = true;
        out.origin = null;
        this.panicking = panicking;
        return;
      }
      // Another journal entry of the unit (CNI plugin output, startup warnings), another daemon's
      // line, a container's message: its own record, at the level its words give (`[ERROR]`,
      // `"level":"warn"`, `level=error`) when it is no kernel line.
      const level = out.origin === 'kernel' ? kernel : out.origin === 'systemd' ? systemdLevel(line, i, end) : appLevel(line, i, end);
      this.panicking = level === Level.fatal && out.origin !== null && isGoDeath(line, i) ? out.origin : null;
      this.stampFromPrefix(out, level);
      return;
    }
    // A JSON object that does not read whole (split across lines, cut by a pager) still starts a record.
    if (line.charCodeAt(i) === 123 && line.charCodeAt(i + 1) === 34) return;
    if (line.charCodeAt(i) === 76) this.readLogFileHeader(line, i);
    out.continuation = true;
  }

  /**
   * klog's own log files (`--log-dir`, `--log-file`: `kubelet.<host>.root.log.INFO.<date>-<time>.<pid>`)
   * open with `Log file created at: 2023/12/31 23:59:58`: the only year such a file carries, and
   * a better one than the file date (rotated and copied files keep no mtime worth the name).
   */
  private readLogFileHeader(line: string, i: number): void {
    if (!textAt(line, i, LOG_CREATED)) return;
    const k = i + LOG_CREATED.length;
    const year = readDigits(line, k, 4);
    const month = read2(line, k + 5);
    if (year < 1970 || line.charCodeAt(k + 4) !== 47 || line.charCodeAt(k + 7) !== 47 || month < 1 || month > 12) return;
    this.years.sync(year, month);
  }

  /**
   * glog before a program parsed its flags (Kubernetes up to 1.10) wrote to stderr with a warning
   * in front of the record: `ERROR: logging before flag.Parse: E0602 05:48:06.350601 …`.
   */
  private readEarlyGlog(line: string, i: number, end: number, out: ParsedLine): boolean {
    return line.charCodeAt(i) === 69 && textAt(line, i, EARLY_GLOG) && this.readProducer(line, i + EARLY_GLOG.length, end, out);
  }

  /** A klog, klog JSON or logrus record at i: fills `out` (time, level, shim origin) and says so. */
  private readProducer(line: string, i: number, end: number, out: ParsedLine): boolean {
    // Every reader skips the same markdown indentation (up to 8 spaces) and then needs its own
    // first character, so one look at it rules most of them out; past the spaces they skip none.
    let k = i;
    while (k < end && k < i + 8 && line.charCodeAt(k) === 32) k++;
    const c = line.charCodeAt(k);
    if (c === 73 || c === 87 || c === 69 || c === 70) {
      // I W E F: a klog severity (or a logrus TTY level: `INFO[`, `WARN[`, `ERRO[`, `FATA[`).
      if (readKlogAt(line, k, end, this.years, this.klog)) {
        // Process-local wall time, placed with the assumed zone.
        this.stamp(out, this.klog.wallUs - this.zoneUs, true, this.klog.level);
        return true;
      }
    } else if (c === 123) {
      if (readKlogJson(line, k, end, this.klogJson)) {
        this.stamp(out, this.klogJson.utcUs, false, this.klogJson.level);
        return true;
      }
    } else if (c !== 116 && c !== 27 && (c < 65 || c > 90)) {
      // Not `time=`, ESC or a TTY level's capital: no logrus record either.
      return false;
    }
    const rec = this.record;
    if (!readContainerdAt(line, k, end, rec)) return false;
    if (rec.shim) out.origin = 'shim';
    if (rec.utcUs === rec.utcUs) {
      this.years.sync(rec.stamp.year, rec.stamp.month);
      this.stamp(out, rec.utcUs, false, rec.level);
    } else {
      this.stampFromPrefix(out, rec.level);
    }
    return true;
  }

  private stamp(out: ParsedLine, ts: number, local: boolean, level: Level): void {
    out.ts = ts;
    out.local = local;
    out.level = level;
  }

  private stampFromPrefix(out: ParsedLine, level: Level): void {
    const p = this.prefix;
    out.level = level;
    if (p.ts !== p.ts) return;
    out.ts = p.local ? p.ts - this.zoneUs : p.ts;
    out.local = p.local;
  }
}

export function createLayeredParser(ctx: TimeContext): LineParser {
  return new LayeredParser(ctx);
}

const MAX_ANCHORS = 64;
/** How many absolute-only anchors to keep: they tell the year, not the zone. */
const MAX_YEAR_ANCHORS = 4;

/**
 * Anchors in the head of a layered file: a line whose wall-clock reading (klog stamp, journald
 * short prefix) sits beside an absolute one (short-iso/RFC 3339/unix prefix, containerd `time=`,
 * klog JSON `ts`) tells the zone; an absolute stamp alone tells the year.
 */
export function layeredAnchors(sniff: Sniff): TimeAnchor[] {
  const anchors: TimeAnchor[] = [];
  let yearOnly = 0;
  const years = new YearTracker(2000);
  const p = newLinePrefix();
  const klog = newKlogHeader();
  const klogJson = newKlogJson();
  const rec = newContainerdRecord();
  for (const line of sniff.lines) {
    if (anchors.length >= MAX_ANCHORS) break;
    peelPrefix(line, p, years);
    const prefixUtc = p.ts === p.ts && !p.local ? p.ts : NaN;
    let utcUs = NaN;
    let localAsUtcUs: number | null = null;
    if (readKlogHeader(line, p.start, p.end, null, klog)) {
      utcUs = prefixUtc;
      // A container's klog stamp is the container's wall clock: it says nothing of the node's zone.
      if (utcUs === utcUs && p.kind !== PrefixKind.cri) localAsUtcUs = placeNear(klog.month, klog.day, klog.timeOfDayUs, utcUs);
    } else {
      let offsetMin = NaN;
      if (readKlogJson(line, p.start, p.end, klogJson)) utcUs = klogJson.utcUs;
      else if (readContainerdRecord(line, p.start, p.end, rec)) {
        utcUs = rec.utcUs;
        offsetMin = rec.stamp.offsetMin;
      }
      if (utcUs !== utcUs) utcUs = prefixUtc;
      else if (p.kind === PrefixKind.monthDay) localAsUtcUs = placeNear(p.month, p.day, p.timeOfDayUs, utcUs);
      // A dated wall-clock prefix (short-full with a zone abbreviation) is the reading itself.
      else if (p.local && p.ts === p.ts) localAsUtcUs = p.ts;
      // A daemon's own stamp in the node's zone (`+02:00`, not `Z`: containerd prints Z on nodes
      // whose journal shows local time) tells the zone without a prefix; a container's does not.
      else if (offsetMin === offsetMin && offsetMin !== 0 && p.kind !== PrefixKind.cri) localAsUtcUs = utcUs + offsetMin * US_PER_MIN;
    }
    if (utcUs !== utcUs) continue;
    if (localAsUtcUs === null && yearOnly++ >= MAX_YEAR_ANCHORS) continue;
    anchors.push({ utcUs, localAsUtcUs });
  }
  return anchors;
}
