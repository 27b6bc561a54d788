import './log/log-view.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { compileQuery } from '../../core/search';
import { timeKey } from '../../store/log-queries';
import { useBundleDetail } from '../hooks/use-bundles';
import { useLogFilter, useLogPage, type LogFilter, type PageRequest } from '../hooks/use-log-lines';
import { useSearch } from '../hooks/use-search';
import { LogEditor, type EditorHandle, type EditorPage } from './log/LogEditor';
import { formatTs } from '../format';
import { lineKey } from './log/log-format';
import { PALETTE_SIZE, SourceLegend } from './log/SourceLegend';
import { setCursor, useHighlight, useViewState, type Selection } from './view-state';

type LineSelection = Extract<Selection, { kind: 'line' }>;

/** Lines from a page edge that load the neighbouring page. */
const EDGE = 40;

function startRequest(filter: LogFilter, sel: LineSelection | null): PageRequest {
  const selShown = sel && sel.ts >= filter.from && sel.ts <= filter.to && (!filter.sourceIds.length || filter.sourceIds.includes(sel.sourceId));
  return selShown ? { key: { ts: sel.ts, sourceId: sel.sourceId, offset: sel.offset }, mode: 'around' } : { key: timeKey(filter.from), mode: 'after' };
}

/**
 * The raw lines of the window, merged across sources in time order, a page at a time in a
 * read-only Monaco editor: the page re-centres on the visible line near its edges, and on the
 * selected line when the selection moves out of it.
 */
