import { describe, expect, it } from 'vitest';
import { detectIoPressure } from './io-pressure';
import { inputOf, kinds } from './test-helpers';
import { defaultDetectorOptions, type AlignedMetric, type AnalysisInput } from './types';

const SEC = 1e6;
const T0 = 1_700_000_000 * SEC;

function metric(series: string, values: number[], stepSec = 1, startSec = 0): AlignedMetric {
  return { fileId: 'f', sourceId: 'f:metrics', path: 'm.log', series, ts: values.map((_, i) => T0 + (startSec + i * stepSec) * SEC), value: values };
}
const input = (metrics: AlignedMetric[]): AnalysisInput => ({ files: [], signals: [], metrics, dumps: [], events: [] });

describe('io-pressure detector', () => {
  it('windows over thresholds per series, and their union with the number of agreeing sources', () => {
    const f = detectIoPressure(input([
      metric('psi.io.full.avg10', [1, 2, 15, 40, 60, 30, 5, 1]),
      metric('iostat.nvme0n1.util', [20, 95, 99, 99.5, 97, 60, 10, 5]),
      metric('iostat.nvme0n1.w_await', [1, 2, 3, 4, 5, 6, 7, 8]),
      metric('iostat.cpu.util', [99, 99, 99, 99, 99, 99, 99, 99]),
      metric('psi.memory.full.avg10', [50, 50, 0, 0, 0, 0, 0, 0]),
    ]), defaultDetectorOptions);
    const full = kinds(f, 'psi-io-full');
    expect(full.map((w) => [(w.from - T0) / SEC, (w.to - T0) / SEC, w.facts.peak])).toEqual([[2, 5, 60]]);
    expect(kinds(f, 'iostat-util').map((w) => [(w.from - T0) / SEC, (w.to - T0) / SEC, w.facts.device])).toEqual([[1, 4, 'nvme0n1']]);
    expect(kinds(f, 'iostat-await')).toEqual([]);
    expect(kinds(f, 'psi-memory-full')).toHaveLength(1);
    const io = kinds(f, 'io-window');
    expect(io.map((w) => [(w.from - T0) / SEC, (w.to - T0) / SEC, w.facts.sources])).toEqual([[1, 5, 2]]);
    expect(io[0]!.severity).toBe('error');
  });

  it('short dips under a threshold do not cut a window; vmstat-only IO during memory pressure is the shortage\'s, not a disk incident', () => {
    // vmstat every 5 s: wa dips under 30 for one sample at a time, b for two.
    const wa = [10, 34, 28, 41, 45, 20, 38, 44, 35, 29, 40, 12, 10, 10, 10, 10, 10, 10];
    const b = [1, 6, 9, 3, 3, 9, 12, 8, 9, 9, 7, 1, 1, 1, 1, 1, 1, 1];
    const vm = [metric('vmstat.wa', wa, 5), metric('vmstat.b', b, 5)];
    const alone = detectIoPressure(input(vm), defaultDetectorOptions);
    expect(kinds(alone, 'vmstat-wa').map((w) => [(w.from - T0) / SEC, (w.to - T0) / SEC])).toEqual([[5, 50]]);
    expect(kinds(alone, 'vmstat-blocked').map((w) => [(w.from - T0) / SEC, (w.to - T0) / SEC])).toEqual([[5, 50]]);
    expect(kinds(alone, 'io-window').map((w) => w.facts.memoryDriven)).toEqual([false]);
    // The same counters while PSI memory full is high for most of the window: reclaim and refaults.
    const thrashing = detectIoPressure(input([...vm, metric('psi.memory.full.avg10', [5, 40, 55, 60, 58, 52, 50, 48, 45, 30, 22, 8, 2, 0, 0, 0, 0, 0], 5)]), defaultDetectorOptions);
    const io = kinds(thrashing, 'io-window');
    expect(io.map((w) => w.facts.memoryDriven)).toEqual([true]);
    expect(io[0]!.strength).toBeLessThan(kinds(alone, 'io-window')[0]!.strength);
    // A disk PSI or iostat also shows is disk pressure whatever memory does.
    const disk = detectIoPressure(input([...vm, metric('psi.memory.full.avg10', new Array(18).fill(50), 5), metric('psi.io.full.avg10', [0, 30, 40, 50, 50, 40, 40, 40, 40, 30, 20, 0, 0, 0, 0, 0, 0, 0], 5)]), defaultDetectorOptions);
    expect(kinds(disk, 'io-window').map((w) => w.facts.memoryDriven)).toEqual([false]);
  });

  it('thresholds are options; one weak source is only a warning', () => {
    const m = [metric('vmstat.wa', [10, 35, 33, 10])];
    expect(kinds(detectIoPressure(input(m), defaultDetectorOptions), 'io-window').map((w) => w.severity)).toEqual(['warn']);
    expect(detectIoPressure(input(m), { ...defaultDetectorOptions, vmstatWa: 40 })).toEqual([]);
  });

  it('real vmstat and iostat samples (procps 3, sysstat test suite) parse into the windows their columns show', async () => {
    const { readFileSync } = await import('node:fs');
    const real = (name: string) => readFileSync(`/work/shared/samples/real/${name}`, 'utf8');
    const a = await inputOf({ 'vmstat.log': real('vmstat-tw-procps3-crlf-iij-bootcamp-2021.txt'), 'iostat.log': real('iostat-x-sysstat-testsuite-expected-v12.7.txt') });
    const f = detectIoPressure(a, defaultDetectorOptions);
    expect(a.metrics.map((m) => m.series)).toEqual(expect.arrayContaining(['vmstat.wa', 'vmstat.b']));
    expect(a.metrics.some((m) => /^iostat\.(?!cpu\.).+\.util$/.test(m.series))).toBe(true);
    // Recompute independently from the parsed series: every sample over a threshold lies in a window.
    for (const m of a.metrics.filter((x) => x.series === 'vmstat.wa' || x.series === 'vmstat.b' || /^iostat\.(?!cpu\.).+\.(util|w_await)$/.test(x.series))) {
      const limit = m.series === 'vmstat.wa' ? 30 : m.series === 'vmstat.b' ? 4 : m.series.endsWith('util') ? 90 : 100;
      for (let i = 0; i < m.ts.length; i++) {
        if (!(m.value[i]! > limit)) continue;
        expect(f.some((w) => w.facts.series === m.series && w.from <= m.ts[i]! && w.to >= m.ts[i]!), `${m.series} at ${i}`).toBe(true);
      }
    }
  });
});
