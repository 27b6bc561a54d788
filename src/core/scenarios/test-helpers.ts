// Small parsers used by the scenario tests (kept apart so the tests stay readable).

import type { GeneratedScenario } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function materialize(g: GeneratedScenario): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of g.files) m.set(f.path, [...f.chunks()].join(''));
  return m;
}

export function fileText(files: Map<string, string>, path: string): string {
  const t = files.get(path);
  if (t === undefined) throw new Error(`missing ${path}`);
  return t;
}

/** `Jun 02 05:48:06.350695` read as UTC wall clock in `year` (µs). */
export function journalWallUs(stamp: string, year: number): number {
  const m = /^(\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/.exec(stamp);
  if (!m) throw new Error(`bad journal stamp ${stamp}`);
  const month = MONTHS.indexOf(m[1] ?? '');
  return Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000 + Number(m[6]);
}

/** klog `I0602 05:48:06.350695` (without severity letter handling) read as UTC wall clock. */
export function klogWallUs(stamp: string, year: number): number {
  const m = /^[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6})$/.exec(stamp);
  if (!m) throw new Error(`bad klog stamp ${stamp}`);
  return Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000 + Number(m[6]);
}

/** Go RFC3339Nano with offset → µs UTC. */
export function rfcUs(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{9})(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) throw new Error(`bad rfc3339 ${s}`);
  return Date.parse(`${m[1]}${m[3]}`) * 1000 + Number((m[2] ?? '').slice(0, 6));
}

export const RELIST = /^(\w{3} \d{2} \d{2}:\d{2}:\d{2}\.\d{6}) \S+ \S+\[\d+\]: (I\d{4} \d{2}:\d{2}:\d{2}\.\d{6}) +\d+ generic\.go:191\] "GenericPLEG: Relisting"$/;

export function relists(kubelet: string): { prefix: string; klog: string }[] {
  const out: { prefix: string; klog: string }[] = [];
  for (const line of kubelet.split('\n')) {
    const m = RELIST.exec(line);
    if (m) out.push({ prefix: m[1] ?? '', klog: m[2] ?? '' });
  }
  return out;
}

/** Blocks of a goroutine dump (split on blank lines). */
export function goroutineBlocks(dump: string): string[] {
  return dump.replace(/\n$/, '').split('\n\n');
}

export function goroutineById(dump: string, id: number): string {
  const b = goroutineBlocks(dump).find((x) => x.startsWith(`goroutine ${id} [`));
  if (!b) throw new Error(`goroutine ${id} not found`);
  return b;
}

export function yearOf(us: number, zoneOffsetMin: number): number {
  return new Date(Math.floor(us / 1000) + zoneOffsetMin * 60000).getUTCFullYear();
}

/** A PSI sample's timestamp line: `date -Iseconds` or `date` (C locale, zone given) → µs UTC. */
export function psiStampUs(line: string, zoneOffsetMin: number): number {
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.exec(line);
  if (iso) return Date.parse(line) * 1000;
  const m = /^\w{3} (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) \S+ (\d{4})$/.exec(line);
  if (!m) throw new Error(`bad PSI stamp ${line}`);
  const wall = Date.UTC(Number(m[6]), MONTHS.indexOf(m[1] ?? ''), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return (wall - zoneOffsetMin * 60000) * 1000;
}
