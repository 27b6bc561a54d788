// The scenario generator's metric files (src/core/scenarios: `proc/pressure-*.log`, `iostat-x.log`,
// `vmstat.log`) parse, are detected, are placed with the node's zone, and show the IO storm.
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../scenarios';
import { iostatFormat } from './iostat';
import { runMetric, sniffOf } from './metric-test-helpers';
import { psiFormat } from './psi';
import { detectFormat, formatById } from './registry';
import type { MetricSeriesOut } from './types';
import { vmstatFormat } from './vmstat';

const CASES: [seed: number, zone: number][] = [[1, 480], [2, 0], [3, -300], [4, 330], [5, 540], [8, 345]];
/** avg10 is a decaying average: it lags the storm by about 10 s. */
const LAG_US = 15e6;

function peak(s: MetricSeriesOut, fromUs: number, toUs: number): { inside: number; outside: number } {
  let inside = 0;
  let outside = 0;
  s.ts.forEach((ts, k) => {
    const v = s.value[k]!;
    if (ts >= fromUs && ts <= toUs) inside = Math.max(inside, v);
    else outside = Math.max(outside, v);
  });
  return { inside, outside };
}

describe.each(CASES)('scenario io-storm-umount-bbolt, seed %i, zone %i', (seed, zone) => {
  const g = generateScenario({ scenario: 'io-storm-umount-bbolt', seed, targetBytes: 2e6, zoneOffsetMin: zone });
  const t = g.truth;
  const storm = t.ioPressure!;
  const text = (path: string) => [...g.files.find((f) => f.path === path)!.chunks()].join('');
  const inCapture = (s: MetricSeriesOut) => {
    expect(s.ts[0]).toBeGreaterThanOrEqual(t.bootUs);
    expect(s.ts[s.ts.length - 1]).toBeLessThanOrEqual(t.capture.toUs + 60e6);
  };

  it('detects each metric file as its format', () => {
    for (const [path, id] of [[t.paths.psiIo, 'psi'], [t.paths.psiMemory, 'psi'], [t.paths.psiCpu, 'psi'], [t.paths.iostat, 'iostat'], [t.paths.vmstat, 'vmstat']]) {
      expect(detectFormat(sniffOf(path!, text(path!).slice(0, 64 * 1024))).format.id, path).toBe(id);
    }
  });

  it('PSI io full avg10 peaks inside the storm; stall rates follow', () => {
    const run = runMetric(psiFormat, text(t.paths.psiIo), { zoneOffsetMin: zone, path: t.paths.psiIo });
    const avg10 = run.series('psi.io.full.avg10');
    inCapture(avg10);
    const p = peak(avg10, storm.fromUs, storm.toUs + LAG_US);
    expect(p.inside).toBeGreaterThan(50);
    expect(p.outside).toBeLessThan(p.inside / 2);
    const stall = peak(run.series('psi.io.some.stall'), storm.fromUs, storm.toUs + LAG_US);
    expect(stall.inside).toBeGreaterThan(50);
    expect(run.lines.some((l) => l.level === 4)).toBe(true);
    for (const res of ['memory', 'cpu'] as const) {
      const path = res === 'memory' ? t.paths.psiMemory : t.paths.psiCpu;
      expect(runMetric(psiFormat, text(path), { zoneOffsetMin: zone, path }).names()).toContain(`psi.${res}.some.avg10`);
    }
  });

  it('iostat %util is ~100 in the storm, with w_await high', () => {
    const run = runMetric(iostatFormat, text(t.paths.iostat), { zoneOffsetMin: zone });
    const util = run.metrics.find((m) => /^iostat\.[^.]+\.util$/.test(m.series) && m.series !== 'iostat.cpu.util')!;
    inCapture(util);
    expect(peak(util, storm.fromUs, storm.toUs + LAG_US).inside).toBeGreaterThan(90);
    const device = util.series.split('.')[1];
    expect(peak(run.series(`iostat.${device}.w_await`), storm.fromUs, storm.toUs + LAG_US).inside).toBeGreaterThan(100);
    expect(peak(run.series('iostat.cpu.iowait'), storm.fromUs, storm.toUs + LAG_US).inside).toBeGreaterThan(20);
  });

  it('vmstat wa and b are high in the storm, low outside', () => {
    const run = runMetric(vmstatFormat, text(t.paths.vmstat), { zoneOffsetMin: zone });
    const wa = run.series('vmstat.wa');
    inCapture(wa);
    const p = peak(wa, storm.fromUs, storm.toUs + LAG_US);
    expect(p.inside).toBeGreaterThan(30);
    expect(p.outside).toBeLessThan(10);
    expect(peak(run.series('vmstat.b'), storm.fromUs, storm.toUs + LAG_US).inside).toBeGreaterThan(4);
  });

  it('places the files with the zone from their own stamps when they carry one', () => {
    for (const path of [t.paths.psiIo, t.paths.iostat, t.paths.vmstat]) {
      const format = formatById(detectFormat(sniffOf(path, text(path))).format.id)!;
      const sniff = sniffOf(path, text(path));
      const anchors = format.anchors?.(sniff) ?? [];
      for (const a of anchors) expect((a.localAsUtcUs! - a.utcUs) / 60e6, path).toBe(zone);
      // Parsed in UTC by mistake, the local files move by exactly the zone; absolute ones do not.
      const wrong = runMetric(format, text(path), { zoneOffsetMin: 0, path });
      const right = runMetric(format, text(path), { zoneOffsetMin: zone, path });
      const a = wrong.metrics[0]!;
      const b = right.metrics[0]!;
      expect(a.ts[0]! - b.ts[0]!).toBe(a.basis === 'local' ? zone * 60e6 : 0);
    }
  });
});
