// The signal tap: while a file is parsed, remember the few lines the detectors need, so the
// analysis never re-reads a 100 MB log. It runs on every line, so the common case (a line that
// matters to no detector) must be rejected with O(1) tests and at most one or two indexOf scans
// for characters that are rare in logs; only rare lines (warnings, errors, unlevelled) get the
// full needle list.

import { Level, type Origin } from '../model';

/**
 * Coarse families, one per consuming detector: `relist` (PLEG relist ticks, kept without text),
 * `pleg` (PLEG health, slow relists, runtime status), `runtime` (CRI and containerd errors,
 * shims, restarts), `pull` (image pulls and their failures, kubelet and containerd sides),
 * `clock` (wall-clock steps: chronyd, ntpd, systemd), `problem` (any other warning or error, and
 * kernel trouble: what an incident no pattern knows leaves behind) and `silence` (a source that
 * logged nothing for SILENCE_US: kept without text, `since` is its line before the hole).
 * `eviction`: kubelet's resource-pressure lines, any resource (the eviction manager's reclaim
 * episodes and evictions, node condition events, the system OOM watcher, Evicted/SystemOOM events,
 * kubelet's image and container garbage collection). `disk`: ENOSPC wherever it is said, garbage
 * collection failures, journald's truncated or unwritable journal files. `network`: pod sandbox
 * network setup and teardown failing (CNI plugins), the runtime's network not ready. `apiserver`:
 * kubelet's certificate manager at info (client certificate expiry, rotation); kubelet's failing
 * API calls are warnings and errors, kept in whichever family their text falls in.
 */
export type SignalKind = 'relist' | 'pleg' | 'runtime' | 'pull' | 'clock' | 'problem' | 'silence' | 'eviction' | 'disk' | 'network' | 'apiserver';

/** One tapped line as stored with the parse result: stamps in the basis the parser used. */
export interface TappedLine {
  kind: SignalKind;
  ts: number;
  /** 0 = absolute stamp, 1 = wall clock (moved with the source's zone), 2 = seconds since boot. */
  basis: 0 | 1 | 2;
  /** The line's level when warning or worse, in every family (a kernel `problem` line of unknown level counts as an error). */
  level?: number;
  /** `silence` only: the stamp of the source's last line before the hole (same basis as `ts`). */
  since?: number;
  line: number;
  offset: number;
  text: string;
}

/** Per-kind caps: a pathological file (a relist loop, an error storm) cannot exhaust memory. */
export const SIGNAL_CAPS: Record<SignalKind, number> = { relist: 200_000, pleg: 20_000, runtime: 20_000, pull: 20_000, clock: 20_000, problem: 20_000, silence: 20_000, eviction: 20_000, disk: 20_000, network: 20_000, apiserver: 20_000 };
const TEXT_MAX = 600;
/**
 * A source with no timed line for this long has a hole worth noting: a relist gap during which
 * every log of the node was silent is a capture gap or a node down, not a PLEG stall.
 */
export const SILENCE_US = 30_000_000;

