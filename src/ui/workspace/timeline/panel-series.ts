// The metric panels' data for the visible range: each series decimated to the plot's width
// (lowest and highest per column), so a zoom hands ECharts a few thousand points, not all.
import { decimate } from '../../../core/density';
import type { Evidence } from '../../../core/analysis/types';
import { panelSeriesId } from './base-option';
import type { ChartPanel } from './chart-panels';
import type { SeriesOption } from './echarts';
import { bandArea } from './lane-series';
import type { ThemeColors } from './theme';

export interface PanelInput {
  panels: ChartPanel[];
  view: { from: number; to: number };
  /** Columns across the plot (about one per 2 px). */
  columns: number;
  band: { from: number; to: number } | null;
  evidence: Evidence[];
  colors: ThemeColors;
}

export function panelSeries({ panels, view, columns, band, evidence, colors }: PanelInput): SeriesOption[] {
  return panels.flatMap((p) => p.lines.map((l, i): SeriesOption => ({
    id: panelSeriesId(p, i),
    type: 'line',
    data: decimate(l.metric.ts, l.metric.value, view.from, view.to, columns),
    // The evidence of the selected step: its band, and the windows of metric evidence on this panel.
    markArea: i === 0 ? bandArea(band, colors, evidence.flatMap((e) => (e.kind === 'metric' && p.lines.some((m) => m.metric.series === e.series) ? [[e.from, e.to] as [number, number]] : []))) : undefined,
  })));
}
