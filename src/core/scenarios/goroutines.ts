// Go goroutine dumps in the runtime's own format (Go 1.19, as containerd 1.6.21 is built):
//   goroutine N [state, M minutes]:
//   pkg.func(args)
//   <TAB>/path/file.go:123 +0x1a2
//   created by pkg.creator
//   <TAB>/path/file.go:45 +0x3b
// with one blank line between goroutines.

import type { Rng } from './rng';

export interface GFrame {
  fn: string;
  args: string;
  file: string;
  line: number;
  /** PC offset; null for an inlined frame (printed without `+0x…`). */
  off: number | null;
}

export interface Goroutine {
  id: number;
  state: string;
  /** Wait time; printed only when ≥ 1 (`[select, 3 minutes]`). */
  minutes: number;
  locked?: boolean;
  frames: GFrame[];
  createdBy?: { fn: string; file: string; line: number; off: number };
}

export const GOROOT = '/usr/local/go/src/';
export const CTRD = '/go/src/github.com/containerd/containerd/';
export const VENDOR = `${CTRD}vendor/`;

export function frame(fn: string, args: string, file: string, line: number, off: number | null): GFrame {
  return { fn, args, file, line, off };
}

export function renderGoroutine(g: Goroutine): string {
  let head = `goroutine ${g.id} [${g.state}`;
  if (g.minutes >= 1) head += `, ${g.minutes} minutes`;
  if (g.locked) head += ', locked to thread';
  const out: string[] = [`${head}]:`];
  for (const f of g.frames) {
    out.push(`${f.fn}(${f.args})`);
    out.push(f.off === null ? `\t${f.file}:${f.line}` : `\t${f.file}:${f.line} +0x${f.off.toString(16)}`);
  }
  if (g.createdBy) {
    out.push(`created by ${g.createdBy.fn}`);
    out.push(`\t${g.createdBy.file}:${g.createdBy.line} +0x${g.createdBy.off.toString(16)}`);
  }
  return out.join('\n');
}

/** The text `runtime.Stack(buf, true)` returns: goroutines separated by a blank line, final newline. */
export function renderDump(gs: readonly Goroutine[]): string {
  return `${gs.map(renderGoroutine).join('\n\n')}\n`;
}

/** Argument words as Go prints them: heap pointers, text pointers, interface pairs, `?` guesses. */
export class Ptrs {
  constructor(
    private readonly rng: Rng,
    /** Base of the binary's text/rodata (PIE: 0x55…/0x56…; static: 0x4…–0xa…). */
    private readonly textBase: number,
    private readonly textSpan: number,
  ) {}

  heap(): string {
    return `0x${(0xc000000000 + this.rng.int(0x2000, 0x3fffff) * 8).toString(16)}`;
  }

  heapQ(): string {
    return `${this.heap()}?`;
  }

  text(): string {
    const v = this.textBase + this.rng.int(0, this.textSpan);
    // Type words and rodata are 8-byte aligned; code addresses are not.
    return `0x${(this.rng.chance(0.7) ? v - (v % 8) : v).toString(16)}`;
  }

  textQ(): string {
    return `${this.text()}?`;
  }

  /** An interface value: `{0x56190174ac08, 0xc000ae0180}`. */
  iface(textPtr?: string): string {
    return `{${textPtr ?? this.text()}, ${this.heap()}}`;
  }

  ifaceQ(): string {
    return `{${this.textQ()}, ${this.heapQ()}}`;
  }

  /** A slice or string: `{0xc001476780, 0x47}` / with cap. */
  slice(len: number, cap?: number): string {
    return cap === undefined ? `{${this.heap()}, 0x${len.toString(16)}}` : `{${this.heap()}, 0x${len.toString(16)}, 0x${cap.toString(16)}}`;
  }

  small(): string {
    return `0x${this.rng.int(0, 0x7f).toString(16)}`;
  }

  smallQ(): string {
    return `${this.small()}?`;
  }

  /** A raw poller descriptor (outside the Go heap). */
  pollDesc(): string {
    return `0x7f${this.rng.int(0x10, 0xff).toString(16)}${this.rng.hex(6)}${this.rng.int(0, 0xf).toString(16)}8`;
  }

  /** PC offset for a frame. */
  off(lo = 0x19, hi = 0x5ff): number {
    return this.rng.int(lo, hi);
  }
}

/**
 * Goroutine ids grow with creation time (the runtime hands them out from per-P batches of 16),
 * so an id tells roughly when a goroutine was created.
 */
