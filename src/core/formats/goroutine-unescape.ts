// Goroutine dumps inside log lines (FORMATS.md §4.1, §4.3): containerd, its shims and dockerd log
// `=== BEGIN goroutine stack dump ===\n…\n=== END goroutine stack dump ===` as one message, so
// the dump arrives escaped in a logfmt/JSON value (`\n`, `\t`), escaped twice inside strace
// output (`\\n`), hard-wrapped over several physical lines, or pasted unescaped after the BEGIN
// line. EmbeddedDumps follows one file's lines and collects those dumps; the layered parser
// calls it only for lines holding `goroutine ` and while a dump is open.
import { isoUtcUs, newIsoStamp, readIsoStamp, YearTracker } from '../time/civil';
import { BEGIN_MARKER, DumpLine, GoroutineDumpReader, NO_HINT, type DumpHint } from './goroutine-parser';
import { lineEnd, newLinePrefix, originOfIdent, peelPrefix } from './prefix';
import type { GoroutineDump, ParsedLine } from './types';

/**
 * Undoes `depth` levels of Go/C string escaping, streaming: text may arrive in pieces cut
 * anywhere (a hard wrap between `\` and `n`). Stops for good at a quote that closes a level.
 */
export class EscapeDecoder {
  closed = false;
  private readonly pendingSlash: boolean[];
  /** Set by level() when it met its closing quote. */
  private ended = false;

  constructor(readonly depth: number) {
    this.pendingSlash = new Array<boolean>(depth).fill(false);
  }

  push(text: string, from = 0, to = text.length): string {
    if (this.closed) return '';
    let s = text.slice(from, to);
    // A level that closes still hands the text before its quote to the inner levels.
    let closed = false;
    for (let level = 0; level < this.depth; level++) {
      s = this.level(level, s);
      closed ||= this.ended;
      this.ended = false;
    }
    this.closed = closed;
    return s;
  }

  private level(level: number, s: string): string {
    let out = '';
    let last = 0;
    let k = 0;
    if (this.pendingSlash[level] && s.length > 0) {
      this.pendingSlash[level] = false;
      out = unescapeChar(s.charCodeAt(0));
      last = k = 1;
    }
    // A dump is hundreds of kilobytes in one message: jump from backslash to backslash with
    // indexOf rather than reading every character. `quote` is the first `"` at or after k.
    let quote = s.indexOf('"', k);
    for (;;) {
      const slash = s.indexOf('\\', k);
      if (quote >= 0 && (slash < 0 || quote < slash)) {
        this.ended = true;
        return out + s.slice(last, quote);
      }
      if (slash < 0) return out + s.slice(last);
      out += s.slice(last, slash);
      if (slash + 1 >= s.length) {
        this.pendingSlash[level] = true;
        return out;
      }
      out += unescapeChar(s.charCodeAt(slash + 1));
      k = last = slash + 2;
      // The escaped character may have been that quote (`\"`): look again past it.
      if (quote >= 0 && quote < k) quote = s.indexOf('"', k);
    }
  }
}

function unescapeChar(c: number): string {
  switch (c) {
    case 110: return '\n';
    case 116: return '\t';
    case 114: return '';
    case 34: return '"';
    case 92: return '\\';
    default: return `\\${String.fromCharCode(c)}`;
  }
}

/** Escape depth after the BEGIN marker at `at`: `\n` → 1, `\\n` → 2, `\\\\n` → 3; 0 = not escaped. */
export function escapeDepth(line: string, at: number): number {
  let b = 0;
  while (line.charCodeAt(at + b) === 92) b++;
  if (b === 0 || line.charCodeAt(at + b) !== 110) return 0;
  return b === 1 ? 1 : b === 2 ? 2 : b === 4 ? 3 : 0;
}

const Mode = { idle: 0, paste: 1, escaped: 2 } as const;

/** Longest dump line kept while its newline has not come yet. */
const MAX_DUMP_LINE = 64 * 1024;

