// Which metric panels a bundle gets (PSI, disk, vmstat) from the series its parsers produced:
// psi.<res>.<some|full>.<avg10|stall>, iostat.<device>.<column>, vmstat.<column>.
import type { TimelineMetric } from '../../../store/timeline-queries';
import { SERIES_PALETTE } from './theme';

export interface PanelLine {
  name: string;
  metric: TimelineMetric;
  color: string;
  dashed?: boolean;
  /** 1 = the right-hand axis. */
  axis: 0 | 1;
}

export interface ChartPanel {
  id: 'psi' | 'util' | 'await' | 'queue' | 'vmstat-wa' | 'vmstat-io';
  title: string;
  units: [string, string?];
  lines: PanelLine[];
  threshold?: { value: number; label: string };
  /** Percent panels keep 0–100 so a glance compares them. */
  max?: number;
  height: number;
}

const PSI_COLORS: Record<string, string> = {
  'io.full': '#d62728', 'io.some': '#ff9896', 'memory.full': '#9467bd', 'memory.some': '#c5b0d5', 'cpu.full': '#1f77b4', 'cpu.some': '#7fb2e5',
};

/** Devices with the most load first; a node often lists loop and dm devices nobody needs. */
const MAX_DEVICES = 3;

export function chartPanels(metrics: TimelineMetric[]): { panels: ChartPanel[]; hints: string[] } {
  const by = new Map(metrics.map((m) => [m.series, m]));
  const panels: ChartPanel[] = [];
  const hints: string[] = [];

  const psi: PanelLine[] = [];
  for (const res of ['io', 'memory', 'cpu']) {
    for (const kind of ['full', 'some']) {
      const m = by.get(`psi.${res}.${kind}.avg10`);
      if (m) psi.push({ name: `${res === 'memory' ? 'mem' : res} ${kind}`, metric: m, color: PSI_COLORS[`${res}.${kind}`]!, axis: 0 });
    }
  }
  for (const kind of ['full', 'some']) {
    const m = by.get(`psi.io.${kind}.stall`);
    if (m) psi.push({ name: `io ${kind} stall`, metric: m, color: PSI_COLORS[`io.${kind}`]!, dashed: true, axis: 0 });
  }
  if (psi.length) panels.push({ id: 'psi', title: 'PSI pressure', units: ['%'], lines: psi, threshold: { value: 10, label: 'full 10 %' }, max: 100, height: 64 });
  if (!metrics.some((m) => m.series.startsWith('psi.io.'))) hints.push('No PSI io samples: add /proc/pressure/io captures (and memory, cpu).');

  const devices = metrics
    .filter((m) => /^iostat\.[^.]+\.util$/.test(m.series) && m.series !== 'iostat.cpu.util')
    .map((m) => ({ dev: m.series.slice(7, -5), load: mean(m.value) }))
    .sort((a, b) => b.load - a.load)
    .slice(0, MAX_DEVICES)
    .map((d) => d.dev);
  const devLines = (columns: string[], axis: 0 | 1 = 0, offset = 0): PanelLine[] => devices.flatMap((dev, i) => columns.flatMap((col, j) => {
    const m = by.get(`iostat.${dev}.${col}`);
    return m ? [{ name: `${dev} ${col}`, metric: m, color: SERIES_PALETTE[(offset + i * columns.length + j) % SERIES_PALETTE.length]!, axis }] : [];
  }));
  const util = devLines(['util']);
  if (util.length) panels.push({ id: 'util', title: 'Disk %util', units: ['%'], lines: util, threshold: { value: 90, label: '90 %' }, max: 100, height: 44 });
  else hints.push('No iostat device samples: add `iostat -x -t 1` output.');
  const awaits = devLines(['w_await', 'r_await']);
  if (!awaits.length) awaits.push(...devLines(['await']));
  if (awaits.length) panels.push({ id: 'await', title: 'Disk await', units: ['ms'], lines: awaits, height: 44 });
  const queue = [...devLines(['aqu_sz'], 0), ...devLines(['w_s'], 1, 4)];
  if (queue.length) panels.push({ id: 'queue', title: 'Disk queue', units: ['aqu-sz', 'w/s'], lines: queue, height: 44 });

  const vm = (col: string, axis: 0 | 1, color: string): PanelLine[] => {
    const m = by.get(`vmstat.${col}`);
    return m ? [{ name: col === 'b' ? 'b blocked' : col, metric: m, color, axis }] : [];
  };
  const wa = [...vm('wa', 0, '#e15759'), ...vm('b', 1, '#4e79a7')];
  if (wa.length) panels.push({ id: 'vmstat-wa', title: 'vmstat', units: ['wa %', 'b'], lines: wa, height: 44 });
  const bio = [...vm('bi', 0, '#59a14f'), ...vm('bo', 0, '#f28e2b')];
  if (bio.length) panels.push({ id: 'vmstat-io', title: 'vmstat bi · bo', units: ['blocks/s'], lines: bio, height: 44 });
  if (!wa.length && !bio.length) hints.push('No vmstat samples: add `vmstat -t 1` output.');
  return { panels, hints };
}

function mean(v: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (const x of v) if (x === x) { sum += x; n++; }
  return n ? sum / n : 0;
}