/** Lines with these needles (anywhere) are signals of the given family; checked only on rare lines. */
export const SLOW_NEEDLES: [string, SignalKind][] = [
  // First: an eviction that failed on a deadline is still the eviction manager's line.
  ['viction manager', 'eviction'], ['TaskOOM', 'runtime'],
  // Pod networking before the runtime's needles: a CNI plugin's refused dial or deadline inside a sandbox error is not the runtime failing.
  ['network for sandbox', 'network'], ['failed (add)', 'network'], ['failed (delete)', 'network'], ['NetworkPlugin', 'network'],
  ['etwork not ready', 'network'], ['etwork is not ready', 'network'], ['cni config', 'network'], ['cni plugin', 'network'],
  ['no network config found', 'network'], ['failed to find plugin', 'network'], ['no IP addresses available', 'network'],
  ['PLEG', 'pleg'], ['pleg ', 'pleg'],
  // kubelet's "Failed to pull image" names no `Pull`; its cause ("failed to pull and unpack image") neither.
  ['to pull', 'pull'], ['relist took', 'pleg'], ['untime status check', 'pleg'], ['untime not ready', 'pleg'],
  // kubelet 1.27+ words the same check "container runtime is down"; the start-up check "sanity check failed".
  ['untime is down', 'pleg'], ['untime sanity check', 'pleg'],
  ['Pull', 'pull'], ['pulled image', 'pull'], ['returns image reference', 'pull'],
  ['TaskExit', 'runtime'], ['eadline', 'runtime'], ['shim disconnected', 'runtime'], ['dead shim', 'runtime'],
  ['connection refused', 'runtime'], ['transport is closing', 'runtime'], ['Unavailable', 'runtime'],
  ['starting containerd', 'runtime'], ['successfully booted', 'runtime'], ['containerd.service', 'runtime'],
  // Last, so the families above keep their lines (disk.ts looks for ENOSPC in every warning and error line).
  ['o space left', 'disk'], ['arbage collect', 'disk'], ['is truncated, ignoring', 'disk'],
];
/**
 * Kernel messages that mean trouble whatever their level (raw dmesg has none). Every wildcard is
 * bounded: on a long line with many `XFS (` an unbounded `.*` backtracked for a minute (fuzzing).
 */
const KERNEL_TROUBLE = /[Oo]ut of memory|oom-kill|memory: usage \d|killed as a result of limit|oom_reaper|Killed process|I\/O [Ee]rror|blk_update_request|EXT4-fs error|XFS \([^)]{1,64}\): .{0,200}(?:[Ee]rror|[Cc]orrupt)|Remounting filesystem read-only|[Ss]hutting down filesystem|soft lockup|hard LOCKUP|segfault at|page allocation failure|task abort|Call Trace|nfs: server \S{1,255} not responding|[Nn]o space left|errno:? -?28\b|with error 28\b|nvme\d+: I\/O \d+ QID|reset controller|controller is down|Emask 0x|FAILED Result|[Mm]edium [Ee]rror/;

/** Info lines of the runtime's own log: shims and restarts are logged at info. */
const RUNTIME_INFO_NEEDLES = ['shim', 'booted', 'starting containerd', 'TaskOOM'];

/** Daemons that set the clock: their lines are few, so each one may be matched in full. */
const TIME_DAEMONS = new Set<Origin>(['chronyd', 'ntpd', 'ntpdate', 'openntpd', 'sntp', 'timesyncd']);
/** A step of the wall clock, as chronyd, ntpd and systemd (PID 1, timesyncd, resolved) say it. */
const CLOCK_STEP = /System clock wrong by|System clock was stepped|clock was stepped|Time has been changed|Clock change detected|step time server|time reset [+-]?\d|clock_step|Time jumped/;

/** Whether a line says the wall clock was stepped: O(1) unless its daemon sets the clock. */
function isClockStep(text: string, origin: Origin): boolean {
  if (TIME_DAEMONS.has(origin)) return CLOCK_STEP.test(text);
  // systemd's units (PID 1, timesyncd, resolved) log much else: only the exact endings are looked at.
  return origin === 'systemd' && (text.endsWith('Time has been changed') || text.endsWith('Clock change detected. Flushing caches.'));
}

/** Where a block line's text starts when its tab became spaces behind a journal prefix (`kubelet[2107]:         text`), or -1. */
function indentedAfterPrefix(text: string): number {
  const colon = text.indexOf(']: ');
  if (colon === -1 || text.charCodeAt(colon + 3) !== 32) return -1;
  let i = colon + 3;
  while (text.charCodeAt(i) === 32) i++;
  // ` > ` (one space, then `>`) closes the block: not a line of it.
  return i - colon - 3 >= 2 && text.charCodeAt(i) !== 62 ? i : -1;
}

/** Text a `key=<` block adds to its record at most (its first lines name the errors). */
const BLOCK_TEXT_MAX = 4 * TEXT_MAX;

interface OpenRecord {
  text: string;
  origin: Origin;
  level: number;
  ts: number;
  local: boolean;
  relative: boolean;
  line: number;
  offset: number;
}

