import { useEffect, useRef, useState } from 'react';
import type { TimelineData } from '../../../store/timeline-queries';
import { useViewState } from '../view-state';
import type { echarts } from './echarts';
import type { TimelineRow } from './layout';

export interface Range {
  from: number;
  to: number;
}

/** A zoom that settled this long becomes the URL's window (one history entry, not one per wheel tick). */
const WINDOW_SETTLE_MS = 400;

interface ZoomEvent {
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
  batch?: ZoomEvent[];
}

/**
 * Wires the chart to the view: zoom ↔ URL window, brush (or shift-drag) → window, clicks on
 * markers → selection, hover → shared cursor.
 */
export function useChartEvents(
  chart: echarts.ECharts | null, data: TimelineData, rows: TimelineRow[], brushMode: boolean,
  onZoom: (r: Range) => void, onHover: (ts: number | null) => void,
): void {
  const [view, update] = useViewState();
  const handlers = useRef({ onZoom, onHover, update, data, rows });
  useEffect(() => { handlers.current = { onZoom, onHover, update, data, rows }; });
  const current = useRef<Range>(view.window ?? data.extent);
  const [shift, setShift] = useState(false);

  useEffect(() => {
    if (!chart) return;
    let frame = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const { extent } = handlers.current.data;
    const onDataZoom = (raw: unknown) => {
      const e = raw as ZoomEvent;
      const z = e.batch?.[0] ?? e;
      const span = extent.to - extent.from;
      const from = z.startValue ?? extent.from + (span * (z.start ?? 0)) / 100;
      const to = z.endValue ?? extent.from + (span * (z.end ?? 100)) / 100;
      current.current = { from, to };
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => handlers.current.onZoom(current.current));
      clearTimeout(settle);
      settle = setTimeout(() => {
        const whole = from <= extent.from + span * 1e-4 && to >= extent.to - span * 1e-4;
        handlers.current.update({ window: whole ? null : { from, to } }, { push: true });
      }, WINDOW_SETTLE_MS);
    };
    const onBrushEnd = (raw: unknown) => {
      const area = (raw as { areas?: { coordRange?: number[] }[] }).areas?.[0];
      const [from, to] = area?.coordRange ?? [];
      chart.dispatchAction({ type: 'brush', areas: [] });
      if (from === undefined || to === undefined || !(to > from)) return;
      chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: from, endValue: to });
    };
    const onClick = (raw: unknown) => {
      const p = raw as { seriesId?: string; value?: number[] };
      const { data: d, update: set } = handlers.current;
      if ((p.seriesId === 'errors' || p.seriesId?.startsWith('lines-')) && p.value) {
        const [ts, row, offset, source] = p.value as [number, number, number, number];
        // A merged lane holds many files: the marker names its own source.
        const sourceId = d.sourceIds[source] ?? d.lanes[row]?.sourceId;
        if (sourceId) set({ selection: { kind: 'line', sourceId, offset, ts } }, { push: true });
      } else if (p.seriesId === 'dumps') set({ tab: 'goroutines' }, { push: true });
    };
    const onPointer = (raw: unknown) => {
      const info = (raw as { axesInfo?: { axisDim: string; value: number }[] }).axesInfo?.find((a) => a.axisDim === 'x');
      if (info) handlers.current.onHover(info.value);
    };
    const onOut = () => handlers.current.onHover(null);
    chart.on('datazoom', onDataZoom);
    chart.on('brushEnd', onBrushEnd);
    chart.on('click', onClick);
    chart.on('updateAxisPointer', onPointer);
    chart.getZr().on('globalout', onOut);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(settle);
      // The instance may be disposed first (the chart unmounts with its events).
      if (chart.isDisposed()) return;
      chart.off('datazoom', onDataZoom);
      chart.off('brushEnd', onBrushEnd);
      chart.off('click', onClick);
      chart.off('updateAxisPointer', onPointer);
      chart.getZr().off('globalout', onOut);
    };
  }, [chart]);

  // The URL's window drives the zoom (reload, back/forward, another panel setting it).
  useEffect(() => {
    if (!chart || chart.isDisposed()) return;
    const target = view.window ?? data.extent;
    const tolerance = (data.extent.to - data.extent.from) * 1e-4 + 1;
    if (Math.abs(target.from - current.current.from) <= tolerance && Math.abs(target.to - current.current.to) <= tolerance) return;
    chart.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: target.from, endValue: target.to });
  }, [chart, view.window, data.extent]);

  // Holding Shift turns a drag into a window selection (as the Select window button does).
  useEffect(() => {
    const key = (e: KeyboardEvent) => setShift(e.shiftKey);
    const blur = () => setShift(false);
    window.addEventListener('keydown', key);
    window.addEventListener('keyup', key);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', key);
      window.removeEventListener('keyup', key);
      window.removeEventListener('blur', blur);
    };
  }, []);
  const brushing = brushMode || shift;
  useEffect(() => {
    if (!chart || chart.isDisposed()) return;
    chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: brushing ? 'lineX' : false } });
  }, [chart, brushing]);
}
