import type { PointerIndex } from '../../../core/goroutines/pointers';
import { FnName } from './FnName';

const ROWS = 300;

interface Props {
  pointer: string;
  pointers: PointerIndex;
  /** stackKey → position of the group in the dump's order, to say which group a goroutine is in. */
  groupOf: ReadonlyMap<string, number>;
  selected: number | null;
  onSelect: (goroutine: number) => void;
  onClose: () => void;
}

/** Every goroutine passing one pointer, across groups, with the frame where it passes it. */
export function PointerPanel({ pointer, pointers, groupOf, selected, onSelect, onClose }: Props) {
  const uses = pointers.uses.get(pointer) ?? [];
  const count = pointers.passing.get(pointer) ?? 0;
  const groups = new Set(uses.map((u) => u.goroutine.stackKey)).size;
  return (
    <section className="gr-pointer-panel" data-testid="pointer-panel" data-pointer={pointer}>
      <header>
        <span className="gr-ptr shared active">#{pointers.names.get(pointer)}</span>
        <code>{pointer}</code>
        <span className="gr-muted">passed by {count} goroutine{count === 1 ? '' : 's'} in {groups} group{groups === 1 ? '' : 's'}</span>
        <button type="button" className="gr-close" onClick={onClose} aria-label="Close the pointer list">×</button>
      </header>
      <table>
        <thead><tr><th>goroutine</th><th>state</th><th>wait</th><th>group</th><th>passes it in</th><th>at</th></tr></thead>
        <tbody>
          {uses.slice(0, ROWS).map((u) => {
            const g = u.goroutine;
            const f = g.frames[u.frame]!;
            return (
              <tr
                key={`${g.id}:${u.frame}`} data-testid="pointer-use" data-goroutine={g.id} data-fn={f.fn}
                className={g.id === selected ? 'selected' : ''} onClick={() => onSelect(g.id)}
              >
                <td><button type="button" className="link">{g.id}</button></td>
                <td>{g.state}</td>
                <td>{g.waitMinutes ? `${g.waitMinutes} min` : ''}</td>
                <td>{(groupOf.get(g.stackKey) ?? 0) + 1}</td>
                <td><FnName fn={f.fn} short /></td>
                <td className="gr-loc">{f.file.split('/').slice(-2).join('/')}:{f.line}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {uses.length > ROWS && <div className="gr-muted">{uses.length - ROWS} more frames not listed</div>}
    </section>
  );
}
