import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { displayText } from '../../core/display-text';
import { randomSeed, trainingScenarios, type TrainingScenario } from '../../core/training/library';
import { SCENARIO_FILE_SUFFIX } from '../../core/training/scenario-file';
import { useAttempts, useClearAttempts } from '../hooks/use-attempts';
import { useBundles } from '../hooks/use-bundles';
import { download, importScenario, prepareScenario, replacedSummary, scenarioBlob, type PreparedScenario } from './custom-scenario';
import { exerciseHash } from './route';

interface StartChoice { seed: string; hints: boolean; minutes: string }

function linkOf(scenario: string, c: StartChoice): string {
  const seed = Number(c.seed);
  const minutes = Number(c.minutes);
  return exerciseHash({ scenario, seed: Number.isInteger(seed) && seed > 0 ? seed : randomSeed(), hints: c.hints, minutes: minutes > 0 ? minutes : null });
}

function StartForm({ scenario, label }: { scenario: string; label: string }) {
  const [c, setC] = useState<StartChoice>({ seed: '', hints: true, minutes: '' });
  return (
    <div className="start-form">
      <label>Seed <input aria-label={`Seed for ${label}`} value={c.seed} placeholder="random" inputMode="numeric" size={8} onChange={(e) => setC({ ...c, seed: e.currentTarget.value })} /></label>
      <label><input type="checkbox" checked={c.hints} onChange={(e) => setC({ ...c, hints: e.currentTarget.checked })} /> hints</label>
      <label>Minutes <input aria-label={`Minutes for ${label}`} value={c.minutes} placeholder="none" inputMode="numeric" size={4} onChange={(e) => setC({ ...c, minutes: e.currentTarget.value })} /></label>
      <button className="primary" data-testid={`start-${scenario}`} onClick={() => { location.hash = linkOf(scenario, c); }}>Start</button>
    </div>
  );
}

function ScenarioCard({ s }: { s: TrainingScenario }) {
  return (
    <li className="scenario-card" data-testid={`scenario-${s.id}`}>
      <div className="scenario-head"><strong>{s.title}</strong> <span className={`difficulty ${s.difficulty}`}>{s.difficulty}</span></div>
      <p>{s.teaser}</p>
      <p className="muted">Files: {s.files.join(', ')}</p>
      <StartForm scenario={s.id} label={s.title} />
    </li>
  );
}

