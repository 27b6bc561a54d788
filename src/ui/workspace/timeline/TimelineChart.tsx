import { useEffect, useMemo, useRef, useState } from 'react';
import { recordsIn } from '../../../core/density';
import type { TimelineData } from '../../../store/timeline-queries';
import type { SearchMatch } from '../../hooks/use-search';
import { useNotes } from '../../hooks/use-notes';
import { useTimelineLines } from '../../hooks/use-timeline';
import { recordPerf } from '../../perf';
import { setCursor, useCursor, useHighlight, useViewState } from '../view-state';
import { baseOption } from './base-option';
import type { ChartPanel } from './chart-panels';
import { echarts } from './echarts';
import { laneSeries } from './lane-series';
import { noteMarks, noteSeries, useNoteClicks } from './note-series';
import { panelSeries } from './panel-series';
import { GUTTER, RIGHT, type ChartLayout, type TimelineRow } from './layout';
import { installTimelineHook, type TimelineHookTarget } from './test-hook';
import type { ThemeColors } from './theme';
import { useChartEvents, type Range } from './use-chart-events';

/** Below this many records in view the lanes show single lines instead of density. */
export const LINES_LIMIT = 2000;

interface Props {
  bundleId: string;
  data: TimelineData;
  rows: TimelineRow[];
  panels: ChartPanel[];
  layout: ChartLayout;
  colors: ThemeColors;
  search: SearchMatch[] | null;
  brushMode: boolean;
  /** The zoomed range, for the header and the legends. */
  onRange: (r: Range) => void;
  /** When the shown data was asked for (performance.now()): its first paint is timed from there. */
  queriedAt: number;
}

