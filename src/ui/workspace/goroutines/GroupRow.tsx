import { useEffect, useRef, useState } from 'react';
import type { GoroutineGroup } from '../../../core/goroutines/group';
import type { PointerIndex } from '../../../core/goroutines/pointers';
import { FnName } from './FnName';
import { Frames } from './Frames';
import { waitRange } from './format';

const MEMBERS_PAGE = 200;

interface Props {
  group: GoroutineGroup;
  pointers: PointerIndex;
  expanded: boolean;
  onToggle: () => void;
  /** Goroutine ids of the highlighted evidence in this dump. */
  evidence: ReadonlySet<number>;
  selected: number | null;
  onSelect: (goroutine: number) => void;
  activePointer: string | null;
  onPointer: (pointer: string) => void;
}

/** One stack bucket: count, state, wait range, where it is and who made it; expands to its members and frames. */
export function GroupRow({ group, pointers, expanded, onToggle, evidence, selected, onSelect, activePointer, onPointer }: Props) {
  const [shown, setShown] = useState(MEMBERS_PAGE);
  const ref = useRef<HTMLLIElement>(null);
  const members = group.goroutines;
  const selectedHere = selected !== null && members.some((g) => g.id === selected);
  const marked = members.filter((g) => evidence.has(g.id)).length;
  const active = members.find((g) => g.id === selected) ?? members.find((g) => evidence.has(g.id)) ?? members[0]!;
  // The active member is always listed, even past the page.
  const visible = Math.max(shown, members.indexOf(active) + 1);

  useEffect(() => {
    if (selectedHere) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedHere, selected]);

  return (
    <li
      ref={ref} className={`gr-group${marked ? ' evidence' : ''}${selectedHere ? ' selected' : ''}`}
      data-testid="goroutine-group" data-key={group.key} data-count={members.length} data-wait-max={group.waitMax}
    >
      <button type="button" className="gr-head" aria-expanded={expanded} onClick={onToggle}>
        <span className="gr-caret" aria-hidden>{expanded ? '▾' : '▸'}</span>
        <span className="gr-count" data-testid="group-count">{members.length}</span>
        <span className="gr-state">{group.states.join(', ')}{group.locked ? ' · locked' : ''}</span>
        <span className="gr-wait">{waitRange(group.waitMin, group.waitMax)}</span>
        <span className="gr-top"><FnName fn={group.topFunction} short /></span>
        <span className="gr-created-by">{group.createdBy ? <>by <FnName fn={group.createdBy} short /></> : ''}</span>
        {marked > 0 && <span className="gr-evidence-badge" title="goroutines cited by the selected step">evidence {marked}</span>}
        {group.stdlibOnly && <span className="gr-tag" title="only Go standard library frames">stdlib</span>}
      </button>
      {expanded && (
        <div className="gr-body">
          <div className="gr-members" aria-label="goroutines of this group">
            {members.slice(0, visible).map((g) => (
              <button
                type="button" key={g.id} data-testid="goroutine-member" data-goroutine={g.id}
                className={`gr-member${g === active ? ' active' : ''}${evidence.has(g.id) ? ' evidence' : ''}`}
                title={`goroutine ${g.id} [${g.state}${g.waitMinutes ? `, ${g.waitMinutes} minutes` : ''}]`}
                onClick={() => onSelect(g.id)}
              >{g.id}{g.waitMinutes ? <span className="gr-muted"> · {g.waitMinutes}m</span> : null}</button>
            ))}
            {members.length > visible && (
              <button type="button" className="link" onClick={() => setShown(visible + MEMBERS_PAGE * 5)}>+{members.length - visible} more</button>
            )}
          </div>
          <div className="gr-active-head">
            goroutine <b>{active.id}</b> [{active.state}{active.waitMinutes ? `, ${active.waitMinutes} minutes` : ''}{active.lockedToThread ? ', locked to thread' : ''}]
          </div>
          <Frames goroutine={active} pointers={pointers} activePointer={activePointer} onPointer={onPointer} />
        </div>
      )}
    </li>
  );
}
