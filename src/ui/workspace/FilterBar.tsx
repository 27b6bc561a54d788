import './log/filter-bar.css';
import { displayName, displayText } from '../../core/display-text';
import { useEffect, useRef, useState } from 'react';
import { levelNames } from '../../core/model';
import { useBundleDetail } from '../hooks/use-bundles';
import { useSearch } from '../hooks/use-search';
import { formatTs } from '../format';
import { useMatchJump } from './keys';
import { useViewState, type ViewFilters } from './view-state';

/** Typing settles this long before the search runs (the URL entry is replaced meanwhile). */
const TYPING_MS = 300;

const levelChoices = [0, 2, 3, 4, 5].map((l) => ({ value: l, label: l === 0 ? 'All levels' : `${levelNames[l]} and above` }));

function formatSpan(us: number): string {
  const s = us / 1e6;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Search (text or regex, case), sources, minimum level and the time window, all kept in the URL. */
export function FilterBar({ bundleId }: { bundleId: string }) {
  const [view, update] = useViewState();
  const { filters } = view;
  const sources = useBundleDetail(bundleId).data?.sources ?? [];
  const search = useSearch(bundleId, filters);
  const jump = useMatchJump(bundleId);
  const [text, setText] = useState(filters.text);
  const [urlText, setUrlText] = useState(filters.text);
  // Back/forward or a reload changed the text in the URL: show it.
  if (urlText !== filters.text) {
    setUrlText(filters.text);
    setText(filters.text);
  }
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const setFilters = (patch: Partial<ViewFilters>, push = true) => update({ filters: { ...filters, ...patch } }, { push });
  const onType = (v: string) => {
    setText(v);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setFilters({ text: v }, false), TYPING_MS);
  };
  const commit = () => {
    if (timer.current) clearTimeout(timer.current);
    if (text !== filters.text) setFilters({ text });
  };

  const picked = new Set(filters.sources);
  const toggleSource = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setFilters({ sources: sources.filter((s) => next.has(s.id)).map((s) => s.id) });
  };
  const shown = sources.filter((s) => s.lines > 0);

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="fb-search">
        <input
          type="search" data-testid="search-input" aria-label="Search lines" placeholder="Search lines   /"
          value={text} spellCheck={false} className={search.data?.error ? 'invalid' : ''}
          onChange={(e) => onType(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { commit(); if (text === filters.text) jump(e.shiftKey ? 'before' : 'after'); } }}
          onBlur={commit}
        />
        <button type="button" className="fb-toggle" aria-pressed={filters.regex} title="Regular expression" onClick={() => setFilters({ regex: !filters.regex })}>.*</button>
        <button type="button" className="fb-toggle" aria-pressed={!!filters.caseSensitive} title="Match case" onClick={() => setFilters({ caseSensitive: !filters.caseSensitive })}>Aa</button>
      </div>
      <SearchStatus bundleId={bundleId} filters={filters} onJump={jump} />
      <details className="fb-sources">
        <summary>{filters.sources.length ? `${filters.sources.length} of ${shown.length} sources` : 'All sources'}</summary>
        <div className="fb-source-list" role="group" aria-label="Sources shown">
          {filters.sources.length > 0 && <button type="button" className="link" onClick={() => setFilters({ sources: [] })}>Show all</button>}
          {shown.map((s) => (
            <label key={s.id} title={s.path}>
              <input type="checkbox" checked={picked.has(s.id)} onChange={() => toggleSource(s.id)} />
              {displayText(s.origin)} <span className="muted">{displayName(s.path.split('/').pop() ?? s.path, 80)}</span>
            </label>
          ))}
        </div>
      </details>
      <select aria-label="Minimum level" value={filters.minLevel} onChange={(e) => setFilters({ minLevel: Number(e.currentTarget.value) })}>
        {levelChoices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
      </select>
      {view.window ? (
        <span className="fb-window" data-testid="time-window">
          {formatTs(view.window.from)} – {formatTs(view.window.to).slice(11)} UTC ({formatSpan(view.window.to - view.window.from)})
          <button type="button" aria-label="Clear the time window" title="Show the whole bundle" onClick={() => update({ window: null }, { push: true })}>×</button>
        </span>
      ) : (
        <span className="fb-window muted" data-testid="time-window">Whole bundle</span>
      )}
    </div>
  );
}

function SearchStatus({ bundleId, filters, onJump }: { bundleId: string; filters: ViewFilters; onJump: (dir: 'after' | 'before') => void }) {
  const { data, isFetching } = useSearch(bundleId, filters);
  if (!filters.text) return <span className="fb-count muted">n / N: next / previous match</span>;
  if (data?.error) return <span className="fb-count fb-error" role="alert" data-testid="search-error">{data.error}</span>;
  if (!data) return <span className="fb-count muted" data-testid="search-count">searching…</span>;
  return (
    <span className="fb-count" data-testid="search-count" data-total={data.total} data-elapsed-ms={Math.round(data.elapsedMs)} data-busy={isFetching ? '1' : '0'}>
      {data.total.toLocaleString('en-US')} {data.total === 1 ? 'match' : 'matches'} in {(data.elapsedMs / 1000).toFixed(data.elapsedMs < 100 ? 2 : 1)} s
      {isFetching && <span className="muted"> · searching…</span>}
      <button type="button" title="Previous match (N)" aria-label="Previous match" disabled={!data.total} onClick={() => onJump('before')}>↑</button>
      <button type="button" title="Next match (n)" aria-label="Next match" disabled={!data.total} onClick={() => onJump('after')}>↓</button>
    </span>
  );
}
