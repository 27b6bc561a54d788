// Shared by the metric formats (psi.ts, iostat.ts, vmstat.ts): series collection, numbers in
// either decimal notation, paste-layer peeling, and placing a sample in time.
import { Level } from '../model';
import { US_PER_MIN, US_PER_SEC } from '../time/civil';
import { MAX_LAYERS, peelCollector, skipBlanks, type CollectorInfo } from './collector';
import { stripAnsi } from './dmesg-line';
import { lineEnd } from './prefix';
import type { MetricSeriesOut, ParsedLine, TimeAnchor, TimeContext } from './types';

export type Basis = MetricSeriesOut['basis'];

/**
 * The file's path, when the pipeline passes it beside the time facts (`TimeContext` has no
 * field for it yet): PSI takes its resource from the file name.
 */
export type MetricContext = TimeContext & { path?: string };

interface SeriesBuf {
  series: string;
  unit: string | undefined;
  ts: number[];
  value: number[];
  local: boolean[];
  relative: boolean[];
}

/** Series of one file, in the order they first appear. */
export class SeriesSet {
  private readonly byName = new Map<string, SeriesBuf>();

  add(series: string, at: SampleTime, value: number, unit?: string): void {
    if (value !== value || at.ts !== at.ts) return;
    let buf = this.byName.get(series);
    if (!buf) {
      buf = { series, unit, ts: [], value: [], local: [], relative: [] };
      this.byName.set(series, buf);
    }
    buf.ts.push(at.ts);
    buf.value.push(value);
    buf.local.push(at.basis === 'local');
    buf.relative.push(at.basis === 'relative');
  }

  /**
   * One basis per series: samples placed by index (relative) are dropped when the same series
   * also has real stamps; a series mixing absolute and wall-clock samples is 'local' (its
   * absolute samples then move with a later zone correction: rare, joined pastes only).
   * Joined pastes can go back in time, so samples are sorted (stable).
   */
  output(): MetricSeriesOut[] {
    const out: MetricSeriesOut[] = [];
    for (const b of this.byName.values()) {
      const timed = b.relative.some((r) => !r);
      const keep: number[] = [];
      for (let k = 0; k < b.ts.length; k++) if (!timed || !b.relative[k]) keep.push(k);
      let sorted = true;
      for (let k = 1; k < keep.length; k++) if (b.ts[keep[k]!]! < b.ts[keep[k - 1]!]!) sorted = false;
      if (!sorted) keep.sort((x, y) => b.ts[x]! - b.ts[y]! || x - y);
      const basis: Basis = !timed ? 'relative' : keep.some((k) => b.local[k]) ? 'local' : 'utc';
      const series: MetricSeriesOut = { series: b.series, ts: keep.map((k) => b.ts[k]!), value: keep.map((k) => b.value[k]!), basis };
      if (b.unit !== undefined) series.unit = b.unit;
      out.push(series);
    }
    return out;
  }
}

/** A sample's place in time, in the line convention (see ParsedLine.local / relative). */
export interface SampleTime {
  ts: number;
  basis: Basis;
}

export function untimed(): SampleTime {
  return { ts: NaN, basis: 'utc' };
}

/**
 * Places a wall-clock reading: with its offset it is absolute (and a zone anchor for the
 * bundle); without one it is local time placed with the context zone.
 */
export function placeWall(wallUs: number, offsetMin: number, ctx: TimeContext, into: SampleTime, anchors: Anchors | null): void {
  if (offsetMin === offsetMin) {
    into.ts = wallUs - offsetMin * US_PER_MIN;
    into.basis = 'utc';
    anchors?.add(into.ts, wallUs, offsetMin);
  } else {
    into.ts = wallUs - ctx.zoneOffsetMin * US_PER_MIN;
    into.basis = 'local';
  }
}

/**
 * No stamp anywhere: sample `index` of the file at `index × interval` seconds, basis 'relative'
 * (seconds since boot). Only a last resort: it puts the samples right after boot on the axis.
 */
export function placeByIndex(index: number, intervalSec: number, into: SampleTime): void {
  into.ts = index * intervalSec * US_PER_SEC;
  into.basis = 'relative';
}

