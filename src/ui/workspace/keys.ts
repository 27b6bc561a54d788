import { useCallback, useEffect, useRef } from 'react';
import { compareLines, type SearchMatch } from '../../core/search';
import { timeKey, type LogKey } from '../../store/log-queries';
import { useLogFilter, useLogStepper, type LogFilter } from '../hooks/use-log-lines';
import { useSearch } from '../hooks/use-search';
import { useTimelineData } from '../hooks/use-timeline';
import { zoomedWindow } from './zoom';
import { useCursor, useViewState, type ViewState } from './view-state';

/** Where "next" starts: the selected line, else the crosshair, else the window's edge. */
function reference(view: ViewState, cursor: number | null, filter: LogFilter, dir: 'after' | 'before'): LogKey {
  const sel = view.selection;
  if (sel?.kind === 'line') return { ts: sel.ts, sourceId: sel.sourceId, offset: sel.offset };
  if (cursor !== null) return timeKey(cursor);
  return dir === 'after' ? timeKey(filter.from) : { ts: filter.to, sourceId: '\uffff', offset: Infinity };
}

/** The next (or previous) search match shown by the log view, wrapping around; null if none. */
function nextMatch(matches: SearchMatch[], filter: LogFilter, ref: LogKey, dir: 'after' | 'before'): SearchMatch | null {
  const shown = matches.filter((m) => m.ts >= filter.from && m.ts <= filter.to);
  if (!shown.length) return null;
  let lo = 0;
  let hi = shown.length;
  // First match ordered after the reference (for 'before': first not ordered before it).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareLines(shown[mid]!, ref);
    if (dir === 'after' ? c <= 0 : c < 0) lo = mid + 1;
    else hi = mid;
  }
  if (dir === 'after') return shown[lo] ?? shown[0]!;
  return shown[lo - 1] ?? shown[shown.length - 1]!;
}

/** n / N: select the next or previous match (a history entry, so back returns to the previous one). */
export function useMatchJump(bundleId: string): (dir: 'after' | 'before') => void {
  const [view, update] = useViewState();
  const filter = useLogFilter(view);
  const search = useSearch(bundleId, view.filters);
  const cursor = useCursor();
  return useCallback((dir) => {
    const m = search.data && nextMatch(search.data.matches, filter, reference(view, cursor, filter, dir), dir);
    if (m) update({ selection: { kind: 'line', sourceId: m.sourceId, offset: m.offset, ts: m.ts } }, { push: true });
  }, [search.data, filter, view, cursor, update]);
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // The log view's editor is read-only: its hidden textarea does not count as typing.
  if (target.closest('.monaco-editor')) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Workspace keyboard: `/` search, j/k events, [/] errors, n/N matches, +/- zoom, h/l pan, 0 whole bundle, Esc clears the selection. */
export function useWorkspaceKeys(bundleId: string): void {
  const [view, update] = useViewState();
  const filter = useLogFilter(view);
  const cursor = useCursor();
  const step = useLogStepper(bundleId);
  const jump = useMatchJump(bundleId);
  // "Zoomed out" is the timeline's own extent (the same query: computed once).
  const extent = useTimelineData(bundleId).data?.timeline?.extent ?? null;
  const latest = useRef({ view, filter, cursor, step, jump, update, extent });
  useEffect(() => { latest.current = { view, filter, cursor, step, jump, update, extent }; });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const { view, filter, cursor, step, jump, update, extent } = latest.current;
      if (e.key === 'Escape') {
        if (e.target instanceof HTMLElement && typingIn(e.target)) e.target.blur();
        if (view.selection) update({ selection: null }, { push: true });
        return;
      }
      if (typingIn(e.target)) return;
      const go = (dir: 'after' | 'before', kind: 'record' | 'error') => {
        void step(filter, reference(view, cursor, filter, dir), dir, kind).then((l) => {
          if (l) update({ selection: { kind: 'line', sourceId: l.sourceId, offset: l.offset, ts: l.ts } }, { push: true });
        });
      };
      switch (e.key) {
        case '/': document.querySelector<HTMLInputElement>('[data-testid="search-input"]')?.focus(); break;
        case 'n': jump('after'); break;
        case 'N': jump('before'); break;
        case 'j': go('after', 'record'); break;
        case 'k': go('before', 'record'); break;
        case ']': go('after', 'error'); break;
        case '[': go('before', 'error'); break;
        case '+': case '=': case '-': case '0': case 'h': case 'l': {
          const focus = cursor ?? (view.selection?.kind === 'line' ? view.selection.ts : null);
          const next = extent ? zoomedWindow(e.key, view.window, extent, focus) : undefined;
          if (next === undefined) return;
          update({ window: next }, { push: true });
          break;
        }
        default: return;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [bundleId]);
}