const SHIM = 'containerd-shim-runc-v2';
const PROCESS_OF_ORIGIN: Partial<Record<string, string>> = {
  containerd: 'containerd', shim: SHIM, docker: 'dockerd', kubelet: 'kubelet',
};

export class EmbeddedDumps {
  readonly dumps: GoroutineDump[] = [];
  /** What the last line seen was to the open dump (DumpLine.other when it was not dump text). */
  lastKind: DumpLine = DumpLine.other;
  /** What is known about the open dump (null when none is open). */
  hint: DumpHint | null = null;
  private mode: number = Mode.idle;
  /** The open dump is a signal's: it has no END marker, so the next record or the file's end ends it whole. */
  private signal = false;
  private reader: GoroutineDumpReader | null = null;
  private decoder: EscapeDecoder | null = null;
  private partial = '';
  private readonly prefix = newLinePrefix();
  private readonly years = new YearTracker(2000);
  private readonly stamp = newIsoStamp();

  /** `defaults`: what the file's name says (process, pid, capture time), for lines that say less. */
  constructor(private readonly defaults: DumpHint = NO_HINT) {}

  get open(): boolean {
    return this.mode !== Mode.idle;
  }

  /** A dump is open and read from the following unescaped lines. */
  get pasting(): boolean {
    return this.mode === Mode.paste;
  }

  /**
   * Go's dump on a fatal signal (`SIGQUIT: quit`, `PC=…`, then every goroutine), printed to
   * stderr unescaped: into a raw log file, or a journal entry per line. The lines after this one
   * are read as a pasted dump; `at` is where the signal line's message starts, and `stampedAt` /
   * `local` the time of the line itself or, unstamped, of the record before it.
   */
  openSignal(line: string, lineNo: number, at: number, out: ParsedLine, stampedAt: number, local: boolean): void {
    if (this.mode !== Mode.idle) this.close(true);
    this.hint = this.hintOf(line, at, out.ts === out.ts ? out : { ...out, ts: stampedAt, local });
    this.reader = new GoroutineDumpReader(this.hint);
    this.reader.line = lineNo;
    this.mode = Mode.paste;
    this.signal = true;
  }

  /** One physical line, after the log parser filled `out` for it; a pasted dump's text starts at `from`. */
  see(line: string, lineNo: number, out: ParsedLine, from = 0): void {
    this.lastKind = DumpLine.other;
    const end = lineEnd(line);
    const stamped = !out.continuation && out.ts === out.ts;
    if (this.mode !== Mode.idle) {
      // A line with its own stamp ends an open dump: whatever was missing was cut.
      if (stamped) this.close(true);
      else if (this.mode === Mode.escaped) return this.pushEscaped(line, 0, end, lineNo);
      else {
        const kind = this.feed(line, lineNo, Math.min(from, end), end);
        this.lastKind = kind;
        if (kind === DumpLine.end) this.close(false);
        else if (kind === DumpLine.begin) this.close(true);
        else return;
      }
    }
    const at = line.indexOf(BEGIN_MARKER);
    if (at < 0 || at >= end) return;
    this.hint = this.hintOf(line, at, out);
    this.reader = new GoroutineDumpReader(this.hint);
    this.reader.line = lineNo;
    const body = at + BEGIN_MARKER.length;
    const depth = escapeDepth(line, body);
    if (depth === 0) {
      this.mode = Mode.paste;
      return;
    }
    this.mode = Mode.escaped;
    this.decoder = new EscapeDecoder(depth);
    this.partial = '';
    this.pushEscaped(line, body, end, lineNo);
  }

  /** Closes a dump still open at the end of the file (cut off: its END marker never came). */
  finish(): GoroutineDump[] {
    if (this.mode !== Mode.idle) this.close(true);
    return this.dumps;
  }

