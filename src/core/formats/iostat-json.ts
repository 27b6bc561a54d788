// `iostat -o JSON` (sysstat ≥ 11): the same reports as JSON, one object per line as sysstat
// prints it. Each report is an element of `statistics`:
//
//   {
//     "timestamp": "08/23/24 18:05:29",              (with -t; any -t form, see metric-time.ts)
//     "avg-cpu":  {"user": 3.10, "nice": 0.00, …},
//     "disk": [
//       {"disk_device": "sda", "r/s": 1.50, …, "rrqm": 0.00, …, "util": 12.50},
//
// Keys are the text report's column names without `%` (`util`, `rrqm`, `user`): they are given it
// back, so the series and units are those of the text report.
export const JsonLine = { other: 0, open: 1, stamp: 2, cpu: 3, disk: 4 } as const;
export type JsonLine = (typeof JsonLine)[keyof typeof JsonLine];

/** Keys that are percentages (the text header has `%`): the device ones; every avg-cpu key is. */
const PERCENT_KEYS = new Set(['util', 'rrqm', 'wrqm', 'drqm']);

export interface JsonRow {
  kind: JsonLine;
  /** The `timestamp` value, the device name. */
  text: string;
  /** The text report's header names of the values (`%util`, `r/s`), and the values. */
  headers: string[];
  values: number[];
}

const PAIR = /"([^"\\]+)":\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"[^"\\]*")/g;

/** What a line of sysstat's JSON is (`row` filled for stamp, cpu and disk lines). */
export function readJsonLine(text: string, s: number, e: number, row: JsonRow): JsonLine {
  const body = text.slice(s, e).replace(/,\s*$/, '');
  row.headers = [];
  row.values = [];
  row.text = '';
  if (body === '{') return (row.kind = JsonLine.open);
  const stamp = /^"timestamp":\s*"([^"]*)"$/.exec(body);
  if (stamp) {
    row.text = stamp[1]!;
    return (row.kind = JsonLine.stamp);
  }
  const cpu = body.startsWith('"avg-cpu":');
  if (!cpu && !body.startsWith('{"disk_device":')) return (row.kind = JsonLine.other);
  for (const [, key, value] of body.matchAll(PAIR)) {
    if (value!.startsWith('"')) {
      if (key === 'disk_device') row.text = value!.slice(1, -1);
      continue;
    }
    row.headers.push(cpu || PERCENT_KEYS.has(key!) ? `%${key}` : key!);
    row.values.push(Number(value));
  }
  if (row.headers.length === 0 || (!cpu && row.text === '')) return (row.kind = JsonLine.other);
  return (row.kind = cpu ? JsonLine.cpu : JsonLine.disk);
}

/** The head of a sysstat JSON report (`{"sysstat": {` and a cpu or disk line). */
export function looksLikeJson(lines: readonly string[]): boolean {
  let sysstat = false;
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('{"sysstat":')) sysstat = true;
    else if (sysstat && (t.startsWith('"avg-cpu":') || t.startsWith('{"disk_device":'))) return true;
  }
  return false;
}
