// HTML beside the canvas: the row labels and the panels' titles, series and values at the
// crosshair. Being DOM, they are readable by screen readers and by the e2e tests.
import type { TimelineMetric } from '../../../store/timeline-queries';
import { useCursor } from '../view-state';
import type { ChartPanel } from './chart-panels';
import { GUTTER, ROW_H, type ChartLayout, type TimelineRow } from './layout';

export function RowLabels({ rows, layout }: { rows: TimelineRow[]; layout: ChartLayout }) {
  return (
    <ul className="tl-rows" data-testid="timeline-lanes" aria-label="Timeline rows" style={{ width: GUTTER - 10 }}>
      {rows.map((r, i) => (
        <li
          key={`${r.kind}:${r.sourceId ?? r.state ?? r.label}`} className={`tl-row tl-row-${r.kind}`} title={r.title}
          data-testid={r.kind === 'lane' ? 'timeline-lane' : undefined} data-kind={r.kind} data-source-id={r.sourceId}
          style={{ top: layout.timeline.top + i * ROW_H, height: ROW_H }}
        >{r.label}</li>
      ))}
    </ul>
  );
}

export function PanelLegends({ panels, layout }: { panels: ChartPanel[]; layout: ChartLayout }) {
  const cursor = useCursor();
  return (
    <>
      {panels.map((p, k) => {
        const box = layout.panels[k]!;
        return (
          <div
            key={p.id} className="tl-panel-legend" data-testid="timeline-panel" data-panel={p.id}
            style={{ top: box.top - 18, height: box.height + 18, width: GUTTER - 10 }}
          >
            <div className="tl-panel-title">{p.title} <span className="muted">{p.units.filter(Boolean).join(' · ')}</span></div>
            <ul>
              {p.lines.map((l) => (
                <li key={l.name} data-series={l.metric.series}>
                  <i style={{ background: l.dashed ? 'transparent' : l.color, borderColor: l.color }} />
                  {l.name}
                  {cursor !== null && <b>{fmtValue(valueAt(l.metric, cursor))}</b>}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

/** Samples further than this from the cursor say nothing about it. */
const NEAR_US = 5 * 60e6;

function valueAt(m: TimelineMetric, ts: number): number {
  let lo = 0;
  let hi = m.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.ts[mid]! <= ts) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && ts - m.ts[i]! <= NEAR_US ? m.value[i]! : NaN;
}

function fmtValue(v: number): string {
  if (v !== v) return '–';
  return Math.abs(v) >= 100 ? String(Math.round(v)) : v.toFixed(1);
}
