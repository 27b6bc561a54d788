// The aggregated goroutine profile, `/debug/pprof/goroutine?debug=1` (Go runtime/pprof
// `printCountProfile`): goroutines with the same stack counted together, no states, ids or args.
//
//   goroutine profile: total 123
//   50 @ 0x43d20e 0x44e3b2 0x4a1c2d 0x4711a1
//   # labels: {"handler":"api"}                       (only for goroutines with pprof labels)
//   #	0x4a1c2c	main.worker+0x8c	/app/worker.go:44
//   <blank>
//
// Each record becomes N goroutines sharing one frame list, so counts, stack groups and call sites
// read as they do for a debug=2 dump. The profile has no ids: they are numbered -2, -3, … in
// profile order (negative: no runtime id, and -1 is kept for a stack read without its header).
// Their state is 'unknown' (the profile does not say).
import { StackKey, processOfFrames, type DumpHint } from './goroutine-parser';
import type { Goroutine, GoroutineDump, GoroutineFrame } from './types';

export const PROFILE_HEADER = 'goroutine profile: total ';

/** `N @ 0x… 0x…`: the count of a record, else -1. */
function countOf(text: string, s: number, e: number): number {
  const m = /^(\d+) @(?: 0x[0-9a-f]+)*\s*$/.exec(text.slice(s, e));
  return m ? Number(m[1]) : -1;
}

/** `#	0xPC	FUNC+0xOFF	FILE:LINE` (TABs, or blanks after a paste), else null. */
function frameOf(text: string, s: number, e: number): GoroutineFrame | null {
  const m = /^#\s+0x[0-9a-f]+\s+(\S+?)(?:\+0x[0-9a-f]+)?\s+(\S.*):(\d+)\s*$/.exec(text.slice(s, e));
  return m ? { fn: m[1]!, args: [], file: m[2]!, line: Number(m[3]) } : null;
}

/** What a line of a profile is to the reader. */
export const ProfileLine = { other: 0, blank: 1, header: 2, record: 3, frame: 4, label: 5 } as const;
export type ProfileLine = (typeof ProfileLine)[keyof typeof ProfileLine];

export function classifyProfileLine(text: string, s: number, e: number): ProfileLine {
  if (s >= e) return ProfileLine.blank;
  const c = text.charCodeAt(s);
  if (c === 35) {
    if (text.startsWith('# labels:', s)) return ProfileLine.label;
    return frameOf(text, s, e) ? ProfileLine.frame : ProfileLine.other;
  }
  if (c === 103) return text.startsWith(PROFILE_HEADER, s) ? ProfileLine.header : ProfileLine.other;
  return c >= 48 && c <= 57 && countOf(text, s, e) >= 0 ? ProfileLine.record : ProfileLine.other;
}

/** Reads one profile, a line at a time, from its `goroutine profile:` header on. */
export class GoroutineProfileReader {
  readonly goroutines: Goroutine[] = [];
  line = -1;
  /** The total the header announced (NaN before it). */
  private total = NaN;
  private count = 0;
  private recordLine = -1;
  /** A record ended without frames. */
  private cut = false;
  private frames: GoroutineFrame[] = [];
  private readonly key = new StackKey();
  private readonly names = new Map<string, string>();

  constructor(private readonly hint: DumpHint) {}

  /** Reads the line [s, e) (after indentation) of the file's line `lineNo`; `other`: not profile text. */
  read(text: string, s: number, e: number, lineNo: number): ProfileLine {
    const kind = classifyProfileLine(text, s, e);
    switch (kind) {
      case ProfileLine.header:
        if (this.line < 0) this.line = lineNo;
        this.total = parseInt(text.slice(s + PROFILE_HEADER.length, e), 10);
        break;
      case ProfileLine.record:
        this.close();
        this.count = countOf(text, s, e);
        this.recordLine = lineNo;
        break;
      case ProfileLine.frame: {
        const f = frameOf(text, s, e)!;
        this.frames.push({ fn: this.name(f.fn), args: f.args, file: this.name(f.file), line: f.line });
        break;
      }
      case ProfileLine.blank:
        this.close();
        break;
    }
    return kind;
  }

  finish(): GoroutineDump | null {
    this.close();
    if (this.goroutines.length === 0) return null;
    const h = this.hint;
    const process = processOfFrames(this.goroutines) ?? h.process ?? 'unknown';
    return {
      process, pid: process === h.process ? h.pid : null,
      takenAt: h.takenAt, takenAtSource: h.takenAt === null ? 'none' : h.takenAtSource, basis: h.basis,
      goroutines: this.goroutines,
      // Records missing from the total, or one without its frames: the profile was cut off.
      truncated: this.cut || (this.total === this.total && this.goroutines.length < this.total),
      line: this.line,
    };
  }

  /** The record read so far, as `count` goroutines with one frame list. */
  private close(): void {
    if (this.count > 0) {
      if (this.frames.length === 0) this.cut = true;
      this.key.reset();
      for (const f of this.frames) {
        this.key.str(f.fn);
        this.key.str(f.file);
        this.key.num(f.line);
      }
      const stackKey = this.key.hex();
      for (let k = 0; k < this.count; k++) {
        this.goroutines.push({
          id: -2 - this.goroutines.length, state: 'unknown', waitMinutes: 0, lockedToThread: false, frames: this.frames,
          createdBy: null, createdByGoroutine: null, stackKey, line: this.recordLine,
        });
      }
    }
    this.count = 0;
    this.frames = [];
  }

  private name(s: string): string {
    const known = this.names.get(s);
    if (known !== undefined) return known;
    this.names.set(s, s);
    return s;
  }
}

/** Share of the sniff's non-blank lines that are profile text, 0 without a header and a frame. */
export function profileShare(lines: readonly string[]): number {
  let header = false;
  let frames = 0;
  let profile = 0;
  let other = 0;
  for (const line of lines) {
    const s = skipBlanks(line);
    const e = line.length - (line.endsWith('\r') ? 1 : 0);
    const kind = classifyProfileLine(line, s, e);
    if (kind === ProfileLine.blank) continue;
    if (kind === ProfileLine.header) header = true;
    if (kind === ProfileLine.frame) frames++;
    if (kind === ProfileLine.other) other++;
    else profile++;
  }
  return header && frames > 0 ? profile / (profile + other) : 0;
}

function skipBlanks(line: string): number {
  let k = 0;
  while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
  return k;
}
