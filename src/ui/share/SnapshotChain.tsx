import type { SharedChain, SharedState } from '../../core/share/state';
import { displayName, displayText } from '../../core/display-text';
import { formatSpanUs, formatTs } from '../format';

/** A shared chain, read-only: what the snapshot page and the share preview show. */
export function SnapshotChain({ chain }: { chain: SharedChain }) {
  return (
    <section className="chain" data-testid="snapshot-chain" data-pattern={chain.patternId}>
      <div className="chain-title">
        <strong>{displayText(chain.title)}</strong>
        <span className="confidence"><meter min={0} max={1} value={chain.confidence} /> {Math.round(chain.confidence * 100)} %</span>
      </div>
      <div className="muted">{formatTs(chain.from)} → {formatTs(chain.to)} ({formatSpanUs(chain.to - chain.from)})</div>
      <ol className="chain-steps">
        {chain.steps.map((s, i) => (
          <li key={i} className={`step ${s.role}${s.evidenceCount === 0 ? ' missing' : ''}`}>
            <div className="step-button" role="group">
              <span className="role">{s.role}</span>
              <span className="step-title">{s.title}</span>
              <span className="evidence-count">{s.evidenceCount || 'missing'}</span>
            </div>
            <div className="explanation">{s.evidenceCount ? s.explanation : (s.missing ?? 'No evidence')}</div>
            {s.excerpts && s.excerpts.length > 0 && (
              <pre className="excerpts" tabIndex={0}>{s.excerpts.map((e) => `${displayName(e.path)}:${e.line + 1}  ${displayText(e.text)}`).join('\n')}</pre>
            )}
          </li>
        ))}
      </ol>
      <div className="remedy">
        <h4>Remedy</h4>
        <p>{chain.remedy.text}</p>
        {chain.remedy.snippets.map((sn, i) => (
          <figure key={i}><figcaption>{sn.title}</figcaption><pre tabIndex={0}><code>{sn.code}</code></pre></figure>
        ))}
        {chain.remedy.references.length > 0 && <ul className="references">{chain.remedy.references.map((r, i) => <li key={i}>{r}</li>)}</ul>}
      </div>
    </section>
  );
}

export function SnapshotNotes({ state }: { state: SharedState }) {
  if (!state.notes.length) return null;
  return (
    <section className="snapshot-notes" data-testid="snapshot-notes">
      <h3>Notes</h3>
      <ul>
        {state.notes.map((n) => (
          <li key={n.id}>
            <span className="note-text">{n.text}</span>{' '}
            <span className="muted">{describeTarget(n.target)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function describeTarget(t: SharedState['notes'][number]['target']): string {
  switch (t.kind) {
    case 'range': return `on ${formatTs(t.from)} → ${formatTs(t.to)}`;
    case 'line': return `on a ${t.lane.origin} line of ${displayName(t.lane.path)} at ${formatTs(t.ts)}`;
    case 'goroutine': return `on goroutine ${t.goroutine} of ${displayText(t.process)} (${displayName(t.path)})`;
    case 'step': return `on step ${t.step + 1} of ${t.patternId}`;
  }
}
