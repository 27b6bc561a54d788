import { useMemo, useState } from 'react';
import { filterGroups, stateCounts, type GoroutineFilter, type GoroutineGroup } from '../../../core/goroutines/group';
import type { DumpSummary } from '../../../store/goroutine-queries';
import { useDumpDiff, useGroupedDump } from '../../hooks/use-goroutines';
import { DiffPanel } from './DiffPanel';
import { Filters } from './Filters';
import { GroupRow } from './GroupRow';
import { PointerPanel } from './PointerPanel';
import { dumpLabel, sameProcess } from './format';

const PAGE = 100;

interface Props {
  bundleId: string;
  dump: DumpSummary;
  dumps: DumpSummary[];
  filter: GoroutineFilter;
  onFilter: (f: GoroutineFilter) => void;
  /** Goroutine ids of this dump cited by the highlighted evidence. */
  evidence: ReadonlySet<number>;
  selected: number | null;
  onSelect: (goroutine: number) => void;
}

/** Evidence groups float to the top (keeping the order of interest among themselves and the rest). */
function evidenceFirst(groups: GoroutineGroup[], evidence: ReadonlySet<number>): GoroutineGroup[] {
  if (!evidence.size) return groups;
  const hit = (g: GoroutineGroup) => g.goroutines.some((x) => evidence.has(x.id));
  return [...groups.filter(hit), ...groups.filter((g) => !hit(g))];
}

/** One dump: filters, the diff selector, the pointer list and the paged group list. */
export function DumpBody({ bundleId, dump, dumps, filter, onFilter, evidence, selected, onSelect }: Props) {
  const { data, isLoading } = useGroupedDump(bundleId, dump.id);
  const [limit, setLimit] = useState(PAGE);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [pointer, setPointer] = useState<string | null>(null);
  const [diffWith, setDiffWith] = useState<string | null>(null);
  const others = dumps.filter((d) => sameProcess(dump, d));
  const other = others.find((d) => d.id === diffWith) ?? null;
  // The earlier capture is the "before" side; an unknown time counts as earlier than a known one.
  const otherFirst = other !== null && (other.takenAt ?? -Infinity) <= (dump.takenAt ?? -Infinity);
  const diff = useDumpDiff(bundleId, other ? (otherFirst ? other.id : dump.id) : null, other ? (otherFirst ? dump.id : other.id) : null);

  const all = data?.groups;
  const groups = useMemo(() => (all ? evidenceFirst(filterGroups(all, filter), evidence) : []), [all, filter, evidence]);
  const states = useMemo(() => (all ? stateCounts(all.flatMap((g) => g.goroutines)) : []), [all]);
  const groupOf = useMemo(() => new Map((all ?? []).map((g, i) => [g.key, i])), [all]);
  if (isLoading) return <div className="ws-loading">Reading dump…</div>;
  if (!data) return <div className="gr-empty">This dump is no longer stored.</div>;

  const selectedAt = selected === null ? -1 : groups.findIndex((g) => g.goroutines.some((x) => x.id === selected));
  const shown = Math.max(limit, selectedAt + 1);
  const goroutines = groups.reduce((n, g) => n + g.goroutines.length, 0);
  const isExpanded = (g: GoroutineGroup, i: number) => {
    const byDefault = i === selectedAt || g.goroutines.some((x) => evidence.has(x.id));
    return toggled.get(g.key) ?? byDefault;
  };

  return (
    <>
      <div className="gr-toolbar">
        <Filters filter={filter} states={states} onChange={onFilter} />
        {others.length > 0 && (
          <label className="gr-diff-pick">
            Diff with{' '}
            <select data-testid="goroutine-diff-select" value={diffWith ?? ''} onChange={(e) => setDiffWith(e.target.value || null)}>
              <option value="">—</option>
              {others.map((d) => <option key={d.id} value={d.id}>{dumpLabel(d)}</option>)}
            </select>
          </label>
        )}
      </div>
      {other && (
        <DiffPanel before={otherFirst ? other : dump} after={otherFirst ? dump : other} diff={diff.data ?? undefined} onClose={() => setDiffWith(null)} />
      )}
      {pointer && (
        <PointerPanel pointer={pointer} pointers={data.pointers} groupOf={groupOf} selected={selected} onSelect={onSelect} onClose={() => setPointer(null)} />
      )}
      <div className="gr-summary" data-testid="goroutine-summary" data-groups={groups.length} data-goroutines={goroutines}>
        {goroutines} of {dump.goroutines} goroutines in {groups.length} group{groups.length === 1 ? '' : 's'}
        {dump.truncated && <span className="gr-warn"> · the dump is cut off: some goroutines are incomplete</span>}
        {selected !== null && selectedAt < 0 && (
          <span className="gr-warn"> · goroutine {selected} is hidden by the filters <button type="button" className="link" onClick={() => onFilter({ states: [], minWait: 0, text: '' })}>show it</button></span>
        )}
      </div>
      <ol className="gr-groups" data-testid="goroutine-groups">
        {groups.slice(0, shown).map((g, i) => (
          <GroupRow
            key={g.key} group={g} pointers={data.pointers} expanded={isExpanded(g, i)}
            onToggle={() => setToggled((m) => new Map(m).set(g.key, !isExpanded(g, i)))}
            evidence={evidence} selected={selected} onSelect={onSelect}
            activePointer={pointer} onPointer={(p) => setPointer((cur) => (cur === p ? null : p))}
          />
        ))}
      </ol>
      {groups.length > shown && (
        <button type="button" className="gr-more" onClick={() => setLimit(shown + PAGE)}>
          Show {Math.min(PAGE, groups.length - shown)} more of {groups.length - shown} remaining groups
        </button>
      )}
      {groups.length === 0 && <div className="gr-empty">No goroutine matches the filters.</div>}
    </>
  );
}