export default function LogView({ bundleId }: { bundleId: string }) {
  const [view, update] = useViewState();
  const filter = useLogFilter(view);
  const detail = useBundleDetail(bundleId).data;
  const search = useSearch(bundleId, view.filters);
  const { evidence } = useHighlight();
  const sel = view.selection?.kind === 'line' ? view.selection : null;
  const selKey = sel ? lineKey(sel) : null;

  const [req, setReq] = useState<PageRequest>(() => startRequest(filter, sel));
  const [reqFilter, setReqFilter] = useState(filter);
  const pageQ = useLogPage(bundleId, filter, req);
  const page = pageQ.data;
  const lines = useMemo(() => page?.lines ?? [], [page]);
  // A selection made elsewhere (timeline marker, keyboard, URL) asks for its page in this render,
  // not in an effect after the whole workspace has committed: the read starts ~40 ms sooner.
  const [clickedKey, setClickedKey] = useState<string | null>(null);
  const [reqSel, setReqSel] = useState(selKey);
  if (reqFilter !== filter) {
    setReqFilter(filter);
    setReqSel(selKey);
    setReq(startRequest(filter, sel));
  } else if (reqSel !== selKey) {
    setReqSel(selKey);
    // A line clicked in the view is already where the user wants it.
    if (sel && clickedKey !== selKey && !lines.some((l) => lineKey(l) === selKey)) setReq(startRequest(filter, sel));
  }

  const reveal = useRef<string | null>(selKey);
  const restore = useRef<{ key: string; px: number } | null>(null);
  const edgeRequested = useRef(false);
  const [cursorIdx, setCursorIdx] = useState<number | null>(null);

  // A selection made elsewhere: show that exact line once its page is there (requested above).
  useEffect(() => {
    if (!sel || clickedKey === selKey) return;
    reveal.current = lineKey(sel);
    restore.current = null;
    // Only a new selection moves the view; new lines are handled when they arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selKey]);

  // A chain step or finding selected without a line: show its earliest line evidence.
  const firstEvidence = useMemo((): LineSelection | null => {
    let best: LineSelection | null = null;
    for (const e of evidence) {
      if (e.kind === 'line' && e.ts === e.ts && (!best || e.ts < best.ts)) best = { kind: 'line', sourceId: e.sourceId, offset: e.offset, ts: e.ts };
    }
    return best;
  }, [evidence]);

  const sources = useMemo(() => [...(detail?.sources ?? [])].sort((a, b) => a.id.localeCompare(b.id)), [detail]);
  const colorOf = useMemo(() => {
    const slot = new Map(sources.map((s, i) => [s.id, i % PALETTE_SIZE]));
    return (id: string) => slot.get(id) ?? 0;
  }, [sources]);
  const matcher = useMemo(() => {
    if (!view.filters.text) return null;
    const c = compileQuery({ text: view.filters.text, regex: view.filters.regex, caseSensitive: !!view.filters.caseSensitive });
    return 'matcher' in c ? c.matcher : null;
  }, [view.filters.text, view.filters.regex, view.filters.caseSensitive]);
  const evidenceKeys = useMemo(() => new Set(evidence.flatMap((e) => (e.kind === 'line' ? [lineKey(e)] : []))), [evidence]);
  const editorPage = useMemo<EditorPage>(() => ({ lines, colorOf, matcher, evidence: evidenceKeys, selected: selKey }), [lines, colorOf, matcher, evidenceKeys, selKey]);

  const lastLines = useRef(lines);
  const cursorKey = useRef<string | null>(null);
  const handle = useRef<EditorHandle | null>(null);
  const onPage = useCallback((h: EditorHandle) => {
    handle.current = h;
    const find = (key: string) => lines.findIndex((l) => lineKey(l) === key);
    const fresh = lastLines.current !== lines;
    if (fresh) {
      lastLines.current = lines;
      edgeRequested.current = false;
      // The cursor stays on its line across pages (or leaves the status bar when that line is gone).
      const i = cursorKey.current ? find(cursorKey.current) : -1;
      if (i >= 0) h.place(i);
      setCursorIdx(i >= 0 ? i : null);
    }
    if (reveal.current) {
      const i = find(reveal.current);
      if (i >= 0) {
        cursorKey.current = reveal.current;
        h.reveal(i);
        setCursorIdx(i);
        reveal.current = null;
        restore.current = null;
        return;
      }
    }
    // A page loaded at an edge keeps the line the user was looking at in place; only once.
    if (fresh && restore.current) {
      const i = find(restore.current.key);
      if (i >= 0) h.scrollTo(i, restore.current.px);
      restore.current = null;
    }
  }, [lines]);

  const onScroll = useCallback((h: EditorHandle) => {
    if (!page || edgeRequested.current || pageQ.isFetching || !lines.length) return;
    const [first, last] = h.visible();
    const atTop = first < EDGE && page.firstRank > 0;
    const atBottom = last > lines.length - EDGE && page.firstRank + lines.length < page.total;
    if (!atTop && !atBottom) return;
    const i = atTop ? first : last;
    const line = lines[i]!;
    edgeRequested.current = true;
    restore.current = { key: lineKey(line), px: h.offsetOf(i) };
    setReq({ key: { ts: line.ts, sourceId: line.sourceId, offset: line.offset }, mode: 'around' });
  }, [page, pageQ.isFetching, lines]);

  const onCursor = useCallback((i: number) => {
    setCursorIdx(i);
    const l = lines[i];
    cursorKey.current = l ? lineKey(l) : null;
    if (l) setCursor(l.ts);
  }, [lines]);

  const evidenceKey = firstEvidence ? lineKey(firstEvidence) : null;
  useEffect(() => {
    if (sel || !firstEvidence) return;
    const key = lineKey(firstEvidence);
    restore.current = null;
    const i = lines.findIndex((l) => lineKey(l) === key);
    // On this page already: the editor will not report a new page, so reveal it now.
    if (i >= 0 && handle.current) {
      cursorKey.current = key;
      handle.current.reveal(i);
      setCursorIdx(i);
      return;
    }
    reveal.current = key;
    setReq(startRequest(filter, firstEvidence));
    // Only new evidence moves the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [evidenceKey]);

  const onClickLine = useCallback((i: number) => {
    const l = lines[i];
    if (!l) return;
    setClickedKey(lineKey(l));
    update({ selection: { kind: 'line', sourceId: l.sourceId, offset: l.offset, ts: l.ts } }, { push: true });
  }, [lines, update]);

  const selectedLine = selKey ? lines.find((l) => lineKey(l) === selKey) : undefined;
  // The status bar follows the cursor, else the selected line.
  const current = (cursorIdx !== null ? lines[cursorIdx] : undefined) ?? selectedLine;
  const currentIdx = current ? lines.indexOf(current) : -1;
  const currentSource = current ? sources.find((s) => s.id === current.sourceId) : undefined;
  // A source with no stamped line (a journal's `-- Logs begin` header alone) has nothing in a time-ordered view.
  const shownSources = filter.sourceIds.length ? sources.filter((s) => filter.sourceIds.includes(s.id)) : sources.filter((s) => s.lines > 0 && s.firstTs === s.firstTs);
  const empty = page && !lines.length && !pageQ.isFetching;

  return (
    <div
      className="log-view" data-testid="log-view"
      data-first-ts={lines[0]?.ts ?? ''} data-total={page?.total ?? ''} data-loading={pageQ.isFetching ? '1' : '0'}
      data-cursor-text={current?.text ?? ''} data-selected-text={selectedLine?.text ?? ''}
    >
      <SourceLegend sources={shownSources} colorOf={colorOf} />
      <div className="lv-body">
        <LogEditor page={editorPage} onPage={onPage} onScroll={onScroll} onCursor={onCursor} onClickLine={onClickLine} />
        {empty && <div className="lv-empty">No lines in this window with these filters.</div>}
        {pageQ.isError && <div className="lv-empty" role="alert">Could not read the lines: {String(pageQ.error)}</div>}
      </div>
      <div className="lv-status" data-testid="log-status">
        {current && page ? (
          <span>
            Line {(page.firstRank + currentIdx + 1).toLocaleString('en-US')} of {page.total.toLocaleString('en-US')}
            {' · '}{currentSource?.origin ?? current.sourceId}{' · '}{formatTs(current.ts)} UTC
          </span>
        ) : (
          <span>{page ? `${page.total.toLocaleString('en-US')} lines` : 'Loading lines…'}</span>
        )}
        {search.data && !search.data.error && <span className="lv-status-matches">{search.data.total.toLocaleString('en-US')} matches</span>}
        {pageQ.isFetching && <span className="muted">loading…</span>}
      </div>
    </div>
  );
}
