// Kernel hung-task reports (khungtaskd, FORMATS.md §5) gathered into one event each. The
// collector sees kernel messages one at a time (without their dmesg or journald prefix) and
// says whether each one starts a report, continues it, or is something else. A report is the
// `INFO: task … blocked` line and every following line that belongs to it: the taint and
// `echo 0 >` notes, the task line (three layouts across kernel versions), the raw stack words of
// old kernels, `Call Trace:`, `<TASK>`…`</TASK>`, frames and the user-space registers.
import { newKernelStamp, readKernelStamp } from './dmesg-line';
import type { NodeEvent } from './types';

export type Basis = NodeEvent['basis'];

export const HungLine = {
  /** Not part of a report (any open report ended before this line). */
  none: 0,
  /** `INFO: task … blocked for more than N seconds.`: a new report. */
  head: 1,
  /** Belongs to the open report. */
  body: 2,
} as const;
export type HungLine = (typeof HungLine)[keyof typeof HungLine];

const HEAD = /^INFO: task (.+):(\d+) blocked for more than (\d+) seconds/;
const TAINT = /^(?:Not tainted|Tainted:[A-Z ]*?) +(\d\S*)/;
/** 5.10+: `task:containerd-shim state:D stack:    0 pid:42379 ppid:     1 flags:0x00004080`. */
const TASK_NEW = /^task:(.+?) +state:(\S+)/;
const PID = /\bpid: *(\d+)/;
const PPID = /\bppid: *(\d+)/;
/** ≤ 5.4: `dockerd         D    0  1037      1 0x00004080` (3.x adds a task pointer after the state). */
const TASK_OLD = /^(\S.{0,14}?) +([A-Z]) +(?:[0-9a-f]{8,16} +)?\d+ +(\d+) +(\d+) +0x[0-9a-f]+$/;
/** `[<ffffffff8163a909>] ? schedule+0x29/0x70 [mod]`: address and `? ` optional. */
const FRAME = /^(?:\[<[0-9a-f]+>\] )?(\? )?([\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[[^\]]+\])?)/;
/** 32-bit ARM: `[<807762c0>] (__schedule) from [<80776938>] (schedule+0x50/0xa8)`. */
const ARM_FRAME = /^\[<[0-9a-f]+>\] \(([^)]+)\) from /;
const STACK_WORDS = /^[0-9a-f]{8,16}(?: [0-9a-f]{8,16})+$/;
const REGISTERS = /^(?:R(?:IP|SP|AX|BX|CX|DX|SI|DI|BP|\d{1,2})|[CDEFG]S|CR\d|DR\d|Code): /;
const MARKERS = /^(?:<\/?(?:TASK|IRQ|NMI|EOI)>|Call [Tt]race:|"echo 0 > \/proc\/sys\/kernel\/hung_task_timeout_secs" disables this message\.|Future hung task reports are suppressed.*|INFO: task .+ blocked on .*|Workqueue: .*)$/;

interface OpenReport {
  ts: number;
  basis: Basis;
  title: string;
  fields: Record<string, string | number>;
  stack: string[];
  line: number;
  lastLine: number;
  /** The first task line names the blocked task; later ones (a lock owner's) add nothing. */
  taskSeen: boolean;
}

const MAX_EVENTS = 10_000;
const MAX_FRAMES = 256;
/** Report lines are short; a longer one is something else (and is not worth copying). */
const MAX_LINE = 4096;

export class HungTaskCollector {
  private readonly events: NodeEvent[] = [];
  private open: OpenReport | null = null;
  private readonly stamp = newKernelStamp();

  /** Time and basis of the report the last `head` or `body` line belongs to (kept after it closes). */
  ts = NaN;
  basis: Basis = 'utc';

