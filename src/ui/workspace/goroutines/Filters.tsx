import type { GoroutineFilter } from '../../../core/goroutines/group';

interface Props {
  filter: GoroutineFilter;
  states: { state: string; count: number }[];
  onChange: (f: GoroutineFilter) => void;
}

/** State, minimum wait and function/package text: narrow a dump to the stacks that matter. */
export function Filters({ filter, states, onChange }: Props) {
  const active = filter.states.length > 0 || filter.minWait > 0 || filter.text !== '';
  return (
    <div className="gr-filters" role="search">
      <label>
        State{' '}
        <select
          data-testid="goroutine-state-filter" value={filter.states[0] ?? ''}
          onChange={(e) => onChange({ ...filter, states: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">all</option>
          {states.map((s) => <option key={s.state} value={s.state}>{s.state} ({s.count})</option>)}
        </select>
      </label>
      <label>
        Waiting ≥{' '}
        <input
          data-testid="goroutine-wait-filter" type="number" min={0} step={1} value={filter.minWait || ''} placeholder="0"
          onChange={(e) => onChange({ ...filter, minWait: Math.max(0, Number(e.target.value) || 0) })}
        /> min
      </label>
      <input
        data-testid="goroutine-text-filter" type="search" className="gr-text-filter" placeholder="function or package…"
        value={filter.text} onChange={(e) => onChange({ ...filter, text: e.target.value })}
      />
      {active && <button type="button" className="link" onClick={() => onChange({ states: [], minWait: 0, text: '' })}>Clear</button>}
    </div>
  );
}