/** Writes a sample's time into the line result. */
export function stampLine(out: ParsedLine, at: SampleTime, level: Level = Level.info): void {
  out.ts = at.ts;
  out.local = at.basis === 'local';
  out.relative = at.basis === 'relative';
  out.level = level;
}

/** Zone anchors of a file: one per distinct offset (a node's files agree, so a few suffice). */
export class Anchors {
  readonly list: TimeAnchor[] = [];
  private readonly offsets = new Set<number>();

  add(utcUs: number, wallUs: number, offsetMin: number): void {
    if (this.offsets.has(offsetMin) || this.list.length >= 8) return;
    this.offsets.add(offsetMin);
    this.list.push({ utcUs, localAsUtcUs: wallUs });
  }
}

const NUMBER = /^(-?\d+(?:[.,]\d+)?)([kMGT%]?)$/;
const HUMAN: Readonly<Record<string, number>> = { '': 1, '%': 1, k: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 };

/**
 * A number as sysstat/procps print it: `12.50`, `12,50` (LC_NUMERIC); with `human` also
 * sysstat `--human` values (`0.1%`, `22.7k`: sizes in kB, so `M` = 1024); junk → NaN.
 */
export function parseNumber(tok: string, human = false): number {
  const m = NUMBER.exec(tok);
  if (!m || (m[2] !== '' && !human)) return NaN;
  return Number(m[1]!.replace(',', '.')) * (HUMAN[m[2]!] ?? 1);
}

/** Where a line's payload starts after paste layers: indentation, `grep -n`, `FILE:`, CI stamps. */
export function payloadStart(line: string, end: number, info: CollectorInfo): number {
  info.outerTs = NaN;
  let i = skipBlanks(line, 0, end);
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    let next = peelCollector(line, i, end, info);
    if (next < 0) next = grepLayer(line, i, end);
    if (next < 0 || next <= i) break;
    next = skipBlanks(line, next, end);
    // A layer never takes the whole line: a lone stamp line is the line, not a collector stamp.
    if (next >= end) break;
    i = next;
  }
  return i;
}

/** `12:` (grep -n over one file, any number of digits) or `path/with.dots:` (grep over several). */
function grepLayer(line: string, i: number, end: number): number {
  const m = /^(?:\d+:(?!\d)|[\w.+~-]*[/.][\w./+~-]*:(?:\d+:)?)/.exec(line.slice(i, Math.min(end, i + 512)));
  return m ? i + m[0].length : -1;
}

export function newCollectorInfo(): CollectorInfo {
  return { outerTs: NaN, outerYear: 0, outerMonth: 0 };
}

/** The whitespace-separated tokens of a line after its paste layers (CR dropped). */
export function payloadTokens(raw: string, info: CollectorInfo): string[] {
  const line = raw.indexOf('\u001b') >= 0 ? stripAnsi(raw, lineEnd(raw)) : raw;
  const end = lineEnd(line);
  const start = payloadStart(line, end, info);
  const text = line.slice(start, end).trim();
  return text.length === 0 ? [] : text.split(/\s+/);
}

/**
 * A command line (`$ iostat -x 5`, `root@node:~# vmstat -t -S m 2 10`) naming `command`:
 * its interval (first bare number after the options) and the `-S`/`--unit` letter.
 */
export function readCommand(text: string, command: string): { interval: number; unit: string } | null {
  const toks = text.split(/\s+/);
  const at = toks.findIndex((t) => t === command || t.endsWith(`/${command}`));
  if (at < 0) return null;
  let interval = NaN;
  let unit = '';
  for (let k = at + 1; k < toks.length; k++) {
    const t = toks[k]!;
    const opt = /^(-S|--unit|-p|-j|-g|-o|--dec)(?:=(.*))?$/.exec(t);
    if (opt) {
      const value = opt[2] ?? toks[++k] ?? '';
      if (opt[1] === '-S' || opt[1] === '--unit') unit = value;
    } else if (/^-S\w$/.test(t)) unit = t.slice(2);
    else if (/^\d+(\.\d+)?$/.test(t) && interval !== interval) interval = Number(t);
  }
  return { interval: interval > 0 ? interval : NaN, unit };
}
