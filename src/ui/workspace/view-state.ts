// The workspace's view lives in the URL fragment, so reload and back/forward restore it:
//   #/bundle/<id>?from=<µs>&to=<µs>&q=<text>&re=1&src=<id,id>&lvl=<n>&sel=<selection>&tab=<tab>
// The cursor (crosshair) moves too often for history: it is a small in-memory store instead.

import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { Evidence } from '../../core/analysis/types';
import { subscribeToFragment } from '../hooks/use-hash-route';

export type WorkspaceTab = 'logs' | 'goroutines' | 'chain' | 'files';

export type Selection =
  | { kind: 'line'; sourceId: string; offset: number; ts: number }
  | { kind: 'step'; patternId: string; step: number }
  | { kind: 'goroutine'; dumpId: string; goroutine: number }
  | { kind: 'finding'; id: string };

export interface ViewFilters {
  text: string;
  regex: boolean;
  /** Match case (default: ignore case). */
  caseSensitive?: boolean;
  /** Source ids to show; empty = all. */
  sources: string[];
  /** Lowest level shown (core Level values); 0 = all. */
  minLevel: number;
}

export interface ViewState {
  bundleId: string | null;
  /** The visible / selected time window (µs UTC); null = the whole bundle. */
  window: { from: number; to: number } | null;
  filters: ViewFilters;
  selection: Selection | null;
  tab: WorkspaceTab;
}

export const emptyFilters: ViewFilters = { text: '', regex: false, sources: [], minLevel: 0 };

export function parseHash(hash: string): ViewState {
  const m = /^#\/bundle\/([\w-]+)(?:\?(.*))?$/.exec(hash);
  const state: ViewState = { bundleId: null, window: null, filters: { ...emptyFilters }, selection: null, tab: 'logs' };
  if (!m) return state;
  state.bundleId = m[1]!;
  const p = new URLSearchParams(m[2] ?? '');
  const from = Number(p.get('from'));
  const to = Number(p.get('to'));
  if (p.has('from') && p.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from) state.window = { from, to };
  state.filters.text = p.get('q') ?? '';
  state.filters.regex = p.get('re') === '1';
  if (p.get('cs') === '1') state.filters.caseSensitive = true;
  state.filters.sources = (p.get('src') ?? '').split(',').filter(Boolean);
  state.filters.minLevel = Math.max(0, Math.min(6, Number(p.get('lvl') ?? 0) || 0));
  state.selection = parseSelection(p.get('sel'));
  const tab = p.get('tab');
  if (tab === 'logs' || tab === 'goroutines' || tab === 'chain' || tab === 'files') state.tab = tab;
  return state;
}

function parseSelection(s: string | null): Selection | null {
  if (!s) return null;
  const [kind, ...rest] = s.split('~');
  if (kind === 'line' && rest.length === 3) {
    const offset = Number(rest[1]);
    const ts = Number(rest[2]);
    if (Number.isFinite(offset) && Number.isFinite(ts)) return { kind, sourceId: rest[0]!, offset, ts };
  }
  if (kind === 'step' && rest.length === 2 && Number.isInteger(Number(rest[1]))) return { kind, patternId: rest[0]!, step: Number(rest[1]) };
  if (kind === 'goroutine' && rest.length === 2 && Number.isInteger(Number(rest[1]))) return { kind, dumpId: rest[0]!, goroutine: Number(rest[1]) };
  if (kind === 'finding' && rest.length === 1) return { kind, id: rest[0]! };
  return null;
}

function formatSelection(s: Selection): string {
  switch (s.kind) {
    case 'line': return `line~${s.sourceId}~${s.offset}~${s.ts}`;
    case 'step': return `step~${s.patternId}~${s.step}`;
    case 'goroutine': return `goroutine~${s.dumpId}~${s.goroutine}`;
    case 'finding': return `finding~${s.id}`;
  }
}

export function formatHash(v: ViewState): string {
  if (!v.bundleId) return '#/';
  const p = new URLSearchParams();
  if (v.window) { p.set('from', String(Math.round(v.window.from))); p.set('to', String(Math.round(v.window.to))); }
  if (v.filters.text) p.set('q', v.filters.text);
  if (v.filters.regex) p.set('re', '1');
  if (v.filters.caseSensitive) p.set('cs', '1');
  if (v.filters.sources.length) p.set('src', v.filters.sources.join(','));
  if (v.filters.minLevel) p.set('lvl', String(v.filters.minLevel));
  if (v.selection) p.set('sel', formatSelection(v.selection));
  if (v.tab !== 'logs') p.set('tab', v.tab);
  // `~` and `:` are legal in a fragment: keep them readable (sel=line~f3:kubelet~1234~…).
  const q = p.toString().replace(/%7E/gi, '~').replace(/%3A/gi, ':');
  return `#/bundle/${v.bundleId}${q ? `?${q}` : ''}`;
}

let cachedHash = '';
let cachedState: ViewState = parseHash('');
function snapshot(): ViewState {
  if (location.hash !== cachedHash) {
    cachedHash = location.hash;
    cachedState = parseHash(cachedHash);
  }
  return cachedState;
}

/**
 * The view and its updater. `push` = a new history entry (window, filters, selection: what back
 * should undo); otherwise the current entry is replaced (typing in the search box).
 */
export function useViewState(): [ViewState, (patch: Partial<ViewState>, opts?: { push?: boolean }) => void] {
  const view = useSyncExternalStore(subscribeToFragment, snapshot);
  const update = useCallback((patch: Partial<ViewState>, opts?: { push?: boolean }) => {
    const next = { ...snapshot(), ...patch };
    const hash = formatHash(next);
    if (hash === location.hash) return;
    if (opts?.push) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
    // pushState/replaceState fire no event: tell subscribers ourselves.
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return [view, update];
}

/** The crosshair time shared by the timeline, the charts and the log view (µs UTC, null = none). */
const cursorListeners = new Set<() => void>();
let cursorTs: number | null = null;
export function setCursor(ts: number | null): void {
  if (ts === cursorTs) return;
  cursorTs = ts;
  for (const l of cursorListeners) l();
}
export function useCursor(): number | null {
  return useSyncExternalStore(
    (cb) => { cursorListeners.add(cb); return () => { cursorListeners.delete(cb); }; },
    () => cursorTs,
  );
}

/** Evidence to highlight everywhere (the selected chain step's or finding's); set by the workspace. */
export interface HighlightContext {
  evidence: Evidence[];
  /** A short label for what is highlighted ("Step 2: blocked call"). */
  label: string | null;
  /** The band to draw on the timeline and charts. */
  band: { from: number; to: number } | null;
}
export const HighlightCtx = createContext<HighlightContext>({ evidence: [], label: null, band: null });
export function useHighlight(): HighlightContext {
  return useContext(HighlightCtx);
}
