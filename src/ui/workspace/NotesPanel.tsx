import { useState } from 'react';
import type { LocalNoteTarget } from '../../store/db';
import { useAddNote, useDeleteNote, useNotes } from '../hooks/use-notes';
import { formatTs } from '../format';
import { useViewState, type Selection } from './view-state';

function targetFor(sel: Selection | null, window: { from: number; to: number } | null): { target: LocalNoteTarget; label: string } | null {
  if (sel?.kind === 'line') return { target: sel, label: `the selected line (${formatTs(sel.ts)})` };
  if (sel?.kind === 'goroutine') return { target: sel, label: `goroutine ${sel.goroutine}` };
  if (sel?.kind === 'step') return { target: sel, label: `step ${sel.step + 1} of the chain` };
  if (window) return { target: { kind: 'range', ...window }, label: `the window ${formatTs(window.from)} → ${formatTs(window.to)}` };
  return null;
}

function describe(t: LocalNoteTarget): string {
  switch (t.kind) {
    case 'range': return `${formatTs(t.from)} → ${formatTs(t.to)}`;
    case 'line': return `line at ${formatTs(t.ts)}`;
    case 'goroutine': return `goroutine ${t.goroutine}`;
    case 'step': return `chain step ${t.step + 1}`;
  }
}

/** Notes and bookmarks on the bundle: attached to the selection (line, goroutine, chain step) or the window. */
export function NotesPanel({ bundleId }: { bundleId: string }) {
  const [view, setView] = useViewState();
  const { data: notes = [] } = useNotes(bundleId);
  const add = useAddNote();
  const del = useDeleteNote();
  const [text, setText] = useState('');
  const target = targetFor(view.selection, view.window);
  const go = (t: LocalNoteTarget) => {
    if (t.kind === 'range') setView({ window: { from: t.from, to: t.to } }, { push: true });
    else setView({ selection: t }, { push: true });
  };
  return (
    <section className="notes-panel" data-testid="notes-panel">
      <h3>Notes ({notes.length})</h3>
      <ul className="notes">
        {notes.map((n) => (
          <li key={n.id}>
            <button className="link" onClick={() => go(n.target)} title="Go there">{describe(n.target)}</button>
            <div className="note-text">{n.text}</div>
            <button className="link note-delete" aria-label={`Delete note ${n.text.slice(0, 30)}`} onClick={() => del.mutate({ bundleId, id: n.id })}>delete</button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (!target || !text.trim()) return;
        add.mutate({ bundleId, target: target.target, text: text.trim() });
        setText('');
      }}>
        <textarea aria-label="New note" rows={2} value={text} placeholder={target ? 'Write a note…' : 'Select a line, goroutine, chain step or time window to annotate it'}
          onChange={(e) => setText(e.currentTarget.value)} disabled={!target} />
        <div className="row">
          <span className="muted">{target ? `on ${target.label}` : ''}</span>
          <button type="submit" disabled={!target || !text.trim()}>Add note</button>
        </div>
      </form>
    </section>
  );
}