/** Per origin: the stamp basis and the latest stamp seen, to note holes in its logging. */
interface Quiet {
  origin: Origin;
  basis: number;
  last: number;
}

export class SignalTap {
  readonly bySource = new Map<Origin, TappedLine[]>();
  private readonly counts: Record<SignalKind, number> = { relist: 0, pleg: 0, runtime: 0, pull: 0, clock: 0, problem: 0, silence: 0, eviction: 0, disk: 0, network: 0, apiserver: 0 };
  private readonly quietByOrigin = new Map<Origin, Quiet>();
  private quiet: Quiet | null = null;
  /** Where the last kubelet klog text line named its source file (-1: not known yet). */
  private klogFileAt = -1;
  /**
   * A record whose value goes on in a klog `key=<` block (a tab-indented line per line of the
   * value, then ` > ` and the keys after it): classified once the block is read, since kubelet
   * 1.27+ puts joined errors (the cause a detector needs) there, not on the record's line.
   */
  private open: OpenRecord | null = null;
  dropped = 0;

  /** Looks at one timed record line (continuations and untimed lines never carry a signal). */
  take(text: string, origin: Origin, level: number, ts: number, local: boolean, relative: boolean, line: number, offset: number): void {
    if (this.open !== null) this.closeBlock();
    // Holes first, on every timed line: a few comparisons, and a map look-up only when the origin changes.
    let q = this.quiet;
    if (q === null || q.origin !== origin) q = this.quietOf(origin);
    const basis = relative ? 2 : local ? 1 : 0;
    if (basis !== q.basis) {
      q.basis = basis;
      q.last = ts;
    } else if (ts > q.last) {
      if (ts - q.last > SILENCE_US) this.keepSilence(origin, q.last, ts, basis, line, offset);
      q.last = ts;
    }
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
    if (last === 60 && text.charCodeAt(n - 2) === 61) {
      this.open = { text, origin, level, ts, local, relative, line, offset };
      return;
    }
    this.classify(text, origin, level, ts, local, relative, line, offset);
  }

  /** A continuation line of the last record: a line of its `key=<` block, if it has one open. */
  continueRecord(text: string): void {
    const o = this.open;
    if (o === null) return;
    // klog indents a block's lines with a tab; a journal viewer may have expanded it to spaces.
    const tab = text.indexOf('\t');
    const at = tab !== -1 ? tab + 1 : indentedAfterPrefix(text);
    if (at !== -1) {
      if (o.text.length < BLOCK_TEXT_MAX) o.text += ` ${text.slice(at)}`;
      return;
    }
    // ` > ` closes the block; the record's other keys follow it.
    const close = text.indexOf(' >');
    if (close !== -1) o.text += text.slice(close + 2);
    this.closeBlock();
  }

  /** Classifies a record still waiting for the rest of its block (call once, after the last line). */
  finish(): void {
    if (this.open !== null) this.closeBlock();
  }

  private closeBlock(): void {
    const o = this.open!;
    this.open = null;
    this.classify(o.text, o.origin, o.level, o.ts, o.local, o.relative, o.line, o.offset);
  }

