// Collector and paste layers (FORMATS.md §0, layer 1): text added in front of a log line by
// whoever gathered it. Each reader returns the index after its layer, or -1.
import { isDigit, isoUtcUs, newIsoStamp, readIsoStamp } from '../time/civil';

/** What a collector layer reports besides its length. */
export interface CollectorInfo {
  /** UTC µs of the collector's own stamp (when the CI runner or log UI printed the line). */
  outerTs: number;
  /** That stamp's calendar year and month (0 when there was none): a year for yearless stamps. */
  outerYear: number;
  outerMonth: number;
}

const MAX_BLANKS = 64;
/**
 * How many collector layers a reader peels before giving up (CI stamp, grep -n, node address,
 * indentation…). Real pastes stack three or four; the property tests stack one more on lines the
 * fuzzer already joined, and a limit they reach changes a line's reading (a 6-layer line did).
 */
export const MAX_LAYERS = 10;
const iso = newIsoStamp();

/** Index of the first non-blank (space or TAB) at or after i, within a sane indentation width. */
export function skipBlanks(line: string, i: number, end: number): number {
  const limit = Math.min(end, i + MAX_BLANKS);
  let k = i;
  while (k < limit) {
    const c = line.charCodeAt(k);
    if (c !== 32 && c !== 9) break;
    k++;
  }
  return k < limit || limit === end ? k : i;
}

/** One collector layer at i (already past blanks): the index after it, or -1. */
export function peelCollector(line: string, i: number, end: number, info: CollectorInfo): number {
  if (i >= end) return -1;
  if (!isDigit(line.charCodeAt(i))) return readGrepPrefix(line, i, end);
  // A date first: a collector stamp or nothing (never a grep FILE of `2024-05-07T10`).
  if (readIsoStamp(line, i, end, iso)) return readCollectorStamp(line, end, info);
  const ip = readNodeAddress(line, i, end);
  if (ip >= 0) return ip;
  return readGrepPrefix(line, i, end);
}

/**
 * A stamp the collector put first: log-UI exports separate it with a TAB
 * (`2022-04-16T10:00:17+00:00<TAB>`); CI runners with spaces, sometimes followed by a runner or
 * VM label (`2023-10-25T10:57:16.6621956Z     default: `).
 */
function readCollectorStamp(line: string, end: number, info: CollectorInfo): number {
  const sep = line.charCodeAt(iso.end);
  const hasOffset = iso.offsetMin === iso.offsetMin;
  info.outerYear = iso.year;
  info.outerMonth = iso.month;
  if (sep === 9) {
    info.outerTs = hasOffset ? isoUtcUs(iso) : NaN;
    return iso.end + 1;
  }
  if (sep !== 32 || !hasOffset) return -1;
  info.outerTs = isoUtcUs(iso);
  let k = iso.end;
  while (k < end && line.charCodeAt(k) === 32) k++;
  return readRunnerLabel(line, k, end);
}

/** `default: ` style label after a CI stamp (letters, digits, `_.-`, then `: `); absent is fine. */
function readRunnerLabel(line: string, i: number, end: number): number {
  let k = i;
  const limit = Math.min(end, i + 40);
  while (k < limit) {
    const c = line.charCodeAt(k);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 46 || c === 45;
    if (!word) break;
    k++;
  }
  // iostat before sysstat 11.5.7 heads its device columns `Device: `: the report, not a label.
  if (k > i && line.charCodeAt(k) === 58 && line.charCodeAt(k + 1) === 32 && !(k - i === 6 && line.startsWith(IOSTAT_HEADER, i))) return k + 2;
  return i;
}

const IOSTAT_HEADER = 'Device';

/** Multi-node collectors: `198.51.100.10: `. */
function readNodeAddress(line: string, i: number, end: number): number {
  let k = i;
  for (let part = 0; part < 4; part++) {
    const start = k;
    while (k < end && k < start + 3 && isDigit(line.charCodeAt(k))) k++;
    if (k === start) return -1;
    const sep = line.charCodeAt(k);
    if (part < 3) {
      if (sep !== 46) return -1;
      k++;
    }
  }
  return line.charCodeAt(k) === 58 && line.charCodeAt(k + 1) === 32 ? k + 2 : -1;
}

/**
 * `grep -n` output: `FILE:LINENO:` over several files, `LINENO:` over one. FILE is path
 * characters only, so klog headers, logfmt (`time="…`), logrus TTY (`INFO[…`) and
 * `ident[pid]: ` never look like one.
 */
function readGrepPrefix(line: string, i: number, end: number): number {
  let k = i;
  const limit = Math.min(end, i + 512);
  while (k < limit && isPathChar(line.charCodeAt(k))) k++;
  if (k === limit || line.charCodeAt(k) !== 58) return -1;
  const fileEnd = k;
  k++;
  const digitsStart = k;
  while (k < end && isDigit(line.charCodeAt(k))) k++;
  // A clock (`12:34:56`) is not FILE:LINENO.
  if (k > digitsStart && line.charCodeAt(k) === 58 && !(fileEnd - i <= 2 && allDigits(line, i, fileEnd))) return k + 1;
  // A single file: the digits before the first colon were the line number. One or two digits
  // before `mm:ss` are the hours of a clock (`12:34:56`), not a line number (`12:I0602 …`,
  // `7:2024-…`, `17:10: msg`, the last being line 17 of a line starting `10: `).
  if (allDigits(line, i, fileEnd) && (fileEnd - i > 2 || !isClockTail(line, fileEnd + 1))) return fileEnd + 1;
  return -1;
}

/** `mm:ss` at i: the rest of `hh:mm:ss`. */
function isClockTail(line: string, i: number): boolean {
  return isDigit(line.charCodeAt(i)) && isDigit(line.charCodeAt(i + 1)) && line.charCodeAt(i + 2) === 58
    && isDigit(line.charCodeAt(i + 3)) && isDigit(line.charCodeAt(i + 4));
}

function isPathChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 47 || c === 46 || c === 95 || c === 45 || c === 43 || c === 126 || c === 64 || c === 44;
}

function allDigits(line: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isDigit(line.charCodeAt(k))) return false;
  return true;
}
