import './workspace.css';
import { useMemo } from 'react';
import { onDemand } from '../components/on-demand';
import { HighlightCtx, useViewState, type HighlightContext, type WorkspaceTab } from './view-state';
import { FilterBar } from './FilterBar';
import { GoroutineView } from './GoroutineView';
import { ChainPanel } from './ChainPanel';
import { NotesPanel } from './NotesPanel';
import { TrainingSide } from '../training/TrainingSide';
import { useHighlightFor } from './highlight';
import { useWorkspaceKeys } from './keys';
import { useAfterTimelinePaint } from '../hooks/use-after-timeline-paint';

// ECharts and Monaco are big: they load when the workspace first shows them, never with the entry chunk.
const TimelinePanel = onDemand(() => import('./TimelinePanel').then((m) => m.default), <div className="ws-loading">Loading timeline…</div>);
const logViewLoading = <div className="ws-loading">Loading log view…</div>;
const LogView = onDemand(() => import('./LogView').then((m) => m.default), logViewLoading);

const tabs: { id: WorkspaceTab; label: string }[] = [
  { id: 'logs', label: 'Logs' },
  { id: 'goroutines', label: 'Goroutines' },
  { id: 'files', label: 'Files' },
];

/** The investigation screen: filters, timeline and charts, then logs / goroutines / files; the chain on the right. */
export function Workspace({ bundleId, files }: { bundleId: string; files: React.ReactNode }) {
  const [view, setView] = useViewState();
  const highlight = useHighlightFor(bundleId, view.selection);
  const ctx = useMemo<HighlightContext>(() => highlight, [highlight]);
  useWorkspaceKeys(bundleId);
  const tab = view.tab === 'chain' ? 'logs' : view.tab;
  // The editor (Monaco) loads once the timeline has its first frame: both would fight for the thread.
  const logViewMay = useAfterTimelinePaint();
  return (
    <HighlightCtx.Provider value={ctx}>
      <div className="workspace" data-testid="workspace" data-highlight-count={highlight.evidence.length}>
        <div className="ws-main">
          <FilterBar bundleId={bundleId} />
          <TimelinePanel bundleId={bundleId} />
          <div className="ws-tabs" role="tablist">
            {tabs.map((t) => (
              <button
                key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''}
                onClick={() => setView({ tab: t.id }, { push: true })}
              >{t.label}</button>
            ))}
          </div>
          <div className="ws-tab-body">
            {tab === 'logs' && (logViewMay ? <LogView bundleId={bundleId} /> : logViewLoading)}
            {tab === 'goroutines' && <GoroutineView bundleId={bundleId} />}
            {tab === 'files' && files}
          </div>
        </div>
        <aside className="ws-side">
          {/* Exercise mode swaps in the pin panel until the trainee submits. */}
          <TrainingSide bundleId={bundleId}>
            <ChainPanel bundleId={bundleId} />
            <NotesPanel bundleId={bundleId} />
          </TrainingSide>
        </aside>
      </div>
    </HighlightCtx.Provider>
  );
}
