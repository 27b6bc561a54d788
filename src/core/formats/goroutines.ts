// A file that is a Go goroutine dump (FORMATS.md §4): containerd's `containerd.<pid>.stacks.log`,
// dockerd's `goroutine-stacks-<time>.log`, `/debug/pprof/goroutine?debug=2`, a pasted dump with
// or without BEGIN/END markers. Each `goroutine N [...]:` header is a record; frames, file lines
// and blank lines continue it. Lines that are not dump text (a logfmt BEGIN line, `fatal error:`)
// go to the layered parser, which also collects dumps embedded in them.
import { Level } from '../model';
import { civilToUs, US_PER_MIN } from '../time/civil';
import { BEGIN_MARKER, DumpLine, GoroutineDumpReader, NO_HINT, classifyDumpLine, skipIndent, type DumpHint } from './goroutine-parser';
import { GoroutineProfileReader, ProfileLine, classifyProfileLine, profileShare } from './goroutine-profile';
import { LayeredParser, layeredAnchors } from './layered-parser';
import { lineEnd } from './prefix';
import type { FormatDef, GoroutineDump, LineParser, ParsedLine, ParserExtras, Sniff, TimeAnchor, TimeContext } from './types';

const CONTAINERD_FILE = /^containerd\.(\d+)\.stacks\.log$/;
/** dockerd: `goroutine-stacks-` + RFC 3339 without colons (`2017-07-26T063631+0200`, `…Z`). */
const DOCKERD_FILE = /^goroutine-stacks-(\d{4})-(\d\d)-(\d\d)T(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)\.log$/;

/** Process, pid and capture time told by a dump file's name. */
export function dumpHintFromPath(path: string): DumpHint {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const containerd = CONTAINERD_FILE.exec(name);
  if (containerd) return { ...NO_HINT, process: 'containerd', pid: Number(containerd[1]) };
  const docker = DOCKERD_FILE.exec(name);
  if (docker) {
    const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = docker;
    const us = Number(frac.padEnd(6, '0').slice(0, 6));
    let offsetMin = 0;
    if (zone !== 'Z') {
      const digits = zone.replace(':', '');
      offsetMin = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    const wall = civilToUs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), us);
    return { process: 'dockerd', pid: null, takenAt: wall - offsetMin * US_PER_MIN, takenAtSource: 'file-name', basis: 'utc' };
  }
  const lower = name.toLowerCase();
  const process = lower.includes('shim') ? 'containerd-shim-runc-v2'
    : lower.includes('dockerd') ? 'dockerd'
      : lower.includes('kubelet') ? 'kubelet'
        : lower.includes('containerd') ? 'containerd' : null;
  return { ...NO_HINT, process };
}

class GoroutineFileParser implements LineParser {
  private lineNo = -1;
  private reader: GoroutineDumpReader | null = null;
  /** A `goroutine profile: total N` (pprof debug=1) being read. */
  private profile: GoroutineProfileReader | null = null;
  private readonly dumps: GoroutineDump[] = [];
  private log: LayeredParser | null = null;
  private readonly hint: DumpHint;

  /** The file's name (ctx.path) can tell the process, pid and capture time. */
  constructor(private readonly ctx: TimeContext) {
    this.hint = dumpHintFromPath(ctx.path ?? '');
  }

  parse(line: string, out: ParsedLine): void {
    const n = ++this.lineNo;
    const end = lineEnd(line);
    const log = this.log;
    // A BEGIN line opened a dump the layered parser collects: it reads until END or a stamp.
    if (log !== null && log.dumps.open) {
      // Stack lines of a paste cannot be stamped log lines: no need to read them as log lines.
      const kind = log.dumps.pasting ? classifyDumpLine(line, skipIndent(line, 0, end), end) : DumpLine.other;
      if (kind === DumpLine.other || kind === DumpLine.blank) return this.delegate(log, line, n, out);
      out.continuation = true;
      log.dumps.see(line, n, out);
      if (log.dumps.lastKind === DumpLine.header && log.dumps.hint !== null) this.record(out, log.dumps.hint);
      return;
    }
    if (this.readProfile(line, n, end, out)) return;
    const reader = this.reader ?? (this.reader = new GoroutineDumpReader(this.hint));
    let kind = reader.read(line, n, 0, end);
    if (kind === DumpLine.repeat) kind = this.restart(line, n);
    switch (kind) {
      case DumpLine.header:
        this.record(out, this.hint);
        return;
      case DumpLine.end:
        this.closeDump(false);
        out.continuation = true;
        return;
      case DumpLine.other:
      case DumpLine.begin:
        break;
      default:
        out.continuation = true;
        return;
    }
    const parser = this.log ?? (this.log = new LayeredParser(this.ctx, this.hint));
    this.delegate(parser, line, n, out);
    // A stamped log line or a BEGIN line ends the dump read so far.
    if (parser.dumps.open || (!out.continuation && out.ts === out.ts)) this.closeDump(false);
  }

  /**
   * A line of a pprof debug=1 profile (its header opens one; any other text closes it): the
   * profile's header is the record, its other lines continue it.
   */
  private readProfile(line: string, n: number, end: number, out: ParsedLine): boolean {
    const s = skipIndent(line, 0, end);
    if (this.profile === null) {
      // Only a profile header starts so: `goroutine ` and a letter (a dump header has a digit).
      if (line.charCodeAt(s) !== 103 || classifyProfileLine(line, s, end) !== ProfileLine.header) return false;
      this.closeDump(false);
      this.profile = new GoroutineProfileReader(this.hint);
    }
    const kind = this.profile.read(line, s, end, n);
    if (kind === ProfileLine.other) {
      this.closeProfile();
      return false;
    }
    if (kind === ProfileLine.header) this.record(out, this.hint);
    else out.continuation = true;
    return true;
  }

