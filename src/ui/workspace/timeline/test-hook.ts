// window.causeway.timeline: canvas content is not queryable, so e2e tests ask the chart where
// things are (ECharts' convertToPixel) and what it shows.
import type { TimelineData } from '../../../store/timeline-queries';
import { perfSnapshot, type PerfFigure } from '../../perf';
import type { echarts } from './echarts';
import { errorsInView } from './lane-series';
import { GUTTER, RIGHT, ROW_H, type TimelineRow } from './layout';
import type { NoteMark } from './note-series';
import type { Range } from './use-chart-events';

export interface TimelineHookTarget {
  chart: echarts.ECharts;
  data: TimelineData;
  rows: TimelineRow[];
  range: () => Range;
  notes: () => NoteMark[];
}

export interface NoteMarkInfo {
  kind: NoteMark['kind'];
  text: string;
  from: number;
  to: number;
  row: number;
  /** Viewport coordinates of the pin's head or the band handle's middle (for page.mouse.click). */
  x: number;
  y: number;
}

export interface ErrorMarkerInfo {
  sourceId: string;
  offset: number;
  ts: number;
  /** Viewport coordinates of the marker's centre (for page.mouse.click). */
  x: number;
  y: number;
}

export interface TimelineTestApi {
  range(): Range;
  /** The x range grid `index` shows now (0 = timeline, then the panels), read back from its pixels. */
  axisRange(index: number): Range;
  rows(): string[];
  errorMarkers(): ErrorMarkerInfo[];
  notes(): NoteMarkInfo[];
  zoomTo(from: number, to: number): void;
  perf(): Record<string, PerfFigure>;
}

type WithTimeline = { timeline?: TimelineTestApi };

export function installTimelineHook(t: TimelineHookTarget): () => void {
  const host = window.causeway as (NonNullable<Window['causeway']> & WithTimeline) | undefined;
  if (!host) return () => {};
  const api: TimelineTestApi = {
    range: t.range,
    axisRange: (index) => {
      const at = (x: number) => t.chart.convertFromPixel({ xAxisIndex: index }, x) as number;
      return { from: at(GUTTER), to: at(t.chart.getWidth() - RIGHT) };
    },
    rows: () => t.rows.map((r) => r.label),
    errorMarkers: () => {
      const box = t.chart.getDom().getBoundingClientRect();
      return errorsInView(t.data, t.range()).map(([ts, row, offset, source]) => {
        const [x, y] = t.chart.convertToPixel({ gridIndex: 0 }, [ts!, row!]) as number[];
        // The triangle sits 4 px above its lane's centre (symbolOffset).
        return { sourceId: t.data.sourceIds[source!] ?? t.data.lanes[row!]!.sourceId, offset: offset!, ts: ts!, x: box.left + x!, y: box.top + y! - 4 };
      });
    },
    notes: () => {
      const box = t.chart.getDom().getBoundingClientRect();
      const top = (t.chart.convertToPixel({ gridIndex: 0 }, [t.data.extent.from, 0]) as number[])[1]! - ROW_H / 2;
      return t.notes().map((m) => {
        const [x0, y] = t.chart.convertToPixel({ gridIndex: 0 }, [m.from, Math.max(0, m.row)]) as number[];
        const [x1] = t.chart.convertToPixel({ gridIndex: 0 }, [m.to, 0]) as number[];
        // A pin's head is about 12 px above its lane's centre; a band's handle is 3 px above the grid.
        return { kind: m.kind, text: m.text, from: m.from, to: m.to, row: m.row, x: box.left + (x0! + x1!) / 2, y: box.top + (m.row < 0 ? top - 3 : y! - 12) };
      });
    },
    zoomTo: (from, to) => t.chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: from, endValue: to }),
    perf: perfSnapshot,
  };
  host.timeline = api;
  return () => { if (host.timeline === api) delete host.timeline; };
}
