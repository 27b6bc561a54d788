// The timeline rows' series, rebuilt for the visible range on every zoom: stacked density bars
// (or single lines when few are in view), error markers, dump captures, goroutine waits, search
// density and the highlighted evidence. Only what is in view is handed to ECharts.
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import { CLASS_COUNT, bucketRange, densityClass, histogram, levelBucketUs, lowerBound, pickLevel } from '../../../core/density';
import type { Evidence } from '../../../core/analysis/types';
import { linesOf, type LineColumns } from '../../../core/line-merge';
import type { TimelineData } from '../../../store/timeline-queries';
import type { SearchMatch } from '../../hooks/use-search';
import { echarts, type SeriesOption } from './echarts';
import type { TimelineRow } from './layout';
import { classTotals, densitySeries, type RowBars } from './density-series';
import { classColors, type ThemeColors } from './theme';
import { formatTs } from '../../format';

export interface LaneInput {
  data: TimelineData;
  rows: TimelineRow[];
  view: { from: number; to: number };
  /** Buckets across the visible range (about one per 3 px). */
  maxBuckets: number;
  colors: ThemeColors;
  /** The lines in view when zoomed in far enough, else null (density). */
  lines: LineColumns | null;
  search: SearchMatch[] | null;
  evidence: Evidence[];
  band: { from: number; to: number } | null;
}

/** Up to this many errors in view every one gets a marker; beyond, one per lane and slot. */
const ALL_ERRORS_BELOW = 300;
const ERROR_SLOTS = 30;

/** A rectangle clipped to the grid, or null when outside it. */
function clipped(params: CustomSeriesRenderItemParams, x: number, y: number, width: number, height: number, fill: string, opacity = 1) {
  const cs = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
  const shape = echarts.graphic.clipRectByRect({ x, y, width, height }, cs);
  return shape ? { type: 'rect' as const, shape, style: { fill, opacity } } : null;
}

function waitRenderer(fill: string) {
  return (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const row = api.value(2) as number;
    const [x0, yc] = api.coord([api.value(0), row]) as number[];
    const [x1] = api.coord([api.value(1), row]) as number[];
    const band = (api.size!([0, 1]) as number[])[1]!;
    const r = clipped(params, x0!, yc! - band * 0.3, Math.max(2, x1! - x0!), band * 0.6, fill, 0.55);
    return r ?? { type: 'group', children: [] };
  };
}

export function laneSeries(input: LaneInput): { series: SeriesOption[]; level: number; mode: 'density' | 'lines' } {
  const { data, rows, view, colors } = input;
  const grid = data.lanes[0]?.pyramid.grid;
  const levelCount = data.lanes[0]?.pyramid.levels.length ?? 1;
  const level = grid ? pickLevel(grid, levelCount, view.from, view.to, input.maxBuckets) : 0;
  const ccolors = classColors(colors);
  const series: SeriesOption[] = [];

  const bars: RowBars[] = [];
  if (grid && !input.lines) {
    const width = levelBucketUs(grid, level);
    const [start, end] = bucketRange(grid, level, view.from, view.to);
    data.lanes.forEach((lane, row) => {
      const counts = lane.pyramid.levels[level]!.subarray(start * CLASS_COUNT, end * CLASS_COUNT);
      bars.push({ row, from: grid.from + start * width, width, n: end - start, counts });
    });
  }
  series.push(densitySeries('density', bars, ccolors, (b) => densityTip(rows[b.row]?.label ?? '', classTotals(b)), { markArea: bandArea(input.band, colors) }));

  const laneRow = new Map(data.lanes.flatMap((l, i) => (l.memberIds ?? [l.sourceId]).map((id) => [id, i] as const)));
  const sourceIndex = new Map(data.sourceIds.map((id, i) => [id, i]));
  // A few thousand at most (the timeline asks for lines only when few are in view).
  const lines = input.lines ? linesOf(input.lines) : [];
  for (let c = CLASS_COUNT - 1; c >= 0; c--) {
    series.push({
      id: `lines-${c}`, type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, symbol: 'rect', symbolSize: [2, 12],
      itemStyle: { color: ccolors[c] }, cursor: 'pointer',
      data: lines.filter((l) => !l.continuation && densityClass(l.level) === c && laneRow.has(l.sourceId)).map((l) => [l.ts, laneRow.get(l.sourceId)!, l.offset, sourceIndex.get(l.sourceId) ?? -1]),
      tooltip: { formatter: (p) => lineTip(rows, p.value as number[]) },
    });
  }
  series.push(errorSeries(input, colors));
  series.push(...dumpSeries(input, colors));
  series.push(searchSeries(input, level, colors));
  series.push({
    id: 'evidence', type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, symbol: 'emptyCircle', symbolSize: 14, z: 10,
    itemStyle: { color: colors.accent, borderWidth: 2 }, silent: true,
    data: input.evidence.flatMap((e) => (e.kind === 'line' && laneRow.has(e.sourceId) ? [[e.ts, laneRow.get(e.sourceId)!]] : [])),
  });
  return { series, level, mode: input.lines ? 'lines' : 'density' };
}

/**
 * Error markers in view as [ts, row, offset, source index]. When many are in view, each lane keeps the first
 * error of every `slots`-th of the range (a marker says "errors here"; the density counts them).
 */
