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
  fatal: Level.fatal, fata: Level.fatal, panic: Level.fatal, critical: Level.fatal, crit: Level.fatal, emergency: Level.fatal, alert: Level.fatal,
};

const KEYED = /(?:^|[\s{,])"?(?:level|lvl|severity|loglevel|log\.level)"?\s*[=:]\s*"?([A-Za-z]{3,11})\b/;
const BRACKETED = /^\[([A-Za-z]{3,11})\]/;
// A leading word, maybe after the program's own date and time: `2024-06-02 05:48:06,123 ERROR`.
const LEADING = /^(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+)?([A-Z]{4,8})\b/;

export function appLevel(line: string, i: number, end: number): Level {
  const head = line.slice(i, Math.min(end, i + HEAD));
  const m = BRACKETED.exec(head) ?? KEYED.exec(head) ?? LEADING.exec(head);
  return m ? levelOfName(m[1]!) : Level.unknown;
}

/** A level's name as programs write it (`warn`, `WARNING`, `Err`, `critical`); unknown for any other word. */
export function levelOfName(name: string): Level {
  return NAMES[name.toLowerCase()] ?? Level.unknown;
}