  private classify(text: string, origin: Origin, level: number, ts: number, local: boolean, relative: boolean, line: number, offset: number): void {
    if (origin === 'kernel') {
      // Hung tasks come as events; other kernel trouble is a problem line, at its level or as an error.
      // An OOM report's constraint line names two cgroup paths (~650 characters behind a journald prefix): kernel lines keep twice the text.
      if (level >= Level.warn || KERNEL_TROUBLE.test(text)) this.keep('problem', origin, ts, local, relative, line, offset, text.length <= 2 * TEXT_MAX ? text : cut(text, 0), level >= Level.warn ? level : Level.error);
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
      if (kind === null && origin === 'kubelet') {
        const p = this.kubeletPressureAt(text);
        if (p !== -1) {
          // pressureAt's only other file: the certificate manager (`certificate_manager.go`, `cert_rotation.go`).
          kind = text.startsWith('cert', p) ? 'apiserver' : 'eviction';
          at = p;
        }
      } else if (kind === null) {
        for (const needle of RUNTIME_INFO_NEEDLES) {
          if (text.indexOf(needle) !== -1) {
            [kind, at] = slowClassify(text);
            break;
          }
        }
        if (kind === null && isClockStep(text, origin)) kind = 'clock';
      }
    } else {
      [kind, at] = slowClassify(text);
      if (kind === null && isClockStep(text, origin)) kind = 'clock';
      if (kind === null && level >= Level.warn) {
        this.keep('problem', origin, ts, local, relative, line, offset, cut(text, 0), level);
        return;
      }
    }
    if (kind === null) return;
    // Every family keeps a warning's or error's level: a failure its detector does not classify is still a problem.
    const bad = level >= Level.warn;
    // A failed pull's or sandbox's cause and pod come last, after the wrapped errors: keep a long line's end too
    // (a sandbox line's head too: old kubelets name the pod there).
    this.keep(kind, origin, ts, local, relative, line, offset, bad && kind === 'pull' ? cutKeepingEnd(text, at) : bad && kind === 'network' ? cutKeepingEnd(text, 0) : cut(text, at), bad ? level : undefined);
  }

  /**
   * Where a kubelet info line about resource pressure has its message, or -1. kubelet's klog lines
   * name their source file right after the header, at the same place in every line of a file (one
   * prefix width): the place found once by a scan to `.go:` is tested at O(1) on the next lines,
   * so the other info lines pay no scan of their message.
   */
  private kubeletPressureAt(text: string): number {
    let at = this.klogFileAt;
    if (at === -1 || !klogFileAt(text, at)) {
      const go = text.indexOf('.go:');
      if (go === -1) return -1;
      at = fileNameStart(text, go);
      if (klogFileAt(text, at)) this.klogFileAt = at;
    }
    return pressureAt(text, at);
  }

  private quietOf(origin: Origin): Quiet {
    let q = this.quietByOrigin.get(origin);
    if (!q) this.quietByOrigin.set(origin, (q = { origin, basis: -1, last: 0 }));
    this.quiet = q;
    return q;
  }