export function errorsInView(data: TimelineData, view: { from: number; to: number }, slots = ERROR_SLOTS): number[][] {
  const { ts, offset, lane, source } = data.errors;
  const start = lowerBound(ts, view.from);
  const end = lowerBound(ts, view.to + 1);
  const out: number[][] = [];
  if (end - start <= ALL_ERRORS_BELOW) {
    for (let k = start; k < end; k++) out.push([ts[k]!, lane[k]!, offset[k]!, source[k]!]);
    return out;
  }
  const width = (view.to - view.from) / slots;
  const taken = new Set<number>();
  for (let k = start; k < end; k++) {
    const key = lane[k]! * (slots + 1) + Math.floor((ts[k]! - view.from) / width);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push([ts[k]!, lane[k]!, offset[k]!, source[k]!]);
  }
  return out;
}

function errorSeries(input: LaneInput, colors: ThemeColors): SeriesOption {
  return {
    id: 'errors', type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, symbol: 'triangle', symbolSize: 8, symbolOffset: [0, -4], z: 5,
    itemStyle: { color: colors.error, borderColor: colors.panel, borderWidth: 0.5 }, cursor: 'pointer',
    data: errorsInView(input.data, input.view),
    tooltip: { formatter: (p) => `${lineTip(input.rows, p.value as number[])}<br>click: show this line` },
  };
}

function dumpSeries({ data, rows }: LaneInput, colors: ThemeColors): SeriesOption[] {
  const dumpRow = rows.findIndex((r) => r.kind === 'dumps');
  const placed = data.dumps.filter((d) => d.takenAt !== null);
  const waits: (number | string)[][] = [];
  for (const d of placed) {
    for (const w of d.waits) {
      const row = rows.findIndex((r) => r.kind === 'waits' && r.state === w.state);
      waits.push([d.takenAt! - w.maxMinutes * 60e6, d.takenAt!, row, w.count, w.minMinutes, w.maxMinutes, d.process]);
    }
  }
  return [
    {
      id: 'dumps', type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, symbol: 'diamond', symbolSize: 11, z: 6, cursor: 'pointer',
      itemStyle: { color: colors.accent },
      data: dumpRow < 0 ? [] : placed.map((d) => ({ value: [d.takenAt!, dumpRow], name: d.id })),
      tooltip: { formatter: (p) => { const d = placed[p.dataIndex]!; return esc(`${d.process}${d.pid ? ` (pid ${d.pid})` : ''} dump · ${d.goroutines} goroutines · ${formatTs(d.takenAt!)}`); } },
      markLine: dumpRow < 0 ? undefined : {
        silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: colors.accent, type: 'dashed', opacity: 0.45, width: 1 },
        data: placed.map((d) => ({ xAxis: d.takenAt! })),
      },
    },
    {
      id: 'waits', type: 'custom', xAxisIndex: 0, yAxisIndex: 0, renderItem: waitRenderer(colors.warn), data: waits, encode: { x: [0, 1], y: 2 },
      tooltip: { formatter: (p) => { const v = p.value as (number | string)[]; return esc(`${v[3]} goroutines of ${v[6]} in "${rows[v[2] as number]?.state}" for ${v[4]}–${v[5]} min at capture`); } },
    },
  ];
}

function searchSeries({ data, rows, view, search }: LaneInput, level: number, colors: ThemeColors): SeriesOption {
  const row = rows.findIndex((r) => r.kind === 'search');
  const grid = data.lanes[0]?.pyramid.grid;
  const bars: RowBars[] = [];
  if (search && grid && row >= 0) {
    const width = levelBucketUs(grid, level);
    const [start, end] = bucketRange(grid, level, view.from, view.to);
    const hist = histogram(search.map((m) => m.ts), grid.from + start * width, width, end - start);
    // The matches count as the "info" class of a one-class density row.
    const counts = new Uint32Array(hist.length * CLASS_COUNT);
    hist.forEach((n, i) => { counts[i * CLASS_COUNT + 2] = n; });
    bars.push({ row, from: grid.from + start * width, width, n: hist.length, counts });
  }
  return densitySeries('search', bars, ['', '', colors.accent, ''], (b) => `${classTotals(b)[2]!.toLocaleString('en')} matches in view (first ${search?.length ?? 0} of the search)`);
}

export function bandArea(band: { from: number; to: number } | null, colors: ThemeColors, extra: [number, number][] = []) {
  const areas = [...(band ? [[band.from, band.to] as [number, number]] : []), ...extra];
  return {
    silent: true, itemStyle: { color: colors.dark ? 'rgba(122,162,247,0.16)' : 'rgba(36,87,197,0.10)', borderColor: colors.accent, borderWidth: 1, borderType: 'dashed' as const },
    data: areas.map(([from, to]) => [{ xAxis: from }, { xAxis: to }] as [{ xAxis: number }, { xAxis: number }]),
  };
}

function densityTip(label: string, totals: number[]): string {
  const parts = ['errors', 'warnings', 'info', 'other'].map((n, i) => (totals[i] ? `${totals[i]!.toLocaleString('en')} ${n}` : '')).filter(Boolean);
  return `${esc(label)}<br>in view: ${parts.join(' · ') || 'nothing'}`;
}

function lineTip(rows: TimelineRow[], v: number[]): string {
  return `${esc(rows[v[1]!]?.label ?? '')}<br>${formatTs(v[0]!)} · byte ${v[2]}`;
}

/** Tooltips are HTML: labels carry file names and goroutine states from the bundle (hostile input). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
