import { useQuery } from '@tanstack/react-query';
import { displayName } from '../../core/display-text';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { decodeShare, peekShare, ShareError } from '../../core/share/codec';
import type { SharedState } from '../../core/share/state';
import { pendingShare } from './pending';
import { restoreShared } from './restore';
import { SnapshotChain, SnapshotNotes } from './SnapshotChain';
import './share.css';

type Phase =
  | { kind: 'reading' }
  | { kind: 'passphrase'; wrong: boolean }
  | { kind: 'error'; message: string }
  | { kind: 'snapshot'; state: SharedState };

function peek(token: string): { encrypted: boolean } | { error: string } {
  try {
    return peekShare(token);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * `#/s/<token>`: a shared analysis. With its bundle stored here it opens the full workspace at the shared
 * view; otherwise a read-only snapshot (chain, notes, excerpts) invites the user to drop the bundle.
 */
export function ShareLanding({ token }: { token: string }) {
  const head = peek(token);
  const encrypted = 'encrypted' in head && head.encrypted;
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [pass, setPass] = useState('');
  const notice = useSyncExternalStore(pendingShare.subscribe, pendingShare.notice);
  const opened = useQuery({
    queryKey: ['share', token, passphrase],
    queryFn: async () => {
      const state = await decodeShare(token, passphrase ?? undefined);
      const restored = await restoreShared(state);
      if (!restored) pendingShare.set(state);
      return { state, restored: !!restored };
    },
    enabled: !('error' in head) && (!encrypted || passphrase !== null),
    retry: false,
    gcTime: 0,
  });
  useEffect(() => () => pendingShare.set(null), []);

  const err = opened.error;
  const phase: Phase =
    'error' in head ? { kind: 'error', message: head.error }
    : err instanceof ShareError && err.code === 'wrong-passphrase' ? { kind: 'passphrase', wrong: true }
    : err instanceof ShareError && err.code === 'needs-passphrase' ? { kind: 'passphrase', wrong: false }
    : err ? { kind: 'error', message: err instanceof ShareError ? err.message : `unexpected problem: ${String(err)}` }
    : encrypted && passphrase === null ? { kind: 'passphrase', wrong: false }
    : opened.data && !opened.data.restored ? { kind: 'snapshot', state: opened.data.state }
    : { kind: 'reading' };
  const open = (p: string) => setPassphrase(p);

  return (
    <section className="share-landing" data-testid="share-landing">
      <h2>Shared analysis</h2>
      {phase.kind === 'reading' && <p className="muted">Reading the link…</p>}
      {phase.kind === 'error' && <p role="alert" className="problems" data-testid="share-error">This link cannot be opened: {phase.message}.</p>}
      {phase.kind === 'passphrase' && (
        <form className="passphrase" onSubmit={(e) => { e.preventDefault(); open(pass); }}>
          <p>This analysis is protected by a passphrase. Nothing in it is readable without it.</p>
          <label>Passphrase <input type="password" autoFocus value={pass} onChange={(e) => setPass(e.currentTarget.value)} aria-label="Passphrase" /></label>{' '}
          <button type="submit" disabled={!pass}>Open</button>
          {phase.wrong && !opened.isFetching && <p role="alert" className="problems">Wrong passphrase, or the link was altered.</p>}
        </form>
      )}
      {phase.kind === 'snapshot' && (
        <div data-testid="snapshot">
          <p className="snapshot-intro">
            <strong>{phase.state.bundle.name ? displayName(phase.state.bundle.name) : 'A bundle'}</strong> is not stored in this browser, so this is a read-only snapshot.
            Drop the same files here (or use Open files above) to get the full workspace at the shared view.
          </p>
          {notice && <p role="alert" className="problems" data-testid="share-mismatch">{notice}</p>}
          {phase.state.chains.length === 0 && <p className="muted">The analysis had no chain.</p>}
          {phase.state.chains.map((c) => <SnapshotChain key={c.patternId} chain={c} />)}
          <SnapshotNotes state={phase.state} />
          {phase.state.redacted.length > 0 && <p className="muted">Redacted before sharing: {phase.state.redacted.length} values replaced by placeholders.</p>}
        </div>
      )}
    </section>
  );
}
