import './timeline/timeline.css';
import { useMemo, useState } from 'react';
import { useSearch } from '../hooks/use-search';
import { useTimelineData } from '../hooks/use-timeline';
import { chartPanels } from './timeline/chart-panels';
import { chartLayout, timelineRows } from './timeline/layout';
import { PanelLegends, RowLabels } from './timeline/Legends';
import { TimelineChart } from './timeline/TimelineChart';
import { classColors, useThemeColors } from './timeline/theme';
import { formatSpanUs, formatTs } from '../format';
import type { Range } from './timeline/use-chart-events';
import { useViewState } from './view-state';
import { timeClusters, type DensityPyramid, type TimeCluster } from '../../core/density';

const MAX_PERIODS = 6;

/** The bundle's separate periods (a rotated old log, a wrong clock), the busiest few, in time order. */
function separatePeriods(pyramids: DensityPyramid[], samples: Float64Array[]): TimeCluster[] {
  const all = timeClusters(pyramids, samples);
  if (all.length <= MAX_PERIODS) return all;
  return [...all].sort((a, b) => b.records - a.records).slice(0, MAX_PERIODS).sort((a, b) => a.from - b.from);
}

/** The timeline (a lane per source, dumps, waits, search) and the IO-pressure / system charts under it. */
export default function TimelinePanel({ bundleId }: { bundleId: string }) {
  const query = useTimelineData(bundleId);
  const data = query.data?.timeline ?? null;
  const [view, setView] = useViewState();
  const search = useSearch(bundleId, view.filters);
  const colors = useThemeColors();
  const [range, setRange] = useState<Range | null>(null);
  const [brushMode, setBrushMode] = useState(false);

  const searchResult = search.data && !search.data.error && view.filters.text ? search.data : null;
  const searchText = searchResult ? view.filters.text : null;
  const searchTotal = searchResult?.total ?? 0;
  const { panels, hints } = useMemo(() => (data ? chartPanels(data.metrics) : { panels: [], hints: [] }), [data]);
  const rows = useMemo(
    () => (data ? timelineRows(data, searchText !== null ? { text: searchText, total: searchTotal } : null) : []),
    [data, searchText, searchTotal],
  );
  const layout = useMemo(() => chartLayout(rows.length, panels.map((p) => p.height)), [rows.length, panels]);
  const periods = useMemo(() => (data ? separatePeriods(data.lanes.map((l) => l.pyramid), data.metrics.map((m) => m.ts)) : []), [data]);

  if (query.isLoading) return <section className="timeline-panel" data-testid="timeline"><div className="tl-empty">Building the timeline…</div></section>;
  if (!data) return <section className="timeline-panel" data-testid="timeline"><div className="tl-empty">No timestamped lines to draw.</div></section>;
  const shown = range ?? view.window ?? data.extent;
  const cls = classColors(colors);
  return (
    <section className="timeline-panel" data-testid="timeline">
      <header className="tl-head">
        <strong>Timeline</strong>
        <span className="tl-window" data-testid="timeline-window">{formatTs(shown.from)} → {formatTs(shown.to)} UTC · {formatSpanUs(shown.to - shown.from)}</span>
        <span className="tl-key" aria-label="Legend">
          {['error', 'warn', 'info', 'other'].map((n, i) => <span key={n}><i style={{ background: cls[i] }} />{n}</span>)}
          <span><i className="tri" />error line</span>
          <span><i className="dia" />dump</span>
        </span>
        <span className="tl-spacer" />
        <button
          aria-pressed={brushMode} onClick={() => setBrushMode((b) => !b)}
          title="Drag across the chart to select a time window (or hold Shift while dragging)"
        >Select window</button>
      </header>
      {periods.length > 1 && (
        <p className="tl-periods" data-testid="timeline-periods">
          The bundle falls in {periods.length} separate periods:
          {periods.map((p) => (
            <button key={p.from} type="button" onClick={() => setView({ window: { from: p.from, to: p.to } }, { push: true })} title="Show this period">
              {formatTs(p.from)} → {formatTs(p.to)} · {p.records.toLocaleString('en')} {p.records === 1 ? 'record' : 'records'}
            </button>
          ))}
        </p>
      )}
      <div className="tl-body" style={{ height: layout.height }}>
        <TimelineChart
          bundleId={bundleId} data={data} rows={rows} panels={panels} layout={layout} colors={colors}
          search={searchResult?.matches ?? null} brushMode={brushMode} onRange={setRange} queriedAt={query.data!.startedAt}
        />
        <RowLabels rows={rows} layout={layout} />
        <PanelLegends panels={panels} layout={layout} />
      </div>
      {hints.length > 0 && <ul className="tl-hints" data-testid="timeline-hints">{hints.map((h) => <li key={h}>{h}</li>)}</ul>}
    </section>
  );
}