  private keepSilence(origin: Origin, since: number, ts: number, basis: 0 | 1 | 2, line: number, offset: number): void {
    if (this.counts.silence >= SIGNAL_CAPS.silence) {
      this.dropped++;
      return;
    }
    this.counts.silence++;
    let list = this.bySource.get(origin);
    if (!list) this.bySource.set(origin, (list = []));
    list.push({ kind: 'silence', ts, since, basis, line, offset, text: '' });
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

/** A long line's text from just before `at` and its last characters, at most TEXT_MAX in all. */
function cutKeepingEnd(text: string, at: number): string {
  if (text.length <= TEXT_MAX) return text;
  const from = Math.max(0, at - TEXT_MAX / 4);
  return `${text.slice(from, from + TEXT_MAX / 2)} … ${text.slice(text.length - TEXT_MAX / 2)}`;
}

function isRoutinePleg(text: string, at: number, lastTook: number): boolean {
  const before = text.charCodeAt(at - 1);
  return before === 40 /* ( */ || (before === 99 /* c */ && lastTook < at);
}

/** The eviction manager's episode lines, not its routine ones ("no observation found for eviction signal"). */
const EVICTION_EPISODE = /reclaim|ranked|evicted|to evict/;
const PRESSURE_EVENT = /reason[=:] ?["']?(?:Evicted|SystemOOM|EvictionThresholdMet|FreeDiskSpaceFailed|ImageGCFailed)/;
/** Image GC working under pressure (over the high threshold, removing images, freeing bytes), not its per-image bookkeeping at -v=5. */
const IMAGE_GC_EPISODE = /Disk usage|[Rr]emoving image|delete unused|to free|[Ff]ailed/;

/**
 * Whether a klog text header (`I0331 07:55:31.545065    1234 file.go:12] `: level, date, time, pid
 * padded to 7) ends right before `at`: a few fixed-position tests, no scan.
 */
function klogFileAt(text: string, at: number): boolean {
  if (at < 30 || text.charCodeAt(at - 1) !== 32 || text.charCodeAt(at - 9) !== 32 || text.charCodeAt(at - 16) !== 46 || text.charCodeAt(at - 22) !== 58) return false;
  const level = text.charCodeAt(at - 30);
  return level === 73 || level === 87 || level === 69 || level === 70;
}

/** Where the file name ending at `go` (its `.go:`) starts: klog text, or klog JSON's `"caller":"eviction/eviction_manager.go:366"`. */
function fileNameStart(text: string, go: number): number {
  let at = go;
  for (let c = text.charCodeAt(at - 1); (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95; c = text.charCodeAt(at - 1)) at--;
  return at;
}

/**
 * Where a kubelet line about resource pressure has its message, given where its klog source file
 * name starts, or -1: `eviction_manager.go` (reclaim episodes), `kubelet_node_status.go` (`NodeHas…`
 * condition events), `oom_watcher[_linux].go` (system OOM notices), `event.go` (Warning events:
 * Evicted, SystemOOM, EvictionThresholdMet, FreeDiskSpaceFailed, ImageGCFailed), `image_gc_manager.go`
 * and `container_gc.go` (garbage collection under disk pressure); also `certificate_manager.go` and
 * `cert_rotation.go` (the client certificate's expiry and rotation: kind `apiserver`, not pressure).
 * Only these files' lines are scanned further.
 */
function pressureAt(text: string, at: number): number {
  switch (text.charCodeAt(at)) {
    case 101 /* e */:
      if (text.startsWith('eviction_manager.go:', at)) return EVICTION_EPISODE.test(text) ? at : -1;
      if (!text.startsWith('event.go:', at) || text.indexOf('Warning', at) === -1) return -1;
      return PRESSURE_EVENT.test(text) ? at : -1;
    case 111 /* o */:
      return text.startsWith('oom_watcher', at) ? at : -1;
    case 107 /* k */:
      return text.startsWith('kubelet_node_status.go:', at) ? text.indexOf('NodeHas', at) : -1;
    case 105 /* i */:
      return text.startsWith('image_gc_manager.go:', at) && IMAGE_GC_EPISODE.test(text) ? at : -1;
    case 99 /* c */:
      // container_gc: logged only when the eviction manager reclaims nodefs (DeleteAllUnusedContainers).
      // The certificate manager logs the client certificate's expiry and rotation at info: a few lines a day.
      return text.startsWith('container_gc.go:', at) || text.startsWith('certificate_manager.go:', at) || text.startsWith('cert_rotation.go:', at) ? at : -1;
    default:
      return -1;
  }
}

/**
 * Every needle in one pattern, in SLOW_NEEDLES' order: at each place the first needle of the list
 * that starts there matches. One pass over a line instead of ~35 searches of it (5 → 2-3 µs per
 * warning line of ~370 characters, the 100 MB bundle's ~12,600).
 */
const SLOW_PATTERN = new RegExp(SLOW_NEEDLES.map(([n]) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const SLOW_RANK = new Map(SLOW_NEEDLES.map(([n], i) => [n, i]));

/** The kind of the first needle of SLOW_NEEDLES the line holds, and where that needle first is. */
export function slowClassify(text: string): [SignalKind | null, number] {
  let best = SLOW_NEEDLES.length;
  let bestAt = 0;
  SLOW_PATTERN.lastIndex = 0;
  for (let m = SLOW_PATTERN.exec(text); m !== null; m = SLOW_PATTERN.exec(text)) {
    const rank = SLOW_RANK.get(m[0])!;
    if (rank < best) {
      best = rank;
      bestAt = m.index;
      if (rank === 0) break;
    }
    // Needles may overlap: the next one may start inside this match.
    SLOW_PATTERN.lastIndex = m.index + 1;
  }
  return best < SLOW_NEEDLES.length ? [SLOW_NEEDLES[best]![1], bestAt] : [null, 0];
}