/** One ECharts instance: the timeline rows and the metric panels, sharing x-axis, zoom and crosshair. */
export function TimelineChart({ bundleId, data, rows, panels, layout, colors, search, brushMode, onRange, queriedAt }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<echarts.ECharts | null>(null);
  const [width, setWidth] = useState(1200);
  const [view] = useViewState();
  const initial = view.window ?? data.extent;
  const [range, setRange] = useState<Range>(initial);
  const rangeRef = useRef<Range>(initial);
  const zoomStartedAt = useRef<number | null>(null);
  const { evidence, band } = useHighlight();
  const cursor = useCursor();
  const ownCursor = useRef<number | null>(null);

  useEffect(() => {
    const c = echarts.init(hostRef.current!, null, { renderer: 'canvas' });
    const ro = new ResizeObserver(() => {
      c.resize();
      setWidth(hostRef.current?.clientWidth ?? 1200);
    });
    ro.observe(hostRef.current!);
    setChart(c);
    return () => { ro.disconnect(); c.dispose(); };
  }, []);

  // Few records in view (after the zoom settles): read them and draw them one by one.
  const [linesWindow, setLinesWindow] = useState<Range | null>(null);
  useEffect(() => {
    const t = setTimeout(() => {
      const inView = data.lanes.reduce((n, l) => n + recordsIn(l.pyramid, range.from, range.to), 0);
      setLinesWindow(inView <= LINES_LIMIT ? range : null);
    }, 120);
    return () => clearTimeout(t);
  }, [data, range]);
  const lines = useTimelineLines(bundleId, linesWindow, LINES_LIMIT * 2);
  const shownLines = linesWindow && lines.data && covers(linesWindow, range) ? lines.data : null;

  const painted = useRef<TimelineData | null>(null);
  useEffect(() => {
    if (!chart) return;
    hostRef.current!.style.height = `${layout.height}px`;
    chart.resize();
    const span = () => rangeRef.current.to - rangeRef.current.from;
    const t0 = performance.now();
    chart.setOption(baseOption({ extent: data.extent, zoom: rangeRef.current, rows, panels, layout, colors, span }), { notMerge: true, lazyUpdate: true });
    recordPerf('timeline.baseOption', performance.now() - t0);
  }, [chart, data, rows, panels, layout, colors]);

  // The parts that follow the zoom: lanes for the visible range, highlight, crosshair.
  const lane = useMemo(() => laneSeries({
    data, rows, view: range, colors, lines: shownLines, search, evidence, band,
    maxBuckets: Math.max(60, Math.floor((width - GUTTER - RIGHT) / 3)),
  }), [data, rows, range, colors, shownLines, search, evidence, band, width]);
  const { data: notes } = useNotes(bundleId);
  const marks = useMemo(() => noteMarks(notes ?? [], data, rows), [notes, data, rows]);
  const notesDrawn = useMemo(() => noteSeries(marks, colors), [marks, colors]);
  useNoteClicks(chart, marks);
  const metricSeries = useMemo(
    () => panelSeries({ panels, view: range, columns: Math.max(100, Math.floor((width - GUTTER - RIGHT) / 2)), band, evidence, colors }),
    [panels, range, width, band, evidence, colors],
  );
  useEffect(() => {
    if (!chart) return;
    const t0 = performance.now();
    // A bundle's first frame is drawn at once (it is what the user waits for, and the log view's
    // first page would otherwise get the main thread first); later updates wait for the next frame.
    chart.setOption({ series: [...lane.series, ...notesDrawn, ...metricSeries] }, { lazyUpdate: painted.current === data });
    recordPerf('timeline.laneOption', performance.now() - t0);
    const host = hostRef.current!;
    host.dataset.xFrom = String(Math.round(range.from));
    host.dataset.xTo = String(Math.round(range.to));
    host.dataset.mode = lane.mode;
    host.dataset.level = String(lane.level);
    chart.off('finished');
    chart.on('finished', () => {
      chart.off('finished');
      const now = performance.now();
      if (painted.current !== data) {
        painted.current = data;
        recordPerf('timeline.paint', now - queriedAt);
        host.dataset.painted = '1';
      }
      if (zoomStartedAt.current !== null) recordPerf('timeline.redraw', now - zoomStartedAt.current);
      zoomStartedAt.current = null;
    });
  }, [chart, data, rows, layout, lane, notesDrawn, metricSeries, panels, colors, range, queriedAt]);

  useChartEvents(chart, data, rows, brushMode, (r) => {
    rangeRef.current = r;
    zoomStartedAt.current ??= performance.now();
    setRange(r);
    onRange(r);
  }, (ts) => { ownCursor.current = ts; setCursor(ts); });

  // The crosshair follows a cursor set elsewhere (the log view); our own hover shows ECharts' pointer.
  // It is a zrender line moved in place: as a `graphic` option every move re-ran the whole chart's
  // update (~100 ms on a big bundle, e.g. each time the log view opens at a line).
  const cursorLine = useRef<{ chart: echarts.ECharts; line: InstanceType<typeof echarts.graphic.Line> } | null>(null);
  useEffect(() => {
    if (!chart) return;
    const x = cursor !== null && cursor !== ownCursor.current ? chart.convertToPixel({ xAxisIndex: 0 }, cursor) : NaN;
    const show = Number.isFinite(x) && x >= GUTTER && x <= chart.getWidth() - RIGHT;
    if (cursorLine.current?.chart !== chart) {
      const line = new echarts.graphic.Line({ silent: true, z: 100 });
      chart.getZr().add(line);
      cursorLine.current = { chart, line };
    }
    cursorLine.current.line.attr({ invisible: !show, shape: { x1: x || 0, y1: layout.timeline.top, x2: x || 0, y2: layout.slider.top - 6 }, style: { stroke: colors.accent, lineWidth: 1 } });
  }, [chart, cursor, range, data, rows, panels, layout, colors]);

  useEffect(() => {
    if (!chart) return;
    const target: TimelineHookTarget = { chart, data, rows, range: () => rangeRef.current, notes: () => marks };
    return installTimelineHook(target);
  }, [chart, data, rows, marks]);

  return <div ref={hostRef} className="tl-chart" data-testid="timeline-chart" />;
}

function covers(outer: Range, inner: Range): boolean {
  return outer.from <= inner.from && outer.to >= inner.to;
}
