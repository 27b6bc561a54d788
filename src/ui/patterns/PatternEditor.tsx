import { useEffect, useMemo, useRef, useState } from 'react';
import { rankChains } from '../../core/chains';
import { builtinPatterns } from '../../core/chains/patterns';
import { validatePattern } from '../../core/chains/validate';
import { useAnalysis } from '../hooks/use-analysis';
import { useDeletePattern, useSavePattern, useUserPatterns } from '../hooks/use-patterns';
import { monaco, PATTERN_MODEL_SCHEME } from './json-monaco';
import './patterns.css';

function template(): string {
  const base = builtinPatterns.find((p) => p.id === 'pleg-slow-relist') ?? builtinPatterns[0]!;
  return JSON.stringify({ ...base, id: `my-pattern-${Math.floor(Math.random() * 1e4)}`, title: `My pattern (from ${base.title})` }, null, 2);
}

/**
 * The user's own chain patterns: JSON in Monaco with the pattern schema (completion, validation),
 * checked by the engine's validator and run live against the open bundle; stored in this browser.
 */
export default function PatternEditor({ bundleId, onClose }: { bundleId: string; onClose: () => void }) {
  const { data: patterns = [] } = useUserPatterns();
  const { data: analysis } = useAnalysis(bundleId);
  const save = useSavePattern();
  const del = useDeletePattern();
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [text, setText] = useState<string>(() => template());
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.createModel(text, 'json', monaco.Uri.parse(`${PATTERN_MODEL_SCHEME}:/pattern-${Date.now()}.json`));
    const ed = monaco.editor.create(host.current, { model, theme: 'causeway', minimap: { enabled: false }, automaticLayout: true, fontSize: 12, tabSize: 2, scrollBeyondLastLine: false });
    editor.current = ed;
    const sub = model.onDidChangeContent(() => setText(model.getValue()));
    return () => { sub.dispose(); ed.dispose(); model.dispose(); editor.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one editor per dialog; text changes flow out through the model
  }, []);

  const load = (id: string | null, json: string) => {
    setCurrentId(id);
    editor.current?.getModel()?.setValue(json);
  };

  const parsed = useMemo(() => {
    try {
      return { json: JSON.parse(text) as unknown, error: null };
    } catch (err) {
      return { json: null, error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }, [text]);
  const validation = parsed.json === null ? null : validatePattern(parsed.json);
  const clash = validation?.ok && builtinPatterns.some((p) => p.id === validation.pattern.id) ? `id "${validation.pattern.id}" is a built-in pattern's: choose another` : null;
  const live = useMemo(() => {
    if (!validation?.ok || clash || !analysis) return null;
    return rankChains(analysis.findings, analysis.input, [validation.pattern]).find((c) => c.patternId === validation.pattern.id) ?? null;
  }, [validation, clash, analysis]);
  const stored = patterns.find((p) => p.id === currentId);

  return (
    <>
      <div className="dialog-backdrop" onClick={onClose} />
      <div className="pattern-editor" role="dialog" aria-modal="true" aria-label="Chain patterns" data-testid="pattern-editor"
        onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <div className="pe-head">
          <h2>Chain patterns</h2>
          <button onClick={onClose}>Close</button>
        </div>
        <div className="pe-body">
          <nav className="pe-list" aria-label="Your patterns">
            <button onClick={() => load(null, template())}>New pattern</button>
            <h4>Yours</h4>
            {patterns.length === 0 && <p className="muted">None yet.</p>}
            <ul>{patterns.map((p) => (
              <li key={p.id} className={p.id === currentId ? 'active' : ''}>
                <button className="link" onClick={() => load(p.id, p.json)}>{p.id}</button>
                <span className="muted">{p.enabled ? ' on' : ' off'}</span>
              </li>
            ))}</ul>
            <h4>Built-in (copy to start)</h4>
            <ul>{builtinPatterns.map((p) => (
              <li key={p.id}><button className="link" onClick={() => load(null, JSON.stringify({ ...p, id: `${p.id}-copy`, title: `${p.title} (copy)` }, null, 2))}>{p.id}</button></li>
            ))}</ul>
          </nav>
          <div className="pe-editor" ref={host} data-testid="pattern-monaco" />
          <aside className="pe-result" data-testid="pattern-result">
            {parsed.error && <p role="alert" className="problems">{parsed.error}</p>}
            {validation && !validation.ok && (
              <ul className="problems" data-testid="pattern-errors">{validation.errors.map((e, i) => <li key={i}><code>{e.path}</code> {e.message}</li>)}</ul>
            )}
            {clash && <p role="alert" className="problems">{clash}</p>}
            {validation?.ok && !clash && (
              <>
                <p className="ok">Valid pattern.</p>
                <h4>Against this bundle</h4>
                {!live && <p className="muted" data-testid="pattern-live">No chain (confidence ≤ 5 %).</p>}
                {live && (
                  <div data-testid="pattern-live">
                    <p><strong>{Math.round(live.confidence * 100)} %</strong> confidence</p>
                    <ol className="pe-steps">{live.steps.map((s, i) => <li key={i} className={s.evidence.length ? '' : 'muted'}>{s.title}: {s.evidence.length ? `${s.evidence.length} evidence` : 'missing'}</li>)}</ol>
                    {live.reasons.length > 0 && <ul className="muted">{live.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>}
                  </div>
                )}
                <div className="pe-actions">
                  <button onClick={() => { const id = validation.pattern.id; save.mutate({ id, json: text, enabled: stored?.enabled ?? true, previousId: currentId }); setCurrentId(id); }}>
                    Save{stored?.enabled === false ? '' : ' and use'}
                  </button>
                  {stored && <button onClick={() => save.mutate({ id: stored.id, json: stored.json, enabled: !stored.enabled, previousId: stored.id })}>{stored.enabled ? 'Disable' : 'Enable'}</button>}
                  {stored && <button onClick={() => { del.mutate(stored.id); load(null, template()); }}>Delete</button>}
                </div>
              </>
            )}
          </aside>
        </div>
      </div>
    </>
  );
}
