// The severity a containerised program wrote in its own words, for container logs whose message
// is no klog or logrus record: `[INFO]` (CoreDNS), `level=error` (logfmt of any shape),
// `"level":"warn"` / `"severity":"ERROR"` (zap, bunyan-like JSON, GCP structured logs), or a
// leading level word (`ERROR ...`, `2024-06-02 05:48:06 WARN ...`). Only the head of the message
// is read: a level named deep inside a message is text, not the record's severity.
import { Level } from '../model';

const HEAD = 160;

const NAMES: Record<string, Level> = {
  trace: Level.trace, debug: Level.debug, dbg: Level.debug, info: Level.info, information: Level.info, notice: Level.info,
  warn: Level.warn, warning: Level.warn, wrn: Level.warn, error: Level.error, err: Level.error, erro: Level.error,
  fatal: Level.fatal, fata: Level.fatal, panic: Level.fatal, critical: Level.fatal, crit: Level.fatal, emergency: Level.fatal, emerg: Level.fatal, alert: Level.fatal,
};

const KEYED = /(?:^|[\s{,])"?(?:level|lvl|severity|loglevel|log\.level)"?\s*[=:]\s*"?([A-Za-z]{3,11})\b/;
const BRACKETED = /^\[([A-Za-z]{3,11})\]/;
// A leading word, maybe after the program's own date and time: `2024-06-02 05:48:06,123 ERROR`.
const LEADING = /^(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+)?([A-Z]{4,8})\b/;
/** A Go program dying: `panic: …` or the runtime's `fatal error: …`, first thing on the line (stderr). */
/** A Go program dying: a panic, a runtime fatal error, or the signal that makes it dump every goroutine. */
const GO_DEATH = /^(?:panic: |fatal error: |SIGQUIT: quit|SIGABRT: abort)/;

/**
 * What a Go program prints after it panics, one line each (behind a journal prefix, the frames'
 * tabs may be gone): the signal, blank lines, goroutine headers, frames, `created by`, and the
 * `panic:` lines of a re-panic. `[recovered]` and `goroutine N [running]:` included, and what a
 * signal's dump adds: `PC=… m=0 sigcode=0`, Go 1.22's `goroutine N gp=… m=… [state]:`, the registers.
 */
const GO_TRACE = /^(?:$|\[signal |goroutine \d+ (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[|created by |panic: |\t|\/|[\w.\-/]+\.(?:\(\*?[\w.\-[\]]+\)\.)?[\w.\-[\]]+\(.*\)$|exit status \d+$|\.\.\.(?:additional frames elided|\d+ frames elided)\.\.\.$|PC=0x[0-9a-f]+ m=\d+ sigcode=|-----$|(?:r[a-z0-9]{1,5}|[cfg]s)\s+0x[0-9a-f]+$)/;

/** Whether the message at i is a Go program's panic, fatal error or dump-and-exit signal. */
export function isGoDeath(line: string, i: number): boolean {
  return GO_DEATH.test(line.slice(i, i + 14));
}

/** Whether the message at i is Go's dump of every goroutine on a signal (SIGQUIT, or SIGABRT with GOTRACEBACK=crash). */
export function isGoSignalDump(line: string, i: number): boolean {
  return line.charCodeAt(i) === 83 && (line.startsWith('SIGQUIT: quit', i) || line.startsWith('SIGABRT: abort', i));
}

/** Whether the message at i is a line of the stack trace that follows a Go panic. */
export function isGoTraceLine(line: string, i: number, end: number): boolean {
  // A frame is short; on a long line the nested repeats of the frame pattern could backtrack for long.
  return end - i <= MAX_TRACE_LINE && GO_TRACE.test(line.slice(i, end));
}

const MAX_TRACE_LINE = 2048;

/**
 * systemd (PID 1) saying a unit failed: journald files these at notice to error, and a kubelet or
 * containerd exiting is what a node's trouble often starts with.
 */
const UNIT_FAILED = /^\S+\.(?:service|scope|socket|mount|timer): (?:Main process exited, code=(?:exited, status=[1-9]|killed|dumped)|Failed with result|Start request repeated too quickly|Scheduled restart job)|^Failed to start /;
/** nginx and others date their lines with slashes: `2024/06/03 05:48:01 [emerg] 1#1: …`. */
const SLASH_DATED = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[([A-Za-z]{3,11})\]/;

/**
 * Runs on every line of other programs in a journal or syslog file: each pattern beyond the first
 * three is tried only when the line's first characters can start it (~115 ns a line).
 */
export function appLevel(line: string, i: number, end: number): Level {
  const head = line.slice(i, Math.min(end, i + HEAD));
  const c = head.charCodeAt(0);
  if ((c === 112 /* p */ || c === 102 /* f */ || c === 83 /* S */) && GO_DEATH.test(head)) return Level.fatal;
  const m = BRACKETED.exec(head) ?? KEYED.exec(head) ?? (head.charCodeAt(4) === 47 /* / */ ? SLASH_DATED.exec(head) : null) ?? LEADING.exec(head);
  return m ? levelOfName(m[1]!) : Level.unknown;
}

/** The level of a line systemd (PID 1) wrote: a unit failing is a warning, the rest as its words say. */
export function systemdLevel(line: string, i: number, end: number): Level {
  return UNIT_FAILED.test(line.slice(i, Math.min(end, i + HEAD))) ? Level.warn : appLevel(line, i, end);
}

/** A level's name as programs write it (`warn`, `WARNING`, `Err`, `critical`); unknown for any other word. */
export function levelOfName(name: string): Level {
  return NAMES[name.toLowerCase()] ?? Level.unknown;
}
