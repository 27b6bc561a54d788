import { cancelIngest, type IngestState } from '../ingest-service';
import { displayName, displayText } from '../../core/display-text';
import { formatBytes, formatDuration } from '../format';

export function IngestPanel({ state }: { state: IngestState }) {
  const p = state.progress;
  const outcome = state.lastOutcome;
  if (!p && !outcome) return null;
  if (state.running && p) {
    const elapsed = p.elapsedMs / 1000;
    const rate = elapsed > 0 ? p.doneBytes / elapsed : 0;
    const left = rate > 0 ? Math.max(0, p.totalBytes - p.doneBytes) / rate : NaN;
    const pct = p.totalBytes > 0 ? Math.min(100, (100 * p.doneBytes) / p.totalBytes) : 0;
    return (
      <section className="ingest-panel" aria-live="polite" data-testid="ingest-progress">
        <div className="ingest-line">
          <strong>{p.phase === 'checking' ? 'Checking for a stored copy…' : p.phase === 'finishing' ? 'Aligning time…' : 'Ingesting'}</strong>
          <span>files {p.doneInputs}/{p.totalInputs}</span>
          <span>{formatBytes(p.doneBytes)} / {formatBytes(p.totalBytes)}</span>
          <span>{(rate / 1e6).toFixed(1)} MB/s</span>
          <span>{Number.isFinite(left) ? `${formatDuration(left)} left` : '…'}</span>
          <button type="button" onClick={cancelIngest}>Cancel</button>
        </div>
        <progress max={100} value={pct} aria-label="Ingest progress" />
        {p.current && <div className="ingest-current" title={p.current}>{displayName(p.current)}</div>}
      </section>
    );
  }
  if (!outcome) return null;
  return (
    <section className="ingest-panel done" data-testid="ingest-outcome" aria-live="polite">
      {outcome.duplicateOf
        ? <span>This bundle is already stored (same SHA-256 fingerprint): opened the stored copy.</span>
        : <span>Bundle {outcome.status === 'ready' ? 'ready' : 'incomplete'}.</span>}
      {outcome.problems.length > 0 && (
        <ul className="problems">{outcome.problems.map((m, i) => <li key={i}>{displayText(m)}</li>)}</ul>
      )}
    </section>
  );
}
