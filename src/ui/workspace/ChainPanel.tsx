import { useState } from 'react';
import { onDemand } from '../components/on-demand';
import type { Finding } from '../../core/analysis/types';
import type { Chain } from '../../core/chains/types';
import type { StoredNote } from '../../store/db';
import { useAnalysis } from '../hooks/use-analysis';
import { useNotes } from '../hooks/use-notes';
import { formatSpanUs, formatTs } from '../format';
import { useViewState } from './view-state';
import './chain.css';

// Monaco's JSON language service loads only when someone edits a pattern.
const PatternEditor = onDemand(() => import('../patterns/PatternEditor').then((m) => m.default), <p className="muted">Loading the pattern editor…</p>);

const roleLabel: Record<string, string> = {
  symptom: 'Symptom',
  'blocked-call': 'Blocked call',
  'lock-holder': 'Lock holder',
  resource: 'Resource',
  'root-cause': 'Root cause',
};

/** The causal chain: the best pattern's steps from symptom to root cause, its remedy, and the runners-up. */
export function ChainPanel({ bundleId }: { bundleId: string }) {
  const [editing, setEditing] = useState(false);
  const editor = editing && <PatternEditor bundleId={bundleId} onClose={() => setEditing(false)} />;
  return (
    <>
      <ChainBody bundleId={bundleId} />
      <button className="link patterns-link" onClick={() => setEditing(true)}>Patterns… (write your own)</button>
      {editor}
    </>
  );
}

function ChainBody({ bundleId }: { bundleId: string }) {
  const { data, isPending, error } = useAnalysis(bundleId);
  if (isPending && !error) return <div className="chain-panel" data-testid="chain-panel"><h3>Causal chain</h3><p className="muted">Analysing…</p></div>;
  if (error) return <div className="chain-panel" data-testid="chain-panel"><h3>Causal chain</h3><p role="alert" className="problems">Analysis failed: {String(error)}</p></div>;
  const chains = data?.chains ?? [];
  const findings = data?.findings ?? [];
  const [best, ...others] = chains;
  return (
    <div className="chain-panel" data-testid="chain-panel">
      <h3>Causal chain</h3>
      {best && best.confidence >= 0.5 ? (
        <ChainCard chain={best} bundleId={bundleId} />
      ) : (
        <p className="muted" data-testid="no-chain">
          No known incident pattern matches this bundle{best ? ` (best: ${best.title}, ${pct(best.confidence)})` : ''}.
          The findings below are what the detectors saw.
        </p>
      )}
      {others.length > 0 && (
        <details className="runners-up" data-testid="runners-up">
          <summary>Other patterns considered ({others.length})</summary>
          <ul>
            {others.map((c) => (
              <li key={c.patternId}>
                <strong>{c.title}</strong> <span className="muted">{pct(c.confidence)}</span>
                {c.reasons.length > 0 && <ul className="reasons">{c.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>}
              </li>
            ))}
          </ul>
        </details>
      )}
      <FindingList findings={findings} lead={!(best && best.confidence >= 0.5)} />
    </div>
  );
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function ChainCard({ chain, bundleId }: { chain: Chain; bundleId: string }) {
  const [view, setView] = useViewState();
  const { data: notes = [] } = useNotes(bundleId);
  const sel = view.selection;
  return (
    <section className="chain" data-testid="chain" data-pattern={chain.patternId}>
      <div className="chain-title">
        <strong>{chain.title}</strong>
        <span className="confidence" title="How well the bundle's evidence fits this pattern">
          <meter min={0} max={1} value={chain.confidence} /> {pct(chain.confidence)}
        </span>
      </div>
      <div className="muted">{formatTs(chain.from)} → {formatTs(chain.to)} ({formatSpanUs(chain.to - chain.from)})</div>
      <ol className="chain-steps">
        {chain.steps.map((s, i) => {
          const active = sel?.kind === 'step' && sel.patternId === chain.patternId && sel.step === i;
          const missing = s.findingIds.length === 0 && s.evidence.length === 0;
          return (
            <li key={i} className={`step ${s.role}${active ? ' active' : ''}${missing ? ' missing' : ''}`}>
              <button
                className="step-button" data-testid={`chain-step-${i}`} aria-pressed={active}
                disabled={missing}
                onClick={() => setView({ selection: active ? null : { kind: 'step', patternId: chain.patternId, step: i }, window: active ? view.window : view.window }, { push: true })}
              >
                <span className="role">{roleLabel[s.role] ?? s.role}</span>
                <span className="step-title">{s.title}</span>
                <span className="evidence-count" title="pieces of evidence">{missing ? 'missing' : s.evidence.length}</span>
              </button>
              <div className="explanation">{missing ? (s.missing ?? 'No evidence in this bundle') : s.explanation}</div>
              <StepNotes notes={notes.filter((n) => n.target.kind === 'step' && n.target.patternId === chain.patternId && n.target.step === i)} />
            </li>
          );
        })}
      </ol>
      <div className="remedy" data-testid="remedy">
        <h4>Remedy</h4>
        <p>{chain.remedy.text}</p>
        {chain.remedy.snippets.map((sn, i) => (
          <figure key={i}>
            <figcaption>{sn.title}</figcaption>
            <pre tabIndex={0}><code>{sn.code}</code></pre>
          </figure>
        ))}
        {chain.remedy.references.length > 0 && (
          <ul className="references">{chain.remedy.references.map((r, i) => <li key={i}>{r}</li>)}</ul>
        )}
      </div>
      {chain.reasons.length > 0 && (
        <details className="reasons"><summary>Why this confidence</summary><ul>{chain.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul></details>
      )}
    </section>
  );
}

function StepNotes({ notes }: { notes: StoredNote[] }) {
  if (notes.length === 0) return null;
  return (
    <details className="step-notes" data-testid="step-notes" open>
      <summary>{notes.length} {notes.length === 1 ? 'note' : 'notes'}</summary>
      <ul>{notes.map((n) => <li key={n.id}>{n.text}</li>)}</ul>
    </details>
  );
}

const severityOrder = { error: 0, warn: 1, info: 2 } as const;

/** `lead`: no chain is shown, so the findings are the answer and open whatever their number. */
function FindingList({ findings, lead }: { findings: Finding[]; lead: boolean }) {
  const [view, setView] = useViewState();
  const [showAll, setShowAll] = useState(false);
  const sorted = [...findings].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || b.strength - a.strength || a.from - b.from);
  const shown = showAll ? sorted : sorted.slice(0, 12);
  return (
    <details className="findings" open={findings.length > 0 && (lead || findings.length <= 12)} data-testid="findings">
      <summary>Findings ({findings.length})</summary>
      <ul>
        {shown.map((f) => {
          const active = view.selection?.kind === 'finding' && view.selection.id === f.id;
          return (
            <li key={f.id} className={`finding ${f.severity}${active ? ' active' : ''}`}>
              <button className="link" onClick={() => setView({ selection: active ? null : { kind: 'finding', id: f.id } }, { push: true })}>
                {f.title}
              </button>
              <span className="muted"> {f.detector}/{f.kind} · {formatTs(f.from)} · {f.evidence.length} ev.</span>
            </li>
          );
        })}
      </ul>
      {sorted.length > shown.length && <button className="link" onClick={() => setShowAll(true)}>Show all {sorted.length}</button>}
    </details>
  );
}
