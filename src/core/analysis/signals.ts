// The signal tap: while a file is parsed, remember the few lines the detectors need, so the
// analysis never re-reads a 100 MB log. It runs on every line, so the common case (a line that
// matters to no detector) must be rejected with O(1) tests and at most one or two indexOf scans
// for characters that are rare in logs; only rare lines (warnings, errors, unlevelled) get the
// full needle list.

import { Level, type Origin } from '../model';

/**
 * Coarse families, one per consuming detector: `relist` (PLEG relist ticks, kept without text),
 * `pleg` (PLEG health, slow relists, runtime status), `runtime` (CRI and containerd errors,
 * shims, restarts), `pull` (image pulls, kubelet and containerd sides) and `problem` (any other
 * warning or error, and kernel trouble: what an incident no pattern knows leaves behind).
 */
export type SignalKind = 'relist' | 'pleg' | 'runtime' | 'pull' | 'problem';

/** One tapped line as stored with the parse result: stamps in the basis the parser used. */
export interface TappedLine {
  kind: SignalKind;
  ts: number;
  /** 0 = absolute stamp, 1 = wall clock (moved with the source's zone), 2 = seconds since boot. */
  basis: 0 | 1 | 2;
  /** The line's level, for `problem` lines (a kernel line of unknown level counts as an error). */
  level?: number;
  line: number;
  offset: number;
  text: string;
}

/** Per-kind caps: a pathological file (a relist loop, an error storm) cannot exhaust memory. */
export const SIGNAL_CAPS: Record<SignalKind, number> = { relist: 200_000, pleg: 20_000, runtime: 20_000, pull: 20_000, problem: 20_000 };
const TEXT_MAX = 600;

/** Lines with these needles (anywhere) are signals of the given family; checked only on rare lines. */
const SLOW_NEEDLES: [string, SignalKind][] = [
  ['PLEG', 'pleg'], ['pleg ', 'pleg'], ['relist took', 'pleg'], ['untime status check', 'pleg'], ['untime not ready', 'pleg'],
  ['Pull', 'pull'], ['pulled image', 'pull'], ['returns image reference', 'pull'],
  ['TaskExit', 'runtime'], ['eadline', 'runtime'], ['shim disconnected', 'runtime'], ['dead shim', 'runtime'],
  ['connection refused', 'runtime'], ['transport is closing', 'runtime'], ['Unavailable', 'runtime'],
  ['starting containerd', 'runtime'], ['successfully booted', 'runtime'], ['containerd.service', 'runtime'],
];
/** Kernel messages that mean trouble whatever their level (raw dmesg has none). */
const KERNEL_TROUBLE = /Out of memory|oom-kill|oom_reaper|Killed process|I\/O error|blk_update_request|EXT4-fs error|XFS \(.*\): .*(error|corrupt)|Remounting filesystem read-only|soft lockup|hard LOCKUP|segfault at|page allocation failure|task abort|Call Trace|nfs: server .* not responding/;

/** Info lines of the runtime's own log: shims and restarts are logged at info. */
const RUNTIME_INFO_NEEDLES = ['shim', 'booted', 'starting containerd'];

export class SignalTap {
  readonly bySource = new Map<Origin, TappedLine[]>();
  private readonly counts: Record<SignalKind, number> = { relist: 0, pleg: 0, runtime: 0, pull: 0, problem: 0 };
  dropped = 0;

  /** Looks at one timed record line (continuations and untimed lines never carry a signal). */
  take(text: string, origin: Origin, level: number, ts: number, local: boolean, relative: boolean, line: number, offset: number): void {
    const n = text.length;
    if (n < 16) return;
    const last = text.charCodeAt(n - 1);
    // "GenericPLEG: Relisting" ends the line in both klog styles (quoted structured, plain).
    if ((last === 34 || last === 103) && text.endsWith('Relisting', last === 34 ? n - 1 : n) && text.indexOf('PLEG') !== -1) {
      this.keep('relist', origin, ts, local, relative, line, offset, '');
      return;
    }
    // JSON records (klog --logging-format=json, journalctl -o json) end with "}": the message is inside.
    if (last === 125 && text.indexOf('PLEG: Relisting') !== -1) {
      this.keep('relist', origin, ts, local, relative, line, offset, '');
      return;
    }
    if (level === Level.debug || level === Level.trace || origin === 'metrics' || origin === 'goroutines') return;
    if (origin === 'kernel') {
      // Hung tasks come as events; other kernel trouble is a problem line, at its level or as an error.
      if (level >= Level.warn || KERNEL_TROUBLE.test(text)) this.keep('problem', origin, ts, local, relative, line, offset, cut(text, 0), level >= Level.warn ? level : Level.error);
      return;
    }
    let kind: SignalKind | null = null;
    let at = 0;
    if (level === Level.info) {
      // Where the last "took" is, found once per line: scanning for it after every "PLEG" is quadratic on a long line.
      let lastTook = -2;
      for (let i = text.indexOf('P'); i !== -1; i = text.indexOf('P', i + 1)) {
        const c = text.charCodeAt(i + 1);
        if (c === 117 /* u */ && text.startsWith('Pull', i)) { kind = 'pull'; at = i; break; }
        if (c !== 76 /* L */ || !text.startsWith('PLEG', i)) continue;
        if (lastTook === -2) lastTook = text.lastIndexOf('took');
        // "SyncLoop (PLEG): event" and GenericPLEG state changes are routine; health and slow relists are not.
        if (!isRoutinePleg(text, i, lastTook)) { kind = 'pleg'; at = i; break; }
      }
      if (kind === null && origin !== 'kubelet') {
        for (const needle of RUNTIME_INFO_NEEDLES) {
          if (text.indexOf(needle) !== -1) {
            [kind, at] = slowClassify(text);
            break;
          }
        }
      }
    } else {
      [kind, at] = slowClassify(text);
      if (kind === null && level >= Level.warn) {
        this.keep('problem', origin, ts, local, relative, line, offset, cut(text, 0), level);
        return;
      }
    }
    if (kind === null) return;
    this.keep(kind, origin, ts, local, relative, line, offset, cut(text, at));
  }

  private keep(kind: SignalKind, origin: Origin, ts: number, local: boolean, relative: boolean, line: number, offset: number, text: string, level?: number): void {
    if (this.counts[kind] >= SIGNAL_CAPS[kind]) {
      this.dropped++;
      return;
    }
    this.counts[kind]++;
    let list = this.bySource.get(origin);
    if (!list) this.bySource.set(origin, (list = []));
    const tapped: TappedLine = { kind, ts, basis: relative ? 2 : local ? 1 : 0, line, offset, text };
    if (level !== undefined) tapped.level = level;
    list.push(tapped);
  }
}

/** A long line's text around `at` (where its needle was), at most TEXT_MAX characters. */
function cut(text: string, at: number): string {
  if (text.length <= TEXT_MAX) return text;
  const from = Math.max(0, at - TEXT_MAX / 2);
  return text.slice(from, from + TEXT_MAX);
}

function isRoutinePleg(text: string, at: number, lastTook: number): boolean {
  const before = text.charCodeAt(at - 1);
  return before === 40 /* ( */ || (before === 99 /* c */ && lastTook < at);
}

function slowClassify(text: string): [SignalKind | null, number] {
  for (const [needle, kind] of SLOW_NEEDLES) {
    const at = text.indexOf(needle);
    if (at !== -1) return [kind, at];
  }
  return [null, 0];
}
