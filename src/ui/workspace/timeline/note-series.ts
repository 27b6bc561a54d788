// The user's notes on the timeline: a range note is a shaded band with a handle along the top, a line
// note a pin on its line's lane, a goroutine note a pin on the dump row at the capture time. Clicking
// one goes to what it annotates (as the notes panel does).
import { useEffect, useRef } from 'react';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import type { LocalNoteTarget, StoredNote } from '../../../store/db';
import type { TimelineData } from '../../../store/timeline-queries';
import { useViewState } from '../view-state';
import type { echarts, SeriesOption } from './echarts';
import { esc } from './lane-series';
import type { TimelineRow } from './layout';
import type { ThemeColors } from './theme';

export interface NoteMark {
  id: string;
  kind: 'range' | 'line' | 'goroutine';
  text: string;
  target: LocalNoteTarget;
  /** Start and end on the time axis (the same for a pin). */
  from: number;
  to: number;
  /** The timeline row of a pin; -1 for a band (it spans every row). */
  row: number;
}

/** The notes that have a place on the timeline (a step note is shown with its chain step instead). */
export function noteMarks(notes: StoredNote[], data: TimelineData, rows: TimelineRow[]): NoteMark[] {
  const laneRow = new Map(data.lanes.flatMap((l, i) => (l.memberIds ?? [l.sourceId]).map((id) => [id, i] as const)));
  const dumpRow = rows.findIndex((r) => r.kind === 'dumps');
  return notes.flatMap((n): NoteMark[] => {
    const t = n.target;
    const base = { id: n.id, text: n.text, target: t };
    if (t.kind === 'range') return [{ ...base, kind: 'range', from: t.from, to: t.to, row: -1 }];
    if (t.kind === 'line') {
      const row = laneRow.get(t.sourceId);
      return row === undefined ? [] : [{ ...base, kind: 'line', from: t.ts, to: t.ts, row }];
    }
    if (t.kind === 'goroutine') {
      const at = data.dumps.find((d) => d.id === t.dumpId)?.takenAt;
      return at == null || dumpRow < 0 ? [] : [{ ...base, kind: 'goroutine', from: at, to: at, row: dumpRow }];
    }
    return [];
  });
}

const HANDLE_PX = 6;

function bandRenderer(fill: string, stroke: string) {
  return (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const cs = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const [x0] = api.coord([api.value(0), 0]) as number[];
    const [x1] = api.coord([api.value(1), 0]) as number[];
    const left = Math.max(cs.x, Math.min(x0!, x1!));
    const right = Math.min(cs.x + cs.width, Math.max(x0!, x1!, x0! + 2));
    if (right <= left) return { type: 'group', children: [] };
    return {
      type: 'group',
      children: [
        // The shade lets the lanes under it keep their tooltips and clicks; the handle takes the note's.
        { type: 'rect', silent: true, shape: { x: left, y: cs.y, width: right - left, height: cs.height }, style: { fill, opacity: 0.12 } },
        { type: 'rect', shape: { x: left, y: cs.y - HANDLE_PX, width: right - left, height: HANDLE_PX }, style: { fill: stroke, opacity: 0.8 } },
      ],
    };
  };
}

const tip = (m: NoteMark) => `note · ${esc(m.text.length > 300 ? `${m.text.slice(0, 300)}…` : m.text)}<br>click: go there`;

export function noteSeries(marks: NoteMark[], colors: ThemeColors): SeriesOption[] {
  const bands = marks.filter((m) => m.kind === 'range');
  const pins = marks.filter((m) => m.kind !== 'range');
  return [
    {
      id: 'note-bands', type: 'custom', xAxisIndex: 0, yAxisIndex: 0, z: 1, cursor: 'pointer',
      renderItem: bandRenderer(colors.ok, colors.ok), encode: { x: [0, 1] }, clip: false,
      data: bands.map((m) => ({ value: [m.from, m.to], name: m.id })),
      tooltip: { formatter: (p) => tip(bands[p.dataIndex]!) },
    },
    {
      id: 'note-pins', type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, symbol: 'pin', symbolSize: 18, symbolOffset: [0, -9], z: 12, cursor: 'pointer',
      itemStyle: { color: colors.ok, borderColor: colors.panel, borderWidth: 1 },
      data: pins.map((m) => ({ value: [m.from, m.row], name: m.id })),
      tooltip: { formatter: (p) => tip(pins[p.dataIndex]!) },
    },
  ];
}

/** Clicking a note mark selects its target: a range becomes the window, anything else the selection. */
export function useNoteClicks(chart: echarts.ECharts | null, marks: NoteMark[]): void {
  const [, setView] = useViewState();
  const latest = useRef({ marks, setView });
  useEffect(() => { latest.current = { marks, setView }; });
  useEffect(() => {
    if (!chart) return;
    const onClick = (raw: unknown) => {
      const p = raw as { seriesId?: string; name?: string };
      if (p.seriesId !== 'note-bands' && p.seriesId !== 'note-pins') return;
      const { marks: all, setView: set } = latest.current;
      const t = all.find((m) => m.id === p.name)?.target;
      if (!t) return;
      if (t.kind === 'range') set({ window: { from: t.from, to: t.to } }, { push: true });
      else set({ selection: t }, { push: true });
    };
    chart.on('click', onClick);
    return () => { if (!chart.isDisposed()) chart.off('click', onClick); };
  }, [chart]);
}
