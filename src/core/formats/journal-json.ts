// `journalctl -o json` (FORMATS.md §1.4): one object per line, spaced (2017) or compact. Any
// value may be a string, an array of byte values, an array of strings (a repeated field) or null.
import { Level } from '../model';
import type { Origin } from '../model';
import { placeNear } from '../time/civil';
import { newKlogHeader, readKlogHeader } from './klog-line';
import { MAX_LAYERS, peelCollector, skipBlanks, type CollectorInfo } from './collector';
import { stripAnsi } from './dmesg-line';
import { lineEnd, originOfIdent } from './prefix';
import { ProducerLevel } from './producer-level';
import { sniffStats } from './sniff-stats';
import type { FormatDef, LineParser, ParsedLine, Sniff, TimeAnchor } from './types';
import { JOURNAL_SAMPLES } from './journal-json-samples';

type Entry = Record<string, unknown>;

const bytes = new TextDecoder();

/** A field's text: strings as they are, byte arrays decoded as UTF-8, repeated fields by their first value. */
export function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return null;
  const first: unknown = value[0];
  if (typeof first === 'number') {
    const buf = new Uint8Array(value.length);
    for (let k = 0; k < value.length; k++) buf[k] = Number(value[k]) & 255;
    return bytes.decode(buf);
  }
  return typeof first === 'string' ? first : null;
}

/** Where the object starts: after blanks and collector layers (`10.0.0.3: `, `grep -n`, a log-UI stamp and TAB); -1 if no `{` follows. */
export function entryStart(line: string): number {
  const end = lineEnd(line);
  let i = skipBlanks(line, 0, end);
  // `journalctl -o json-seq` (RFC 7464) puts an RS before every object.
  if (line.charCodeAt(i) === RS) i++;
  for (let layer = 0; layer < MAX_LAYERS && line.charCodeAt(i) !== 123; layer++) {
    const next = peelCollector(line, i, end, collector);
    if (next < 0) return -1;
    i = skipBlanks(line, next, end);
  }
  return line.charCodeAt(i) === 123 ? i : -1;
}

const RS = 0x1e;

const collector: CollectorInfo = { outerTs: NaN, outerYear: 0, outerMonth: 0 };

/** A console capture may colour a record; a raw ESC is never valid inside JSON, so removing the codes loses nothing. */
function withoutAnsi(line: string): string {
  return line.indexOf('\u001b') >= 0 ? stripAnsi(line, lineEnd(line)) : line;
}

/** The object on a line, or null for anything else (cut lines, blank lines, junk). */
export function parseEntry(raw: string): Entry | null {
  const line = withoutAnsi(raw);
  const start = entryStart(line);
  if (start < 0) return null;
  try {
    const value: unknown = JSON.parse(start === 0 ? line : line.slice(start));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : null;
  } catch {
    return null;
  }
}

/** Fields a cut record can still tell: its time, priority and who wrote it. */
const CUT_FIELDS = ['__REALTIME_TIMESTAMP', '_SOURCE_REALTIME_TIMESTAMP', 'PRIORITY', 'SYSLOG_IDENTIFIER', '_COMM', '_SYSTEMD_UNIT', '_TRANSPORT'];

/**
 * The complete string fields of a record that JSON.parse refused (cut by a pager, a paste or
 * LineMax): `"KEY" : "value"` pairs where the key's quote is not escaped (inside a JSON string
 * every quote is) and the value's closing quote is on the line. Null when none is complete.
 */
export function cutEntry(line: string, start: number): Entry | null {
  let entry: Entry | null = null;
  for (const key of CUT_FIELDS) {
    const quoted = `"${key}"`;
    for (let k = line.indexOf(quoted, start); k >= 0; k = line.indexOf(quoted, k + 1)) {
      if (line.charCodeAt(k - 1) === 92) continue;
      let v = k + quoted.length;
      while (line.charCodeAt(v) === 32) v++;
      if (line.charCodeAt(v++) !== 58) continue;
      while (line.charCodeAt(v) === 32) v++;
      if (line.charCodeAt(v) !== 34) continue;
      const close = line.indexOf('"', v + 1);
      // Values of these fields never hold quotes or escapes: anything else is not a clean value.
      if (close < 0 || line.lastIndexOf('\\', close) > v) break;
      (entry ??= {})[key] = line.slice(v + 1, close);
      break;
    }
  }
  return entry;
}

