// Helpers shared by the metric format tests (not imported by production code).
import { readFileSync } from 'node:fs';
import { formatIsoUs } from '../time/civil';
import type { MetricContext } from './metric-columns';
import { ctxOf } from './test-helpers';
import { newParsedLine, resetParsedLine, type FormatDef, type MetricSeriesOut, type ParsedLine, type TimeAnchor } from './types';

export interface MetricRun {
  lines: ParsedLine[];
  metrics: MetricSeriesOut[];
  anchors: TimeAnchor[];
  /** The series of that name; throws when missing. */
  series(name: string): MetricSeriesOut;
  /** Series names, sorted. */
  names(): string[];
}

/** Splits like the pipeline (no newline; CR kept when `keepCr`, as hostile input) and parses. */
export function runMetric(format: FormatDef, text: string, ctx: Partial<MetricContext> = {}, keepCr = false): MetricRun {
  const parser = format.createParser({ ...ctxOf(ctx), ...ctx });
  const raw = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = raw.split('\n').map((line) => {
    const out = newParsedLine();
    resetParsedLine(out);
    parser.parse(keepCr || !line.endsWith('\r') ? line : line.slice(0, -1), out);
    return out;
  });
  const extras = parser.finish?.() ?? {};
  const metrics = extras.metrics ?? [];
  return {
    lines,
    metrics,
    anchors: extras.anchors ?? [],
    series(name) {
      const s = metrics.find((m) => m.series === name);
      if (!s) throw new Error(`no series ${name} in ${metrics.map((m) => m.series).join(', ')}`);
      return s;
    },
    names: () => metrics.map((m) => m.series).sort(),
  };
}

export function fixture(format: string, name: string): string {
  return readFileSync(new URL(`./__fixtures__/${format}/${name}`, import.meta.url), 'utf8');
}

export function isoList(ts: number[]): string[] {
  return ts.map((t) => formatIsoUs(t).replace('.000000Z', 'Z'));
}

/** Non-blank lines of a text, CR dropped, as the pipeline's sniff holds them. */
export function sniffOf(path: string, text: string): { path: string; lines: string[] } {
  return { path, lines: text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0) };
}

/** Wall-clock parts of a UTC µs instant shifted into `zoneMin`. */
export function wallParts(utcUs: number, zoneMin: number) {
  const d = new Date(utcUs / 1000 + zoneMin * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(),
    wd: d.getUTCDay(), p2,
  };
}