  /**
   * One kernel message: line[start, end) without its prefix. A raw `[ 123.456789] ` stamp left
   * in the message (syslog files of kernel lines) is skipped. `lineNo` is the 0-based file line.
   */
  feed(line: string, start: number, end: number, lineNo: number, ts: number, basis: Basis): HungLine {
    let i = start;
    // `[<807762c0>] (…) from` and `[<ffffffff8163a909>] fn+0x…` are frame addresses, not the
    // `[<    0.000123>]` delta stamp they would read as: the frame patterns need them.
    if (line.charCodeAt(i) === 91 && line.charCodeAt(i + 1) !== 60 && readKernelStamp(line, i, end, this.stamp) && this.stamp.start > i) i = this.stamp.start;
    // The cheap test first: most kernel lines are neither a report nor inside one.
    if (this.open === null && !line.startsWith('INFO: task ', i)) return HungLine.none;
    if (end - i > MAX_LINE) {
      this.close();
      return HungLine.none;
    }
    const text = line.slice(i, end).trim();
    const head = HEAD.exec(text);
    if (head) {
      this.close();
      this.begin(head, lineNo, ts, basis);
      return HungLine.head;
    }
    const open = this.open;
    if (open === null) return HungLine.none;
    if (!this.readBody(open, text)) {
      this.close();
      return HungLine.none;
    }
    open.lastLine = lineNo;
    // 6.x kernels close the trace: nothing after `</TASK>` belongs to the report.
    if (text === '</TASK>') this.close();
    return HungLine.body;
  }

  /** Ends the open report (end of file) and returns every event found. */
  finish(): NodeEvent[] {
    this.close();
    return this.events;
  }

  private begin(head: RegExpExecArray, lineNo: number, ts: number, basis: Basis): void {
    this.ts = ts;
    this.basis = basis;
    this.open = {
      ts, basis, line: lineNo, lastLine: lineNo, taskSeen: false, stack: [],
      title: head[0].slice('INFO: '.length),
      fields: { task: head[1] ?? '', pid: Number(head[2]), blockedSeconds: Number(head[3]) },
    };
  }

  /** Reads one line of an open report into it; false when the line is not part of a report. */
  private readBody(open: OpenReport, text: string): boolean {
    if (text.length === 0) return false;
    const frame = FRAME.exec(text);
    if (frame) {
      if (open.stack.length < MAX_FRAMES) open.stack.push((frame[1] ?? '') + (frame[2] ?? ''));
      return true;
    }
    const arm = ARM_FRAME.exec(text);
    if (arm) {
      if (open.stack.length < MAX_FRAMES) open.stack.push(arm[1] ?? '');
      return true;
    }
    if (MARKERS.test(text)) {
      if (text.startsWith('Workqueue: ')) open.fields.workqueue ??= text.slice('Workqueue: '.length);
      return true;
    }
    const taint = TAINT.exec(text);
    if (taint) {
      open.fields.kernel ??= taint[1] ?? '';
      return true;
    }
    if (this.readTask(open, text)) return true;
    return STACK_WORDS.test(text) || REGISTERS.test(text);
  }

  private readTask(open: OpenReport, text: string): boolean {
    const f = open.fields;
    const task = TASK_NEW.exec(text);
    if (task) {
      if (!open.taskSeen) {
        open.taskSeen = true;
        f.state = task[2] ?? '';
        const pid = PID.exec(text);
        const ppid = PPID.exec(text);
        if (pid) f.pid = Number(pid[1]);
        if (ppid) f.ppid = Number(ppid[1]);
      }
      return true;
    }
    const old = TASK_OLD.exec(text);
    if (!old) return false;
    if (!open.taskSeen) {
      open.taskSeen = true;
      f.state = old[2] ?? '';
      f.pid = Number(old[3]);
      f.ppid = Number(old[4]);
    }
    return true;
  }

  private close(): void {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    if (this.events.length >= MAX_EVENTS) return;
    this.events.push({
      kind: 'hung-task', ts: open.ts, basis: open.basis, title: open.title, fields: open.fields,
      stack: open.stack, line: open.line, lineCount: open.lastLine - open.line + 1,
    });
  }
}