/** Source time when the sender stamped it, else the journal's receive time (µs, as a string). */
export function entryTimeUs(entry: Entry): number {
  const text = fieldText(entry._SOURCE_REALTIME_TIMESTAMP) ?? fieldText(entry.__REALTIME_TIMESTAMP);
  if (text === null || !/^\d{1,17}$/.test(text)) return NaN;
  return Number(text);
}

export function entryOrigin(entry: Entry): Origin | null {
  if (fieldText(entry._TRANSPORT) === 'kernel') return 'kernel';
  const ident = fieldText(entry.SYSLOG_IDENTIFIER) ?? fieldText(entry._COMM);
  if (ident) return originOfIdent(ident);
  const unit = fieldText(entry._SYSTEMD_UNIT);
  return unit ? originOfIdent(unit.replace(/\.service$/, '')) : null;
}

/** syslog PRIORITY → level: 0-2 fatal, 3 error, 4 warn, 5-6 info, 7 debug. */
export function levelOfPriority(priority: string | null): Level {
  switch (priority) {
    case '0': case '1': case '2': return Level.fatal;
    case '3': return Level.error;
    case '4': return Level.warn;
    case '5': case '6': return Level.info;
    case '7': return Level.debug;
    default: return Level.unknown;
  }
}

class JournalJsonParser implements LineParser {
  private readonly producer = new ProducerLevel();

  parse(raw: string, out: ParsedLine): void {
    const line = withoutAnsi(raw);
    const start = entryStart(line);
    if (start < 0) {
      // Not a record: the rest of one split across lines (a paste, a wrap), or blank: it continues the record above.
      out.continuation = true;
      return;
    }
    let entry = parseEntry(line);
    // A record cut short (pager, paste) is still a record: keep what its complete fields say.
    if (!entry) entry = cutEntry(line, start);
    if (!entry) return;
    out.ts = entryTimeUs(entry);
    out.origin = entryOrigin(entry);
    out.level = levelOfPriority(fieldText(entry.PRIORITY));
    const message = fieldText(entry.MESSAGE);
    if (message === null) return;
    out.message = message;
    // The producer's own severity is more precise than what it told journald (stdout is all "6").
    this.producer.read(message, 0, message.length, out);
  }
}

const MAX_ANCHORS = 64;

/** A klog MESSAGE (process-local time) beside the journal's UTC µs tells the node's zone. */
function journalAnchors(sniff: Sniff): TimeAnchor[] {
  const anchors: TimeAnchor[] = [];
  const klog = newKlogHeader();
  let yearOnly = false;
  for (const line of sniff.lines) {
    if (anchors.length >= MAX_ANCHORS) break;
    const entry = parseEntry(line);
    if (!entry) continue;
    const utcUs = entryTimeUs(entry);
    if (utcUs !== utcUs) continue;
    const message = fieldText(entry.MESSAGE);
    if (message !== null && readKlogHeader(message, 0, message.length, null, klog)) {
      anchors.push({ utcUs, localAsUtcUs: placeNear(klog.month, klog.day, klog.timeOfDayUs, utcUs) });
    } else if (!yearOnly) {
      yearOnly = true;
      anchors.push({ utcUs, localAsUtcUs: null });
    }
  }
  return anchors;
}

export const journalJsonFormat: FormatDef = {
  id: 'journal-json',
  title: 'journalctl -o json',
  origin: 'unknown',
  detect(sniff) {
    const stats = sniffStats(sniff);
    if (stats.journalJson === 0 || stats.heads === 0) return 0;
    return 0.5 + 0.49 * (stats.journalJson / stats.heads);
  },
  createParser: () => new JournalJsonParser(),
  anchors: journalAnchors,
  samples: JOURNAL_SAMPLES,
};
