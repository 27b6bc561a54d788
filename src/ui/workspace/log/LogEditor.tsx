import { useEffect, useRef } from 'react';
import { matchRanges, type Matcher } from '../../../core/search';
import type { LogLine } from '../../hooks/use-log-lines';
import { monaco } from './monaco';
import { lineKey, timeOfDay } from './log-format';

export interface EditorPage {
  lines: LogLine[];
  /** Palette slot per source id. */
  colorOf: (sourceId: string) => number;
  matcher: Matcher | null;
  evidence: Set<string>;
  selected: string | null;
}

export interface EditorHandle {
  /** Index in the page of the first and last visible lines. */
  visible(): [number, number];
  /** Pixels from the viewport top to a line (for keeping it in place across a page change). */
  offsetOf(index: number): number;
  scrollTo(index: number, offsetPx: number): void;
  reveal(index: number): void;
  /** Puts the cursor on a line without scrolling. */
  place(index: number): void;
}

interface Props {
  page: EditorPage;
  /** Runs after the page's text is in the editor (restore a scroll position, reveal a line). */
  onPage: (h: EditorHandle) => void;
  onScroll: (h: EditorHandle) => void;
  onCursor: (index: number) => void;
  onClickLine: (index: number) => void;
}

// Control characters would be drawn by Monaco as text anyway; line breaks inside a record would
// split the model's lines and break the line ↔ index mapping, so they are shown as symbols.
function display(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085]/g, '\u240d');
}

const levelClass = ['', 'lv-trace', 'lv-debug', '', 'lv-warn', 'lv-error', 'lv-error'];

/** The read-only Monaco editor of one page of lines, with its gutter, colours and marks. */
export function LogEditor({ page, onPage, onScroll, onCursor, onClickLine }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const marks = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const linesRef = useRef<LogLine[]>([]);
  const callbacks = useRef({ onPage, onScroll, onCursor, onClickLine });
  useEffect(() => { callbacks.current = { onPage, onScroll, onCursor, onClickLine }; });

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value: '', language: 'plaintext', theme: 'causeway', readOnly: true, domReadOnly: true,
      // Tab moves focus on through the page (a read-only view must not trap the keyboard).
      tabFocusMode: true,
      automaticLayout: true, minimap: { enabled: false }, wordWrap: 'off', folding: false, glyphMargin: false,
      lineNumbers: (n) => {
        const l = linesRef.current[n - 1];
        return l && !l.continuation ? timeOfDay(l.ts) : '';
      },
      lineNumbersMinChars: 12, lineDecorationsWidth: 8, renderLineHighlight: 'all', scrollBeyondLastLine: false,
      fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace', fontSize: 12, lineHeight: 18,
      contextmenu: false, links: false, occurrencesHighlight: 'off', selectionHighlight: false, hover: { enabled: 'off' },
      renderControlCharacters: true, renderWhitespace: 'none', stickyScroll: { enabled: false }, guides: { indentation: false },
      unusualLineTerminators: 'off', overviewRulerLanes: 3, scrollbar: { verticalScrollbarSize: 12 }, matchBrackets: 'never',
      quickSuggestions: false, codeLens: false, dragAndDrop: false, mouseWheelZoom: false,
    });
    editorRef.current = editor;
    // Bracket pairs mean nothing in logs, and colouring them parses the whole page (~50 ms for 3,000
    // lines) before the first frame; it is a model option, the editor's own does not reach it.
    editor.getModel()!.updateOptions({ bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } });
    decorations.current = editor.createDecorationsCollection();
    marks.current = editor.createDecorationsCollection();
    const handle = handleOf(editor);
    const subs = [
      editor.onDidScrollChange((e) => { if (e.scrollTopChanged) callbacks.current.onScroll(handle); }),
      // A new page's text moves the cursor to whatever line now has its number: not a user move.
      editor.onDidChangeCursorPosition((e) => {
        if (e.reason !== monaco.editor.CursorChangeReason.ContentFlush) callbacks.current.onCursor(e.position.lineNumber - 1);
      }),
      editor.onMouseDown((e) => {
        const n = e.target.position?.lineNumber;
        if (n) callbacks.current.onClickLine(n - 1);
      }),
    ];
    return () => {
      for (const s of subs) s.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  // A page's own decorations (levels, sources, matches: thousands) are set when its lines or the
  // search change; the selection and evidence marks, a handful, on their own.
  const { lines, colorOf, matcher, evidence, selected } = page;
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    if (linesRef.current !== lines) {
      linesRef.current = lines;
      // A new value redraws every line, the gutter's times included.
      editor.setValue(lines.map((l) => display(l.text)).join('\n'));
    }
    decorations.current!.set(decorate(lines, colorOf, matcher));
  }, [lines, colorOf, matcher]);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    marks.current!.set(decorateMarks(lines, evidence, selected));
    callbacks.current.onPage(handleOf(editor));
  }, [page, lines, evidence, selected]);

  return <div ref={host} className="lv-editor" />;
}

