// Stacked density of a row drawn as one step polygon per level class (not one rectangle per
// bucket): a zoom redraws a handful of shapes per lane whatever the bucket count.
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import { CLASS_COUNT } from '../../../core/density';
import type { CustomSeriesOption } from './echarts';

/** One row's buckets in view: `counts[i * CLASS_COUNT + class]`, bucket i starting at from + i × width. */
export interface RowBars {
  row: number;
  from: number;
  width: number;
  n: number;
  counts: Uint32Array;
}

export function classTotals(b: RowBars): number[] {
  const t = new Array<number>(CLASS_COUNT).fill(0);
  for (let i = 0; i < b.n * CLASS_COUNT; i++) t[i % CLASS_COUNT]! += b.counts[i]!;
  return t;
}

function renderer(bars: RowBars[], colors: string[]) {
  return (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const b = bars[params.dataIndex]!;
    const cs = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const [x0, yc] = api.coord([b.from, b.row]) as [number, number];
    const step = (api.coord([b.from + b.width, b.row]) as [number, number])[0] - x0;
    const band = (api.size!([0, 1]) as number[])[1]!;
    const bottom = yc + band / 2 - 2;
    const x = (i: number) => Math.min(cs.x + cs.width, Math.max(cs.x, x0 + i * step));
    let max = 1;
    const totals = new Float64Array(b.n);
    for (let i = 0; i < b.n; i++) {
      for (let c = 0; c < CLASS_COUNT; c++) totals[i]! += b.counts[i * CLASS_COUNT + c]!;
      max = Math.max(max, totals[i]!);
    }
    // Heights on a log scale of the row's busiest bucket in view: a quiet lane still shows its shape.
    const full = Float64Array.from(totals, (t) => ((band - 4) * Math.log1p(t)) / Math.log1p(max));
    const level = new Float64Array(b.n);
    const children = [];
    for (let c = 0; c < CLASS_COUNT; c++) {
      const top: number[][] = [];
      const base: number[][] = [];
      let any = false;
      for (let i = 0; i < b.n; i++) {
        const count = b.counts[i * CLASS_COUNT + c]!;
        base.push([x(i), bottom - level[i]!], [x(i + 1), bottom - level[i]!]);
        // Errors and warnings stay visible however many info lines share their bucket.
        if (count) {
          any = true;
          level[i]! += Math.max(c < 2 ? 2 : 0.5, (full[i]! * count) / totals[i]!);
        }
        top.push([x(i), bottom - level[i]!], [x(i + 1), bottom - level[i]!]);
      }
      if (any) children.push({ type: 'polygon' as const, shape: { points: [...top, ...base.reverse()] }, style: { fill: colors[c]! } });
    }
    return { type: 'group', children };
  };
}

export function densitySeries(id: string, bars: RowBars[], colors: string[], tip: (b: RowBars) => string, extra: Partial<CustomSeriesOption> = {}): CustomSeriesOption {
  return {
    id, type: 'custom', xAxisIndex: 0, yAxisIndex: 0, renderItem: renderer(bars, colors), clip: true,
    data: bars.map((b) => [b.from, b.row]), encode: { x: 0, y: 1 },
    tooltip: { formatter: (p) => tip(bars[p.dataIndex]!) },
    ...extra,
  };
}
