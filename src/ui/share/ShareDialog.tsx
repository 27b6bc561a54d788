import { useEffect, useMemo, useState } from 'react';
import { encodeShare } from '../../core/share/codec';
import { redactState, type Replacement } from '../../core/share/redact';
import type { SharedState } from '../../core/share/state';
import { useAnalysis } from '../hooks/use-analysis';
import { useBundleDetail } from '../hooks/use-bundles';
import { useNotes } from '../hooks/use-notes';
import { useViewState } from '../workspace/view-state';
import { toSharedState, type Excerpts } from './convert';
import { knownValues, readExcerpts } from './excerpts';
import { analysisFileText } from './analysis-file';
import { bytesKept } from './handover-archive';
import { SnapshotChain, SnapshotNotes } from './SnapshotChain';
import './share.css';

const WARN_BYTES = 32 * 1024;

/** Share: choose what leaves (excerpts, redaction, passphrase), preview exactly that, then copy or download. */
export function ShareDialog({ bundleId, onClose }: { bundleId: string; onClose: () => void }) {
  const [view] = useViewState();
  const { data: detail } = useBundleDetail(bundleId);
  const { data: analysis } = useAnalysis(bundleId);
  const { data: notes = [] } = useNotes(bundleId);
  const [withExcerpts, setWithExcerpts] = useState(false);
  const [redact, setRedact] = useState(true);
  const [patternText, setPatternText] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [excerpts, setExcerpts] = useState<Excerpts | null>(null);
  const [built, setBuilt] = useState<{ token: string; from: unknown; pass: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [handover, setHandover] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });

  const best = analysis?.chains[0];
  useEffect(() => {
    if (!withExcerpts || !detail || !best) return;
    let live = true;
    void readExcerpts(bundleId, detail.files, best).then((e) => { if (live) setExcerpts(e); });
    return () => { live = false; };
  }, [withExcerpts, detail, best, bundleId]);

  const patterns = patternText.split('\n').map((s) => s.trim()).filter(Boolean);
  const badPatterns = patterns.filter((p) => { try { new RegExp(p); return false; } catch { return true; } });

  const shared = useMemo((): { state: SharedState; replacements: Replacement[] } | null => {
    if (!detail || !analysis) return null;
    const ctx = { bundle: { fingerprint: detail.bundle.fingerprint, name: detail.bundle.name }, files: detail.files, sources: detail.sources, dumps: detail.dumps };
    const state = toSharedState(ctx, view, analysis.chains, notes, withExcerpts ? excerpts : null);
    if (!redact) return { state, replacements: [] };
    const known = knownValues(analysis.input.signals.slice(0, 5000).map((s) => s.text), analysis.findings.map((f) => f.facts));
    return redactState(state, { known, patterns });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- patterns is derived from patternText
  }, [detail, analysis, view, notes, withExcerpts, excerpts, redact, patternText]);

  useEffect(() => {
    if (!shared) return;
    let live = true;
    const t = setTimeout(() => {
      void encodeShare(shared.state, { passphrase: passphrase || undefined }).then((tok) => {
        if (!live) return;
        setBuilt({ token: tok, from: shared, pass: passphrase });
        setCopied(false);
      });
    }, passphrase ? 400 : 0);
    return () => { live = false; clearTimeout(t); };
  }, [shared, passphrase]);

  // A link built for an older choice is never shown: it would not be what leaves.
  const token = built && built.from === shared && built.pass === passphrase ? built.token : null;
  const link = token ? `${location.origin}${location.pathname}#/s/${token}` : '';
  const download = () => {
    if (!shared) return;
    void analysisFileText(shared.state, passphrase || undefined).then((text) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = `${(detail?.bundle.name ?? 'analysis').replace(/[^\w.-]+/g, '_')}.causeway.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
  };

  const downloadArchive = () => {
    if (!shared) return;
    setHandover({ busy: true, message: null });
    void (async () => {
      const { downloadHandover } = await import('./handover');
      return downloadHandover(bundleId, await analysisFileText(shared.state, passphrase || undefined));
    })().then(
      (name) => setHandover({ busy: false, message: `Saved ${name}.` }),
      (e: unknown) => setHandover({ busy: false, message: `Could not build the archive: ${e instanceof Error ? e.message : String(e)}` }),
    );
  };
  const unstored = detail ? detail.files.filter((f) => !bytesKept(f)).length : 0;

  return (
    <>
      <div className="dialog-backdrop" onClick={onClose} />
      <div className="share-dialog" role="dialog" aria-modal="true" aria-label="Share this analysis" data-testid="share-dialog"
        onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h2>Share this analysis</h2>
        <p className="muted">The link carries the analysis itself in its fragment (never sent to a server): the chain, your notes and the view. Your log files are not in it.</p>
        <div className="row">
          <label><input type="checkbox" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} /> Redact hosts, IPs, pods, namespaces, containers, ids and images</label>
          <label><input type="checkbox" checked={withExcerpts} onChange={(e) => setWithExcerpts(e.currentTarget.checked)} disabled={!best} /> Include a few evidence lines per step</label>
        </div>
        {redact && (
          <div className="row">
            <label style={{ flex: 1 }}>Also redact (one regular expression per line)
              <textarea aria-label="Extra redaction patterns" rows={2} style={{ width: '100%' }} value={patternText} onChange={(e) => setPatternText(e.currentTarget.value)} />
            </label>
            {badPatterns.length > 0 && <span role="alert" className="problems">Not a valid pattern: {badPatterns.join(', ')}</span>}
          </div>
        )}
        <div className="row">
          <label>Passphrase (optional) <input type="password" aria-label="Share passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} /></label>
          {passphrase && <span className="muted">AES-GCM, key from PBKDF2-SHA-256 (600,000 rounds): without it only the format version is readable.</span>}
        </div>
        <h3>Exactly what leaves</h3>
        {shared && shared.replacements.length > 0 && (
          <details data-testid="redaction-preview" open>
            <summary>{shared.replacements.length} values replaced</summary>
            <table>
              <thead><tr><th>kind</th><th>in your data</th><th>in the link</th><th>times</th></tr></thead>
              <tbody>{shared.replacements.map((r) => <tr key={r.placeholder}><td>{r.kind}</td><td>{r.value}</td><td>{r.placeholder}</td><td>{r.count}</td></tr>)}</tbody>
            </table>
          </details>
        )}
        <div className="preview" data-testid="share-preview" tabIndex={0} aria-label="Preview of what the link carries">
          {shared?.state.chains.map((c) => <SnapshotChain key={c.patternId} chain={c} />)}
          {shared && shared.state.chains.length === 0 && <p className="muted">No chain to share (none reached 50 %): the link carries the view and notes.</p>}
          {shared && <SnapshotNotes state={shared.state} />}
        </div>
        <div className="row">
          <textarea className="link" readOnly value={link || 'Building the link…'} aria-label="Share link" data-testid="share-link" />
        </div>
        <div className="row" data-testid="handover">
          <button disabled={!shared || handover.busy} onClick={downloadArchive}>{handover.busy ? 'Building the archive…' : 'Download hand-over archive'}</button>
          <span className="muted">
            A .causeway.zip with the log files byte for byte and this analysis: the files themselves are <strong>not redacted</strong>.
            {unstored > 0 && ` ${unstored} files whose bytes were not kept (binary) are left out, so the archive opens as a different bundle.`}
          </span>
          {handover.message && <span role="status">{handover.message}</span>}
        </div>
        <div className="row">
          <button disabled={!link} onClick={() => { void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false)); }}>Copy link</button>
          <button disabled={!shared} onClick={download}>Download analysis file</button>
          {link && <span className={link.length > WARN_BYTES ? 'warn' : 'muted'} data-testid="share-size">
            {(link.length / 1024).toFixed(1)} kB{link.length > WARN_BYTES ? ' — long for a link: some chat tools cut it; prefer the analysis file' : ''}
          </span>}
          {copied && <span className="muted">Copied.</span>}
          <button style={{ marginLeft: 'auto' }} onClick={onClose}>Close</button>
        </div>
      </div>
    </>
  );
}