  private pushEscaped(line: string, from: number, to: number, lineNo: number): void {
    const decoder = this.decoder!;
    // Only the newly decoded piece is searched: a message hard-wrapped over thousands of lines
    // with no escaped newline for a while must not be rescanned (and flattened) line after line.
    const piece = decoder.push(line, from, to);
    let start = 0;
    for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', start)) {
      // One line at a time: the reader's searches must not run through the rest of the message.
      const text = this.partial + piece.slice(start, nl);
      this.partial = '';
      const kind = this.feed(text, lineNo, 0, text.length);
      start = nl + 1;
      if (kind === DumpLine.end) return this.close(false);
    }
    // A dump line is short; what runs on past the cap without a newline is no dump text to keep.
    if (this.partial.length < MAX_DUMP_LINE) this.partial += piece.slice(start, start + MAX_DUMP_LINE - this.partial.length);
    if (!decoder.closed) return;
    // The message ended without the END marker: the last piece is a cut line.
    if (this.partial.length > 0 && this.feed(this.partial, lineNo, 0, this.partial.length) === DumpLine.end) return this.close(false);
    this.close(true);
  }

  /** Reads one dump line; a goroutine id seen twice starts a second dump (two pasted back to back). */
  private feed(text: string, lineNo: number, from: number, to: number): DumpLine {
    let kind = this.reader!.read(text, lineNo, from, to);
    if (kind === DumpLine.repeat) {
      const dump = this.reader!.finish(false);
      if (dump) this.dumps.push(dump);
      this.reader = new GoroutineDumpReader(this.hint ?? NO_HINT);
      kind = this.reader.read(text, lineNo, from, to);
    }
    return kind;
  }

  private close(cutOff: boolean): void {
    const dump = this.reader?.finish(cutOff && !this.signal);
    this.signal = false;
    if (dump) this.dumps.push(dump);
    this.mode = Mode.idle;
    this.reader = null;
    this.decoder = null;
    this.partial = '';
    this.hint = null;
  }

  /** Process, pid and capture time from the line holding the BEGIN marker at `at`. */
  private hintOf(line: string, at: number, out: ParsedLine): DumpHint {
    const d = this.defaults;
    const hint: DumpHint = { ...d };
    if (out.ts === out.ts) {
      hint.takenAt = out.ts;
      hint.takenAtSource = 'log-line';
      hint.basis = out.local ? 'local' : 'utc';
    } else {
      // strace or a quoted record: the inner `time=\"…\"` of the logrus line.
      const t = line.lastIndexOf('time=', at);
      let k = t + 5;
      while (k < at && (line.charCodeAt(k) === 92 || line.charCodeAt(k) === 34)) k++;
      if (t >= 0 && readIsoStamp(line, k, at, this.stamp) && this.stamp.offsetMin === this.stamp.offsetMin) {
        hint.takenAt = isoUtcUs(this.stamp);
        hint.takenAtSource = 'log-line';
        hint.basis = 'utc';
      }
    }
    const p = this.prefix;
    peelPrefix(line, p, this.years);
    const identProcess = p.identStart >= 0 ? PROCESS_OF_ORIGIN[originOfIdent(line.slice(p.identStart, p.identEnd))] : undefined;
    // A shim record relayed by containerd (out.origin 'shim'), or a shim's write seen by strace.
    const shimPath = line.lastIndexOf('io.containerd.runtime.v2.task', at) >= 0;
    const process = shimPath ? SHIM : out.origin === null ? identProcess : PROCESS_OF_ORIGIN[out.origin];
    if (process !== undefined) {
      hint.process = process;
      // The ident's pid is the dump's when that process wrote it; a relayed shim names itself in `pid=`.
      hint.pid = process === identProcess && p.pid >= 0 ? p.pid : process === SHIM ? shimPid(line, at) : null;
    }
    return hint;
  }
}

/** A relayed shim record names the shim in its `pid=` field, after the message. */
function shimPid(line: string, at: number): number | null {
  const k = line.lastIndexOf(' pid=');
  if (k < at) return null;
  const n = parseInt(line.slice(k + 5, k + 16), 10);
  return n > 0 ? n : null;
}
