// The static part of the chart: one grid for the timeline rows and one per metric panel, all on
// time axes with the same extent, zoomed together by one inside and one slider dataZoom.
import type { ChartOption, LineSeriesOption } from './echarts';
import type { ChartPanel } from './chart-panels';
import { GUTTER, RIGHT, type ChartLayout, type TimelineRow } from './layout';
import type { ThemeColors } from './theme';
import { formatTs } from '../../format';
import { fmtAxis } from './time-format';

/** Panel series start empty: panel-series.ts fills them for the visible range. */
export interface BaseInput {
  extent: { from: number; to: number };
  zoom: { from: number; to: number };
  rows: TimelineRow[];
  panels: ChartPanel[];
  layout: ChartLayout;
  colors: ThemeColors;
  /** The visible span now: axis labels pick their precision from it. */
  span: () => number;
}

export const panelSeriesId = (panel: ChartPanel, i: number) => `panel-${panel.id}-${i}`;

export function baseOption({ extent, zoom, rows, panels, layout, colors, span }: BaseInput): ChartOption {
  const boxes = [layout.timeline, ...layout.panels];
  const last = boxes.length - 1;
  const xAxisIndex = boxes.map((_, i) => i);
  const axisLabel = (show: boolean) => ({
    show, color: colors.muted, fontSize: 10, hideOverlap: true,
    formatter: (v: number) => fmtAxis(v, span()),
  });
  const yAxes: NonNullable<ChartOption['yAxis']> = [{
    type: 'category', gridIndex: 0, data: rows.map((r) => r.label), inverse: true,
    axisLabel: { show: false }, axisTick: { show: false }, axisLine: { lineStyle: { color: colors.line } },
    splitArea: { show: true, areaStyle: { color: ['transparent', colors.dark ? 'rgba(255,255,255,0.025)' : 'rgba(0,0,0,0.025)'] } },
  }];
  const series: LineSeriesOption[] = [];
  panels.forEach((p, k) => {
    const grid = k + 1;
    const axisIndex = [yAxes.length, yAxes.length + 1];
    for (const side of [0, 1] as const) {
      if (side === 1 && !p.lines.some((l) => l.axis === 1)) continue;
      yAxes.push({
        type: 'value', gridIndex: grid, position: side ? 'right' : 'left', max: side === 0 ? p.max : undefined, min: 0,
        splitNumber: 2, axisLabel: { color: colors.muted, fontSize: 9 },
        splitLine: { show: side === 0, lineStyle: { color: colors.line, type: 'dashed' } },
      });
    }
    p.lines.forEach((l, i) => series.push({
      id: panelSeriesId(p, i), name: l.name, type: 'line', xAxisIndex: grid, yAxisIndex: axisIndex[l.axis],
      data: [], showSymbol: false, silent: true,
      lineStyle: { width: 1.3, color: l.color, type: l.dashed ? 'dashed' : 'solid' }, itemStyle: { color: l.color },
      markLine: i === 0 && p.threshold ? {
        silent: true, symbol: 'none', data: [{ yAxis: p.threshold.value }],
        lineStyle: { color: colors.error, type: 'dotted', opacity: 0.7 },
        label: { formatter: p.threshold.label, position: 'insideEndTop', color: colors.error, fontSize: 9 },
      } : undefined,
    }));
  });
  return {
    animation: false,
    useUTC: true,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    grid: boxes.map((b) => ({ left: GUTTER, right: RIGHT, top: b.top, height: b.height, containLabel: false })),
    xAxis: boxes.map((_, i) => ({
      type: 'time', gridIndex: i, min: extent.from, max: extent.to,
      position: i === 0 ? 'top' : 'bottom',
      axisLabel: axisLabel(i === 0 || i === last),
      axisTick: { show: i === 0 || i === last },
      axisLine: { lineStyle: { color: colors.line } },
      splitLine: { show: i === 0, lineStyle: { color: colors.line, opacity: 0.6 } },
      axisPointer: { show: true, type: 'line', snap: false, label: { show: false }, lineStyle: { color: colors.accent, width: 1 } },
    })),
    yAxis: yAxes,
    axisPointer: { link: [{ xAxisIndex: 'all' }], triggerTooltip: false },
    tooltip: { trigger: 'item', confine: true, appendTo: 'body', backgroundColor: colors.panel, borderColor: colors.line, textStyle: { color: colors.fg, fontSize: 12 } },
    dataZoom: [
      { type: 'inside', id: 'inside', xAxisIndex, filterMode: 'none', startValue: zoom.from, endValue: zoom.to, minValueSpan: 1000 },
      {
        type: 'slider', id: 'slider', xAxisIndex, filterMode: 'none', top: layout.slider.top, height: layout.slider.height,
        left: GUTTER, right: RIGHT, showDataShadow: false, borderColor: colors.line, textStyle: { color: colors.muted, fontSize: 10 },
        fillerColor: colors.dark ? 'rgba(122,162,247,0.18)' : 'rgba(36,87,197,0.12)', labelFormatter: (v: number) => formatTs(v).slice(5, 19),
        handleStyle: { color: colors.panel, borderColor: colors.accent }, moveHandleStyle: { color: colors.line },
      },
    ],
    brush: {
      xAxisIndex: 'all', brushType: 'lineX', brushMode: 'single', transformable: false, throttleType: 'debounce', throttleDelay: 50,
      brushStyle: { color: colors.dark ? 'rgba(122,162,247,0.2)' : 'rgba(36,87,197,0.15)', borderColor: colors.accent, borderWidth: 1 },
      outOfBrush: { colorAlpha: 1 }, removeOnClick: true,
    },
    series,
  };
}