function handleOf(editor: monaco.editor.IStandaloneCodeEditor): EditorHandle {
  return {
    visible() {
      const r = editor.getVisibleRanges();
      if (!r.length) return [0, 0];
      return [r[0]!.startLineNumber - 1, r[r.length - 1]!.endLineNumber - 1];
    },
    offsetOf(index) {
      return editor.getTopForLineNumber(index + 1) - editor.getScrollTop();
    },
    scrollTo(index, offsetPx) {
      editor.setScrollTop(editor.getTopForLineNumber(index + 1) - offsetPx, monaco.editor.ScrollType.Immediate);
    },
    place(index) {
      editor.setPosition({ lineNumber: index + 1, column: 1 });
    },
    reveal(index) {
      editor.revealLineInCenter(index + 1, monaco.editor.ScrollType.Immediate);
      editor.setPosition({ lineNumber: index + 1, column: 1 });
    },
  };
}

function decorate(lines: LogLine[], colorOf: (sourceId: string) => number, matcher: Matcher | null): monaco.editor.IModelDeltaDecoration[] {
  const out: monaco.editor.IModelDeltaDecoration[] = [];
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#2457c5';
  lines.forEach((l, i) => {
    const n = i + 1;
    const classes = [levelClass[l.level] ?? ''];
    if (l.continuation) classes.push('lv-cont');
    out.push({
      range: new monaco.Range(n, 1, n, 1),
      options: {
        isWholeLine: true,
        className: classes.filter(Boolean).join(' ') || null,
        linesDecorationsClassName: `lv-src lv-src-${colorOf(l.sourceId)}`,
        overviewRuler: l.level >= 5 && !l.continuation ? { color: '#d33a2c', position: monaco.editor.OverviewRulerLane.Right } : null,
      },
    });
    if (matcher) {
      const ranges = matchRanges(display(l.text), matcher);
      for (const [a, b] of ranges) {
        out.push({ range: new monaco.Range(n, a + 1, n, b + 1), options: { inlineClassName: 'lv-match', overviewRuler: { color: accent, position: monaco.editor.OverviewRulerLane.Center } } });
      }
    }
  });
  return out;
}

/** Evidence and the selected line, drawn over the line's level colour. */
function decorateMarks(lines: LogLine[], evidence: Set<string>, selected: string | null): monaco.editor.IModelDeltaDecoration[] {
  const out: monaco.editor.IModelDeltaDecoration[] = [];
  if (!evidence.size && !selected) return out;
  lines.forEach((l, i) => {
    const key = lineKey(l);
    const isEvidence = evidence.has(key);
    if (!isEvidence && key !== selected) return;
    out.push({
      range: new monaco.Range(i + 1, 1, i + 1, 1),
      options: {
        isWholeLine: true,
        className: [isEvidence ? 'lv-evidence' : '', key === selected ? 'lv-selected' : ''].filter(Boolean).join(' '),
        overviewRuler: isEvidence ? { color: '#e0a800', position: monaco.editor.OverviewRulerLane.Left } : null,
      },
    });
  });
  return out;
}