export class GoIds {
  private used = new Set<number>();
  constructor(
    private readonly rng: Rng,
    private readonly startUs: number,
    /** New goroutines per second. */
    private readonly rate: number,
    private readonly firstId: number,
  ) {}

  at(us: number): number {
    const base = this.firstId + Math.floor((Math.max(0, us - this.startUs) / 1_000_000) * this.rate);
    let id = base + this.rng.int(0, 15);
    while (this.used.has(id)) id += this.rng.int(1, 5);
    this.used.add(id);
    return id;
  }

  fixed(id: number): number {
    let v = id;
    while (this.used.has(v)) v += 1;
    this.used.add(v);
    return v;
  }
}

export function minutesBetween(fromUs: number, toUs: number): number {
  return Math.max(0, Math.floor((toUs - fromUs) / 60_000_000));
}

/** Runtime order: ascending ids with some displacement (reused g structs keep their place). */
export function dumpOrder(rng: Rng, gs: Goroutine[], first: Goroutine): Goroutine[] {
  const rest = gs.filter((g) => g !== first).sort((a, b) => a.id - b.id);
  for (let i = 0; i < rest.length; i++) {
    if (rng.chance(0.12)) {
      const j = Math.min(rest.length - 1, i + rng.int(1, 12));
      const t = rest[i] as Goroutine;
      rest[i] = rest[j] as Goroutine;
      rest[j] = t;
    }
  }
  return [first, ...rest];
}

// Shared stack fragments --------------------------------------------------------------------

/** The netpoller wait at the bottom of any blocking read: runtime_pollWait … (*FD).Read. */
export function pollRead(p: Ptrs): GFrame[] {
  const fd = p.heap();
  const buf = p.heap();
  return [
    frame('internal/poll.runtime_pollWait', `${p.pollDesc()}, 0x72`, `${GOROOT}runtime/netpoll.go`, 305, 0x89),
    frame('internal/poll.(*pollDesc).wait', `${fd}?, ${buf}?, 0x0`, `${GOROOT}internal/poll/fd_poll_runtime.go`, 84, 0x32),
    frame('internal/poll.(*pollDesc).waitRead', '...', `${GOROOT}internal/poll/fd_poll_runtime.go`, 89, null),
    frame('internal/poll.(*FD).Read', `${fd}, {${buf}, 0x1000, 0x1000}`, `${GOROOT}internal/poll/fd_unix.go`, 167, 0x25a),
  ];
}

export function netConnRead(p: Ptrs): GFrame[] {
  const fd = p.heap();
  return [
    ...pollRead(p),
    frame('net.(*netFD).Read', `${fd}, {${p.heapQ()}, ${p.heapQ()}, ${p.textQ()}}`, `${GOROOT}net/fd_posix.go`, 55, 0x29),
    frame('net.(*conn).Read', `${p.heap()}, {${p.heapQ()}, 0x0?, 0x0?}`, `${GOROOT}net/net.go`, 183, 0x45),
  ];
}

export function fileRead(p: Ptrs): GFrame[] {
  const f = p.heap();
  return [
    ...pollRead(p),
    frame('os.(*File).read', '...', `${GOROOT}os/file_posix.go`, 31, null),
    frame('os.(*File).Read', `${f}, {${p.heapQ()}, 0x8000?, ${p.textQ()}}`, `${GOROOT}os/file.go`, 119, 0x5e),
  ];
}

export function acceptLoop(p: Ptrs): GFrame[] {
  const fd = p.heap();
  return [
    frame('internal/poll.runtime_pollWait', `${p.pollDesc()}, 0x72`, `${GOROOT}runtime/netpoll.go`, 305, 0x89),
    frame('internal/poll.(*pollDesc).wait', `${fd}?, 0x4?, 0x0`, `${GOROOT}internal/poll/fd_poll_runtime.go`, 84, 0x32),
    frame('internal/poll.(*pollDesc).waitRead', '...', `${GOROOT}internal/poll/fd_poll_runtime.go`, 89, null),
    frame('internal/poll.(*FD).Accept', fd, `${GOROOT}internal/poll/fd_unix.go`, 614, 0x22c),
    frame('net.(*netFD).accept', fd, `${GOROOT}net/fd_unix.go`, 172, 0x35),
    frame('net.(*UnixListener).accept', p.heapQ(), `${GOROOT}net/unixsock_posix.go`, 166, 0x1c),
    frame('net.(*UnixListener).Accept', p.heap(), `${GOROOT}net/unixsock.go`, 260, 0x3d),
  ];
}
