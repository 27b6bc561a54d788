import { describe, expect, it } from 'vitest';
import type { TimelineMetric } from '../../../store/timeline-queries';
import { chartPanels } from './chart-panels';

const metric = (series: string, values: number[] = [1, 2, 3]): TimelineMetric => ({
  sourceId: 's', path: 'x', series, ts: Float64Array.from(values, (_, i) => i * 1e6), value: Float64Array.from(values),
});

describe('chart panels', () => {
  it('names the file that would provide each missing family', () => {
    const { panels, hints } = chartPanels([]);
    expect(panels).toEqual([]);
    expect(hints.join('\n')).toMatch(/\/proc\/pressure\/io/);
    expect(hints.join('\n')).toMatch(/iostat -x/);
    expect(hints.join('\n')).toMatch(/vmstat/);
  });

  it('draws PSI avg10 and stall with the 10 % line, and the busiest disks first', () => {
    const metrics = [
      metric('psi.io.full.avg10'), metric('psi.io.some.avg10'), metric('psi.io.full.stall'), metric('psi.io.full.avg60'),
      ...['loop0', 'sda', 'nvme0n1', 'dm-0'].map((d, i) => metric(`iostat.${d}.util`, [i, i, i])),
      metric('iostat.cpu.util'), metric('iostat.sda.w_await'), metric('iostat.sda.aqu_sz'), metric('iostat.sda.w_s'),
      metric('vmstat.wa'), metric('vmstat.b'), metric('vmstat.bo'),
    ];
    const { panels, hints } = chartPanels(metrics);
    expect(hints).toEqual([]);
    const psi = panels.find((p) => p.id === 'psi')!;
    expect(psi.lines.map((l) => l.metric.series)).toEqual(['psi.io.full.avg10', 'psi.io.some.avg10', 'psi.io.full.stall']);
    expect(psi.threshold?.value).toBe(10);
    const util = panels.find((p) => p.id === 'util')!;
    expect(util.lines.map((l) => l.metric.series)).toEqual(['iostat.dm-0.util', 'iostat.nvme0n1.util', 'iostat.sda.util']);
    expect(util.threshold?.value).toBe(90);
    const queue = panels.find((p) => p.id === 'queue')!;
    expect(queue.lines.map((l) => [l.metric.series, l.axis])).toEqual([['iostat.sda.aqu_sz', 0], ['iostat.sda.w_s', 1]]);
    expect(panels.find((p) => p.id === 'vmstat-wa')!.lines.map((l) => l.axis)).toEqual([0, 1]);
  });
});