function TrainerLink() {
  const [scenario, setScenario] = useState<string>(trainingScenarios[0]!.id);
  const [c, setC] = useState<StartChoice>({ seed: String(randomSeed()), hints: true, minutes: '30' });
  const link = `${location.origin}${location.pathname}${linkOf(scenario, c)}`;
  return (
    <section className="trainer" data-testid="trainer-link">
      <h3>Training link</h3>
      <p className="muted">Every trainee who opens the link investigates the same generated bundle.</p>
      <div className="start-form">
        <select aria-label="Scenario" value={scenario} onChange={(e) => setScenario(e.currentTarget.value)}>
          {trainingScenarios.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
        </select>
        <label>Seed <input aria-label="Link seed" value={c.seed} size={8} onChange={(e) => setC({ ...c, seed: e.currentTarget.value })} /></label>
        <button className="link" onClick={() => setC({ ...c, seed: String(randomSeed()) })}>new seed</button>
        <label><input type="checkbox" checked={c.hints} onChange={(e) => setC({ ...c, hints: e.currentTarget.checked })} /> hints</label>
        <label>Minutes <input aria-label="Link minutes" value={c.minutes} size={4} onChange={(e) => setC({ ...c, minutes: e.currentTarget.value })} /></label>
      </div>
      <input className="link-text" aria-label="Training link" readOnly value={Number(c.seed) > 0 ? link : 'enter a seed'} data-testid="training-link" onFocus={(e) => e.currentTarget.select()} />
      <button onClick={() => void navigator.clipboard?.writeText(link)}>Copy</button>
    </section>
  );
}

const PREVIEW_ROWS = 200;

/** What the redaction will replace, before anything is downloaded. */
function RedactionPreview({ prepared }: { prepared: PreparedScenario }) {
  const rows = prepared.replacements;
  if (rows.length === 0) return <p className="muted" data-testid="redaction-preview">Nothing is redacted: the files go in unchanged.</p>;
  return (
    <div className="redaction-preview" data-testid="redaction-preview" tabIndex={0}>
      <p className="muted">{replacedSummary(rows)}. Timestamps, levels and goroutine stacks are kept.</p>
      <table>
        <thead><tr><th>kind</th><th>original</th><th>replacement</th><th>count</th></tr></thead>
        <tbody>
          {rows.slice(0, PREVIEW_ROWS).map((r) => (
            <tr key={r.value}><td>{r.kind}</td><td><code>{displayText(r.value)}</code></td><td><code>{displayText(r.placeholder)}</code></td><td>{r.count}</td></tr>
          ))}
        </tbody>
      </table>
      {rows.length > PREVIEW_ROWS && <p className="muted">and {rows.length - PREVIEW_ROWS} more</p>}
    </div>
  );
}

function CustomScenarios() {
  const qc = useQueryClient();
  const { data: bundles } = useBundles();
  const [bundleId, setBundleId] = useState('');
  const [brief, setBrief] = useState('');
  const [redact, setRedact] = useState(true);
  const [prepared, setPrepared] = useState<PreparedScenario | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const ready = (bundles ?? []).filter((b) => b.status === 'ready');
  const chosen = bundleId || ready[0]?.id || '';
  const run = (what: () => Promise<string>) => {
    setStatus('working…');
    what().then(setStatus, (e: unknown) => setStatus(`failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  // A preview made for other choices would not be what is downloaded.
  const change = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPrepared(null); };
  return (
    <section className="custom-scenarios" data-testid="custom-scenarios">
      <h3>Custom scenarios</h3>
      <p className="muted">
        Export a stored bundle with its answer key: the top chain of the analysis; notes starting with a role
        ("root cause: …") on a line, goroutine or range replace that role's evidence. With redaction, host, pod,
        IP and image names (and ids) become names of the same length in the files, the paths and the key, so every
        offset the key cites stays valid; without it the files go in unchanged: share them only with people who may
        see these logs.
      </p>
      <div className="start-form">
        <select aria-label="Bundle to export" value={chosen} onChange={(e) => change(setBundleId)(e.currentTarget.value)}>
          {ready.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
        <input aria-label="Briefing" placeholder="briefing: what the on-call saw" value={brief} onChange={(e) => change(setBrief)(e.currentTarget.value)} />
        <label><input type="checkbox" data-testid="redact-scenario" checked={redact} onChange={(e) => change(setRedact)(e.currentTarget.checked)} /> Redact host, pod, IP and image names</label>
        <button disabled={!chosen} data-testid="export-scenario" onClick={() => run(async () => {
          const p = await prepareScenario(chosen, brief || 'Investigate this node and build the causal chain.', redact);
          setPrepared(p);
          return `ready: ${p.name}, ${redact ? replacedSummary(p.replacements) : 'not redacted'}`;
        })}>Export as training scenario…</button>
      </div>
      {prepared && (
        <>
          <RedactionPreview prepared={prepared} />
          <button className="primary" data-testid="download-scenario" onClick={() => {
            download(prepared.name, scenarioBlob(prepared));
            setStatus(`exported ${prepared.name}: ${prepared.replacements.length ? replacedSummary(prepared.replacements) : 'files unchanged (not redacted)'}`);
          }}>Download {prepared.name}</button>
        </>
      )}
      <label className="import">
        Import a scenario ({SCENARIO_FILE_SUFFIX}){' '}
        <input type="file" accept=".zip" data-testid="import-scenario" onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) run(async () => { await importScenario(f, qc); return 'imported'; });
        }} />
      </label>
      {status && <p className="muted" data-testid="custom-status">{status}</p>}
    </section>
  );
}

function Attempts() {
  const { data } = useAttempts();
  const clear = useClearAttempts();
  const attempts = data ?? [];
  return (
    <section className="attempts" data-testid="attempts">
      <h3>Your attempts ({attempts.length})</h3>
      {attempts.length > 0 && (
        <>
          <table>
            <thead><tr><th>when</th><th>scenario</th><th>seed</th><th>score</th><th>time</th></tr></thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.id}><td>{new Date(a.createdAt).toLocaleString()}</td><td>{a.scenario}</td><td>{a.seed ?? '—'}</td><td>{a.score.total}</td><td>{Math.round(a.elapsedSec / 60)} min</td></tr>
              ))}
            </tbody>
          </table>
          <button data-testid="export-attempts" onClick={() => download('causeway-attempts.json', new Blob([JSON.stringify({ exportedAt: new Date().toISOString(), attempts }, null, 2)], { type: 'application/json' }))}>
            Export for the trainer (JSON)
          </button>{' '}
          <button className="link" onClick={() => { if (confirm('Delete every stored attempt?')) clear.mutate(); }}>delete all</button>
        </>
      )}
    </section>
  );
}

/** #/train: the scenario library, the trainer's link builder, custom scenarios and past attempts. */
export function LibraryPage() {
  return (
    <section className="training-library" data-testid="training-library">
      <h2>Training</h2>
      <p>Investigate a generated node bundle, pin the evidence for each step of the causal chain, and get scored.</p>
      <ul className="scenario-list">{trainingScenarios.map((s) => <ScenarioCard key={s.id} s={s} />)}</ul>
      <TrainerLink />
      <CustomScenarios />
      <Attempts />
    </section>
  );
}