  private closeProfile(): void {
    const dump = this.profile?.finish();
    if (dump) this.dumps.push(dump);
    this.profile = null;
  }

  finish(): ParserExtras {
    this.closeProfile();
    this.closeDump(false);
    const all = this.log ? this.dumps.concat(this.log.dumps.finish()) : this.dumps;
    all.sort((a, b) => a.line - b.line);
    return all.length > 0 ? { dumps: all } : {};
  }

  private delegate(log: LayeredParser, line: string, n: number, out: ParsedLine): void {
    log.lineNo = n - 1;
    log.parse(line, out);
    const hint = log.dumps.hint;
    if (log.dumps.lastKind === DumpLine.header && hint !== null) this.record(out, hint);
  }

  /** A header: a record, at the capture time when it is known. */
  private record(out: ParsedLine, hint: DumpHint): void {
    out.continuation = false;
    out.level = Level.info;
    out.origin = null;
    out.ts = hint.takenAt ?? NaN;
    out.local = hint.basis === 'local';
  }

  /** A goroutine id seen twice: a second dump starts at this line. */
  private restart(line: string, n: number): DumpLine {
    this.closeDump(false);
    this.reader = new GoroutineDumpReader(this.hint);
    return this.reader.read(line, n, 0, lineEnd(line));
  }

  private closeDump(cutOff: boolean): void {
    const dump = this.reader?.finish(cutOff);
    if (dump) this.dumps.push(dump);
    this.reader = null;
  }
}

/** Share of the sniff that is dump text (0 without headers and file lines); `embedded`: a BEGIN marker inside a line. */
function dumpStats(sniff: Sniff): { share: number; embedded: boolean } {
  let headers = 0;
  let files = 0;
  let dump = 0;
  let embedded = false;
  for (const line of sniff.lines) {
    const end = lineEnd(line);
    const kind = classifyDumpLine(line, skipIndent(line, 0, end), end);
    if (kind === DumpLine.header) headers++;
    else if (kind === DumpLine.file) files++;
    else if (kind === DumpLine.other && !embedded) embedded = line.includes(BEGIN_MARKER);
    if (kind !== DumpLine.other) dump++;
  }
  const share = headers > 0 && files > 0 && sniff.lines.length > 0 ? dump / sniff.lines.length : 0;
  return { share, embedded };
}

const DUMP_NAME = /(?:^|[/._-])(?:stacks?|goroutines?)(?:[._-]|$)/i;

export const goroutinesFormat: FormatDef = {
  id: 'goroutines',
  title: 'Go goroutine dump (SIGUSR1 stacks, pprof debug=2 and debug=1)',
  origin: 'goroutines',
  detect(sniff) {
    // pprof debug=1: a whole file of it, or mostly (a shell prompt or curl line around it).
    const profile = profileShare(sniff.lines);
    if (profile >= 0.5) return Math.min(0.99, 0.5 + 0.46 * profile + (DUMP_NAME.test(sniff.path) ? 0.03 : 0));
    const { share, embedded } = dumpStats(sniff);
    if (share >= 0.5) return Math.min(0.99, 0.5 + 0.46 * share + (DUMP_NAME.test(sniff.path) ? 0.03 : 0));
    // A log that merely holds a dump (escaped, or a short paste) stays with its log format; text
    // no format claims (strace output) still gets its embedded dumps read here rather than by plain.
    return Math.max(share * 0.4, embedded ? 0.05 : 0);
  },
  createParser: (ctx) => new GoroutineFileParser(ctx),
  anchors(sniff): TimeAnchor[] {
    const anchors = layeredAnchors(sniff);
    const hint = dumpHintFromPath(sniff.path);
    if (hint.takenAt !== null) anchors.push({ utcUs: hint.takenAt, localAsUtcUs: null });
    return anchors;
  },
  samples: [
    { line: 'goroutine 1654 [select]:', iso: null, level: Level.info, origin: 'goroutines' },
    {
      line: 'github.com/containerd/ttrpc.(*Client).dispatch(0xc001ae1780, {0x56190174ac08?, 0xc000ae0180}, 0xc000ae05a0, 0xc0001183c0)',
      iso: null, continuation: true,
    },
    { line: '\t/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/client.go:163 +0x2ad', iso: null, continuation: true },
    { line: 'goroutine 2401613 [chan receive, 11310 minutes]:', iso: null, level: Level.info },
    { line: 'github.com/containerd/containerd/pkg/process.(*Init).Wait(0xc0020c92a0?)', iso: null, continuation: true },
    { line: 'sync.(*Mutex).Lock(...)', iso: null, continuation: true },
    { line: '\t/usr/local/go/src/sync/mutex.go:90', iso: null, continuation: true },
    { line: 'created by github.com/containerd/ttrpc.(*Server).Serve in goroutine 71', iso: null, continuation: true },
    { line: '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:207 +0x8c', iso: null, continuation: true },
    { line: 'goroutine 85 [syscall, 3012 minutes, locked to thread]:', iso: null, level: Level.info },
    { line: 'goroutine 7 gp=0xc0000071c0 m=2 mp=0xc00004c008 [running]:', iso: null, level: Level.info },
    { line: '\tgoroutine running on other thread; stack unavailable', iso: null, continuation: true },
    { line: '...additional frames elided...', iso: null, continuation: true },
    { line: '', iso: null, continuation: true },
    {
      // The message line of a pasted dump: its stamp is the capture time.
      line: 'time="2017-12-08T02:19:25Z" level=info msg="=== BEGIN goroutine stack dump ===',
      iso: '2017-12-08T02:19:25.000000Z', level: Level.info,
    },
  ],
};
