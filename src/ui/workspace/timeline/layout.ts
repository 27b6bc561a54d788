// Rows of the timeline (one per source, then dumps, goroutine waits and search) and the
// geometry of the grids stacked in the one chart: the timeline on top, the metric panels below.
import type { TimelineData } from '../../../store/timeline-queries';

export type RowKind = 'lane' | 'dumps' | 'waits' | 'search';

export interface TimelineRow {
  kind: RowKind;
  label: string;
  /** Longer text for the label's tooltip. */
  title: string;
  /** For lanes: the source drawn. */
  sourceId?: string;
  /** For waits rows: the goroutine state. */
  state?: string;
}

export function timelineRows(data: TimelineData, search: { text: string; total: number } | null): TimelineRow[] {
  const rows: TimelineRow[] = data.lanes.map((l) => ({ kind: 'lane', label: l.label, title: `${l.path} (${l.origin}) · ${l.pyramid.total.toLocaleString('en')} records`, sourceId: l.sourceId }));
  const placed = data.dumps.filter((d) => d.takenAt !== null);
  if (placed.length) {
    const { from, to } = data.extent;
    const where = (t: number) => (t < from ? ' (before the logs)' : t > to ? ' (after the logs: capture time from the file date?)' : '');
    rows.push({ kind: 'dumps', label: 'goroutine dumps', title: placed.map((d) => `${d.process}${d.pid ? ` ${d.pid}` : ''}: ${d.goroutines} goroutines${where(d.takenAt!)}`).join('\n') });
    const states = new Map<string, number>();
    for (const d of placed) for (const w of d.waits) states.set(w.state, (states.get(w.state) ?? 0) + w.count);
    for (const [state, count] of [...states].sort((a, b) => b[1] - a[1])) {
      rows.push({ kind: 'waits', label: `waits · ${state} (${count})`, title: `${count} goroutines in "${state}" waiting ≥ 1 min at capture`, state });
    }
  }
  if (search) rows.push({ kind: 'search', label: `search · ${search.total.toLocaleString('en')}`, title: `matches of “${search.text}”` });
  return rows;
}

export const GUTTER = 200;
export const RIGHT = 58;
export const ROW_H = 18;
const AXIS_TOP = 24;
const PANEL_TITLE = 20;
const PANEL_GAP = 10;
const SLIDER_H = 22;

export interface Box {
  top: number;
  height: number;
}

export interface ChartLayout {
  timeline: Box;
  panels: Box[];
  slider: Box;
  height: number;
}

export function chartLayout(rowCount: number, panelHeights: number[]): ChartLayout {
  const timeline = { top: AXIS_TOP, height: Math.max(1, rowCount) * ROW_H };
  let y = timeline.top + timeline.height + PANEL_GAP;
  const panels = panelHeights.map((h) => {
    const box = { top: y + PANEL_TITLE, height: h };
    y = box.top + h + PANEL_GAP;
    return box;
  });
  const slider = { top: y + (panels.length ? 14 : 4), height: SLIDER_H };
  return { timeline, panels, slider, height: slider.top + SLIDER_H + 6 };
}
