import './goroutines/goroutines.css';
import { useCallback, useMemo, useState } from 'react';
import { noFilter, type GoroutineFilter } from '../../core/goroutines/group';
import { useDumps } from '../hooks/use-goroutines';
import { DumpBody } from './goroutines/DumpBody';
import { dumpLabel } from './goroutines/format';
import { useHighlight, useViewState } from './view-state';

/**
 * Goroutine dumps of the bundle, grouped by stack. The dump shown follows the selection in the
 * URL (a goroutine) or the highlighted evidence, else the user's pick, else the biggest dump.
 */
export function GoroutineView({ bundleId }: { bundleId: string }) {
  const { data: dumps, isLoading } = useDumps(bundleId);
  const [view, setView] = useViewState();
  const { evidence } = useHighlight();
  const [chosen, setChosen] = useState<string | null>(null);
  const [filter, setFilter] = useState<GoroutineFilter>(noFilter);

  const sel = view.selection?.kind === 'goroutine' ? view.selection : null;
  const evidenceDump = evidence.find((e) => e.kind === 'goroutine')?.dumpId ?? null;
  const follow = sel?.dumpId ?? evidenceDump;
  // A new selection or evidence in another dump opens that dump (the user's pick holds until then).
  const [followed, setFollowed] = useState(follow);
  if (follow !== followed) {
    setFollowed(follow);
    if (follow) setChosen(follow);
  }

  const list = useMemo(() => dumps ?? [], [dumps]);
  const has = (id: string | null) => id !== null && list.some((d) => d.id === id);
  const biggest = list.reduce<(typeof list)[number] | null>((m, d) => (!m || d.goroutines > m.goroutines ? d : m), null);
  const dumpId = has(chosen) ? chosen : has(follow) ? follow : biggest?.id ?? null;
  const dump = list.find((d) => d.id === dumpId) ?? null;

  const evidenceIds = useMemo(
    () => new Set(evidence.flatMap((e) => (e.kind === 'goroutine' && e.dumpId === dumpId ? [e.goroutine] : []))),
    [evidence, dumpId],
  );
  const onSelect = useCallback((goroutine: number) => {
    if (dumpId) setView({ selection: { kind: 'goroutine', dumpId, goroutine }, tab: 'goroutines' }, { push: true });
  }, [dumpId, setView]);

  if (isLoading) return <div className="ws-loading" data-testid="goroutine-view">Loading goroutine dumps…</div>;
  if (!dump) {
    return (
      <div className="gr-empty" data-testid="goroutine-view">
        No goroutine dump in this bundle. Add a <code>*.stacks.log</code> file (containerd writes one on SIGUSR1) or a log holding a dump.
      </div>
    );
  }
  return (
    <div className="gr-view" data-testid="goroutine-view">
      <label className="gr-dump-pick">
        Dump{' '}
        <select data-testid="dump-picker" value={dump.id} onChange={(e) => setChosen(e.target.value)}>
          {list.map((d) => <option key={d.id} value={d.id}>{dumpLabel(d)}</option>)}
        </select>
      </label>
      <DumpBody
        key={dump.id} bundleId={bundleId} dump={dump} dumps={list} filter={filter} onFilter={setFilter}
        evidence={evidenceIds} selected={sel && sel.dumpId === dump.id ? sel.goroutine : null} onSelect={onSelect}
      />
    </div>
  );
}
